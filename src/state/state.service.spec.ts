/**
 * The declared-state rules of SPEC 3 and 4 that StateService owns, each on its own: every activation gets
 * a TTL from DEFAULT_TIMEOUT, a deny window holds only its own preset's scenarios, confirmation is needed
 * above bulkConfirmThreshold (not at it), stop-all clears overrides and presets, and resume lifts only
 * the latch. A real orchestrator drives a real demo fleet on loopback; the windows are the one edge set
 * by hand, so that a test opens and closes them without waiting for a clock.
 */
import type { OpenAllowWindow } from '../reconciler/desired';
import type { OpenDenyWindow } from '../reconciler/gates';
import type { MaintenanceStateSpec } from '../presets/schema';
import { activeIds, eventually, startTestSystem, type TestSystem } from '../../test/support/system';
import type { WindowSource } from './state.service';

/** Windows the test opens and closes by assignment. */
class HandSetWindows implements WindowSource {
  allow: OpenAllowWindow[] = [];
  deny: (OpenDenyWindow & { preset?: string })[] = [];
  openWindows() {
    return { allow: this.allow, deny: this.deny };
  }
  nextEdge() {
    return null;
  }
}

const ids = ['backup-manager', 'database-vacuum', 'dependency-audit', 'security-scanner', 'usage-report'];
const actor = { actor: 'test' };
const nothing: MaintenanceStateSpec = { presets: [], overrides: {} };
const activating = (list: string[]): MaintenanceStateSpec => ({ presets: [], overrides: Object.fromEntries(list.map((id) => [id, { state: 'active' as const, ttlMs: null, reason: null }])) });

