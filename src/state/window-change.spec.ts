/**
 * A window opening is a change (SPEC 10): its activations are the scenarios the window made desired active,
 * a failure among them counts against its failure budget, and the next change lifts the hold. A real
 * orchestrator and demo fleet; the window is the one edge set by hand, opened without waiting for a clock.
 */
import type { OpenAllowWindow } from '../reconciler/desired';
import { eventually, startTestSystem, type TestSystem } from '../../test/support/system';
import type { WindowSource } from './state.service';

/** Windows the test opens by assignment. */
class HandSetWindows implements WindowSource {
  allow: OpenAllowWindow[] = [];
  openWindows() {
    return { allow: this.allow, deny: [] };
  }
  nextEdge() {
    return null;
  }
}

describe('a window opening as a change with a failure budget', () => {
  let system: TestSystem;
  const windows = new HandSetWindows();
  beforeAll(async () => {
    system = await startTestSystem({
      specs: [
        { id: 'dependency-audit', service: { tags: ['security'] } },
        { id: 'security-scanner', service: { tags: ['security'] } },
        { id: 'usage-report', service: { tags: ['reports'] } },
      ],
      policy: { maxActive: 1, maxFailures: 0 },
      env: { RESYNC_INTERVAL: '1h' },
      overrides: { windows },
    });
  });
  afterAll(() => system.stop());
  const verdict = (id: string) => system.server.orchestrator.reconciler.verdicts.get(id);

  it('holds the window\'s other activations after one failed, until the next change', async () => {
    const { reconciler, state } = system.server.orchestrator;
    // Failing from now on: its start-up deactivation went through, so it is known inactive and holds no slot.
    system.fleet.configure('dependency-audit', { failRate: 1 });
    windows.allow = [{ schedule: 'nightly', preset: 'security' }];
    reconciler.request();
    // maxActive 1: dependency-audit goes first (by id) and fails; security-scanner then waits on the budget.
    await eventually(() => verdict('security-scanner')?.reason === 'FailureBudget', "security-scanner held by the window's failure budget");
    expect(verdict('security-scanner')?.message).toBe('change "window nightly opened": 1 of 2 activations failed, more than maxFailures 0 allows; the others wait until the next change or resume');
    expect(verdict('dependency-audit')?.reason).toBe('FailureBudget');
    expect(system.fleet.stateOf('security-scanner')).toBe('inactive');

    // The window staying open is not a new opening: the next pass still holds it.
    reconciler.runPass();
    expect(verdict('security-scanner')?.reason).toBe('FailureBudget');

    // The next change (here an override of another scenario) ends the window's change, and its budget with it.
    await state.setOverride('usage-report', 'active', { actor: 'test' });
    await eventually(() => system.fleet.stateOf('security-scanner') === 'active', 'security-scanner activated after the next change');
  });
});
