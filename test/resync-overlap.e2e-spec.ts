/**
 * Issue 16: resyncs overlapped. With slow scenarios a resync outlasts its interval, and the next one
 * started beside it: 40 observations in flight where one resync allows 10. One resync at a time now; a
 * resync asked for while one runs is that one.
 */
import { demoSpecs } from './support/fleet';
import { startTestSystem, type TestSystem } from './support/system';

describe('resyncs never overlap', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ specs: demoSpecs(4), env: { RESYNC_INTERVAL: '1h' } });
  }, 30_000);
  afterAll(() => system?.stop());

  it('reads each scenario once when four resyncs are asked for while the first is still reading', async () => {
    const { fleet } = system;
    const ids = fleet.scenarios.map((scenario) => scenario.id);
    for (const id of ids) fleet.setDelay(id, 300);
    const before = ids.map((id) => fleet.stats(id).gets);
    const reconciler = system.server.orchestrator.reconciler;
    await Promise.all([reconciler.resync(), reconciler.resync(), reconciler.resync(), reconciler.resync()]);
    const reads = ids.map((id, index) => fleet.stats(id).gets - before[index]);
    expect(reads).toEqual(ids.map(() => 1));
    // And the next resync, once that one is over, reads them again.
    await reconciler.resync();
    expect(ids.map((id, index) => fleet.stats(id).gets - before[index])).toEqual(ids.map(() => 2));
  });
});