describe('StateService rules', () => {
  let system: TestSystem;
  const windows = new HandSetWindows();
  beforeAll(async () => {
    system = await startTestSystem({
      specs: [
        { id: 'backup-manager', service: { tags: ['backup'] } },
        { id: 'database-vacuum', service: { tags: ['vacuum'] } },
        { id: 'dependency-audit', service: { tags: ['security'] } },
        { id: 'security-scanner', service: { tags: ['security'] } },
        { id: 'usage-report', service: { tags: ['reports'] } },
      ],
      env: { RESYNC_INTERVAL: '1h', DEFAULT_TIMEOUT: '30' },
      overrides: { windows },
    });
  });
  afterAll(() => system.stop());
  const state = () => system.server.orchestrator.state;
  const verdict = (id: string) => system.server.orchestrator.reconciler.verdicts.get(id);
  /** Back to nothing declared, no windows, no stop, every scenario inactive. */
  afterEach(async () => {
    windows.allow = [];
    windows.deny = [];
    await state().resume('test');
    await state().setDesiredState(nothing, { ...actor, confirm: true });
    await eventually(() => activeIds(system.fleet).length === 0, 'every scenario inactive again');
    // An activation cut off in flight by the deactivation that superseded it may still reach its scenario
    // after that deactivation (two connections, no order between them). The loop corrects it at its next
    // resync; this suite's next test must not start before that, so it reads the fleet once more now.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await system.server.orchestrator.reconciler.resync();
    await eventually(() => activeIds(system.fleet).length === 0, 'every scenario inactive after a resync');
  });

  it('gives every activation a TTL of DEFAULT_TIMEOUT unless one is given, and a deactivation none', async () => {
    await state().setOverride('security-scanner', 'active', actor);
    await state().setOverride('dependency-audit', 'active', { ...actor, ttlMs: 60_000 });
    await state().setOverride('backup-manager', 'inactive', actor);
    const ttls = () => {
      const overrides = state().snapshot().overrides;
      return ids.filter((id) => overrides[id]).map((id) => [id, overrides[id].expiresAt === null ? null : overrides[id].expiresAt! - overrides[id].setAt]);
    };
    expect(ttls()).toEqual([
      ['backup-manager', null],
      ['dependency-audit', 60_000],
      ['security-scanner', 30 * 60_000],
    ]);
    // The same through a whole declared state (`apply -f`).
    await state().setDesiredState({ presets: [], overrides: { 'usage-report': { state: 'active', ttlMs: null, reason: null }, 'dependency-audit': { state: 'active', ttlMs: 60_000, reason: null } } }, actor);
    expect(ttls()).toEqual([
      ['dependency-audit', 60_000],
      ['usage-report', 30 * 60_000],
    ]);
  });

  it('holds with a deny window only the scenarios of its own preset', async () => {
    windows.deny = [{ schedule: 'freeze', closesAt: Date.now() + 3_600_000, preset: 'off-hours' }];
    await state().setDesiredState(activating(['backup-manager', 'security-scanner']), actor);
    await eventually(() => system.fleet.stateOf('security-scanner') === 'active', 'security-scanner activated');
    expect(verdict('backup-manager')).toMatchObject({ target: 'inactive', reason: 'WindowClosed', message: expect.stringContaining('freeze') });
    expect(verdict('security-scanner')).toMatchObject({ target: 'active' });
    expect(activeIds(system.fleet)).toEqual(['security-scanner']);
  });

  it('asks for confirmation above bulkConfirmThreshold, not at it', async () => {
    const threshold = system.server.orchestrator.policy.current().bulkConfirmThreshold;
    expect(threshold).toBe(3);
    const atThreshold = activating(['backup-manager', 'database-vacuum', 'dependency-audit']);
    const aboveThreshold = activating(['backup-manager', 'database-vacuum', 'dependency-audit', 'security-scanner']);
    // The check itself, on a plan of each size.
    expect(() => state().assertConfirmed(state().planForSpec(atThreshold), false)).not.toThrow();
    expect(() => state().assertConfirmed(state().planForSpec(aboveThreshold), false)).toThrow(expect.objectContaining({ code: 'ConfirmationRequired' }));
    // And a change asked for: the one above is refused and changes nothing; the one at the threshold goes.
    await expect(state().setDesiredState(aboveThreshold, actor)).rejects.toMatchObject({ code: 'ConfirmationRequired' });
    expect(state().snapshot().overrides).toEqual({});
    const change = await state().setDesiredState(atThreshold, actor);
    expect(change.touched).toEqual(['backup-manager', 'database-vacuum', 'dependency-audit']);
    expect(Object.keys(state().snapshot().overrides).sort()).toEqual(['backup-manager', 'database-vacuum', 'dependency-audit']);
  });

  it('clears overrides and applied presets on stop-all; resume lifts the latch and brings back only open allow windows', async () => {
    windows.allow = [{ schedule: 'nightly', preset: 'off-hours' }];
    await state().applyPreset('security', actor);
    await state().setOverride('usage-report', 'active', actor);
    await eventually(() => activeIds(system.fleet).length === 5, 'the preset, the override and the allow window active');

    state().stopAll('incident 7', 'ops');
    expect(state().snapshot()).toMatchObject({ presets: [], overrides: {}, emergencyStop: { reason: 'incident 7', actor: 'ops' } });
    await eventually(() => activeIds(system.fleet).length === 0, 'every scenario driven inactive');
    expect(verdict('backup-manager')).toMatchObject({ target: 'inactive', reason: 'EmergencyStop' });

    expect(await state().resume('ops')).toEqual({ wasStopped: true });
    expect(state().snapshot()).toEqual({ presets: [], overrides: {}, emergencyStop: null });
    // The allow window is still open: its preset comes back, and nothing else does.
    await eventually(() => activeIds(system.fleet).length === 2, 'the allow window active again');
    expect(activeIds(system.fleet)).toEqual(['backup-manager', 'database-vacuum']);
    for (const id of ['dependency-audit', 'security-scanner', 'usage-report']) expect(verdict(id)).toMatchObject({ target: 'inactive', reason: null });
  });
});
