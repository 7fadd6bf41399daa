/**
 * SPEC 2: a rescan never resets state. A changed service.json keeps the scenario's observed state and its
 * overrides; a vanished scenario stays listed as Gone until it is confirmed inactive, however long that
 * takes. A real orchestrator, a real demo fleet on loopback, and real files in its scenarios directory.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually, startTestSystem, type TestSystem } from '../../test/support/system';

describe('rescans keep state', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({
      specs: [{ id: 'keeper', service: { tags: ['demo'] } }, { id: 'leaver', service: { tags: ['demo'] } }, { id: 'neighbour', service: { tags: ['demo'] } }],
      // No resync: a reset record would otherwise be read back from the scenario before the test looks.
      env: { RESYNC_INTERVAL: '1h' },
    });
  });
  afterAll(() => system.stop());
  const parts = () => system.server.orchestrator;
  const serviceFile = (id: string) => join(parts().config.scenariosDir, id, '.vrooli', 'service.json');

  it('keeps the observed state and the overrides of a scenario whose file changed', async () => {
    const { state, reconciler, registry } = parts();
    await state.setOverride('keeper', 'active', { actor: 'test', ttlMs: 3_600_000 });
    await eventually(() => system.fleet.stateOf('keeper') === 'active', 'keeper active');
    await eventually(() => reconciler.observed.get('keeper')?.lastAck === 'active', 'keeper acknowledged');
    const recordBefore = { ...reconciler.observed.get('keeper')! };
    const overrideBefore = state.snapshot().overrides.keeper;
    const postsBefore = system.fleet.stats('keeper').posts;

    const file = JSON.parse(await readFile(serviceFile('keeper'), 'utf8'));
    file.service.tags = [...file.service.tags, 'nightly'];
    await writeFile(serviceFile('keeper'), JSON.stringify(file));
    await eventually(async () => (await registry.rescan(), registry.get('keeper')?.tags.includes('nightly') ?? false), 'the rescan saw the new tag');
    reconciler.runPass();

    expect(state.snapshot().overrides.keeper).toEqual(overrideBefore);
    expect(reconciler.observed.get('keeper')).toEqual(recordBefore);
    expect(reconciler.verdicts.get('keeper')).toMatchObject({ desired: { state: 'active' }, target: 'active', reason: null });
    // Nothing was sent again: the loop still knew the scenario was active.
    expect(system.fleet.stats('keeper').posts).toBe(postsBefore);
    expect(system.fleet.stateOf('keeper')).toBe('active');
  });

  it('lists a vanished scenario as Gone until its deactivation succeeds, retrying it, and only then forgets it', async () => {
    const { state, reconciler, registry } = parts();
    await state.setOverride('leaver', 'active', { actor: 'test', ttlMs: 3_600_000 });
    await eventually(() => system.fleet.stateOf('leaver') === 'active', 'leaver active');
    system.fleet.configure('leaver', { failRate: 1 });

    await rm(join(parts().config.scenariosDir, 'leaver'), { recursive: true, force: true });
    await eventually(async () => (await registry.rescan(), registry.isGone('leaver')), 'leaver Gone');
    reconciler.runPass();
    await eventually(() => (reconciler.observed.get('leaver')?.failures ?? 0) >= 1, 'the deactivation failed once');

    expect(registry.isGone('leaver')).toBe(true);
    expect(registry.list().map((spec) => spec.id)).toContain('leaver');
    expect(reconciler.verdicts.get('leaver')).toMatchObject({ target: 'inactive', reason: 'Gone' });
    expect(system.fleet.stateOf('leaver')).toBe('active');

    // The scenario accepts calls again: the retry drives it inactive, and then it leaves the list.
    system.fleet.configure('leaver', { failRate: 0 });
    await eventually(() => registry.get('leaver') === undefined, 'leaver forgotten');
    expect(system.fleet.stateOf('leaver')).toBe('inactive');
    expect(system.fleet.stats('leaver').failedPosts).toBeGreaterThanOrEqual(1);
  });
});
