/**
 * SPEC 4 fixes the order of the gates: when several block a scenario at once, the first in that order is
 * the reason shown. Every pair of the planner's gates blocks one scenario here, on both of the planner's
 * paths (a scenario already holding a slot, and a new activation), so reordering any two fails a case.
 */
import { DEFAULT_POLICY } from '../presets/schema';
import { plan, type PlanInput, type PlannableScenario } from './planner';
import { GATES, unknownRecord, type DesiredEntry, type Gate, type ObservedRecord } from './types';

const NOW = Date.parse('2026-11-28T12:00:00Z');

/** SPEC 4's order, written out here rather than read from GATES, so that this test is the contract. */
const SPEC_ORDER = ['EmergencyStop', 'WindowClosed', 'Conflict', 'ConcurrencyLimit', 'ResourcePressure', 'HealthCheck', 'FailureBudget', 'Cooldown'] as const;
type PlannerGate = (typeof SPEC_ORDER)[number];

/** Gates 2 and 5-8 hold back new activations only; these are the ones that also stop a running scenario. */
const HOLDS_RUNNING: ReadonlySet<PlannerGate> = new Set(['EmergencyStop', 'Conflict', 'ConcurrencyLimit']);

const want: DesiredEntry = { state: 'active', source: { kind: 'preset', preset: 'full' } };
/** The scenario under test; `rival` is what Conflict needs: a declared rival that is running. */
const subject: PlannableScenario = { id: 'subject', weight: 'light', canDeactivate: true, conflictsWith: ['rival'], endpoint: 'http://127.0.0.1:1', endpointProblem: null };
const rival: PlannableScenario = { ...subject, id: 'rival', conflictsWith: [] };

/** A pass in which exactly `gates` block the subject, which is active (`running`) or inactive and wanted. */
function scene(gates: readonly PlannerGate[], running: boolean, desired: DesiredEntry = want): PlanInput {
  const on = (gate: PlannerGate) => gates.includes(gate);
  const subjectRecord: ObservedRecord = {
    ...unknownRecord(),
    state: running ? 'active' : 'inactive',
    lastAck: running ? 'active' : 'inactive',
    lastActivatedAt: on('Cooldown') ? NOW - 10_000 : null,
  };
  const rivalRecord: ObservedRecord = { ...unknownRecord(), state: on('Conflict') ? 'active' : 'inactive', lastAck: on('Conflict') ? 'active' : 'inactive' };
  return {
    now: NOW,
    scenarios: [rival, subject],
    desired: new Map([['subject', desired]]),
    observed: new Map([['subject', subjectRecord], ['rival', rivalRecord]]),
    policy: { ...DEFAULT_POLICY, maxActive: on('ConcurrencyLimit') ? 0 : null, cooldownSeconds: on('Cooldown') ? 60 : 0, maxFailures: 0 },
    emergencyStop: on('EmergencyStop') ? { reason: 'incident', actor: 'ops' } : null,
    denyWindows: on('WindowClosed') ? [{ schedule: 'freeze', closesAt: NOW + 3_600_000 }] : [],
    host: { cpuLoadPercent: on('ResourcePressure') ? 99 : 5, memoryPercent: 5 },
    health: [{ check: 'pages', ok: !on('HealthCheck'), message: 'alertmanager check "pages": 1 alert active: HighErrorRate{severity="critical"}' }],
    // The subject's change: one of its other activations failed, more than maxFailures 0 allows.
    failureBudget: { change: 'apply-preset full', activations: new Set(['subject', 'sibling']), failed: new Set(on('FailureBudget') ? ['sibling'] : []) },
  };
}

const pairs: [PlannerGate, PlannerGate][] = SPEC_ORDER.flatMap((first, i) => SPEC_ORDER.slice(i + 1).map((second): [PlannerGate, PlannerGate] => [first, second]));

describe('gate order (SPEC 4)', () => {
  it('lists the planner gates in SPEC order, with the request-time AwaitingConfirmation last', () => {
    expect(GATES).toEqual([...SPEC_ORDER, 'AwaitingConfirmation']);
  });

  it.each(SPEC_ORDER.map((gate) => [gate]))('%s alone blocks a new activation, and is named', (gate) => {
    const verdict = plan(scene([gate], false)).verdicts.get('subject');
    expect(verdict).toMatchObject({ target: 'inactive', reason: gate });
  });

  // Both orders of each pair are given, so that the one written first in the scene is not what wins.
  it.each(pairs.flatMap(([a, b]) => [[a, b, a], [b, a, a]]))('a new activation blocked by %s and %s shows %s', (a, b, first) => {
    const result = plan(scene([a as PlannerGate, b as PlannerGate], false));
    expect(result.verdicts.get('subject')).toMatchObject({ target: 'inactive', reason: first as Gate });
    expect(result.actions.filter((action) => action.scenario === 'subject')).toEqual([]);
  });

  it('a new activation blocked by every gate at once shows EmergencyStop', () => {
    expect(plan(scene(SPEC_ORDER, false)).verdicts.get('subject')?.reason).toBe('EmergencyStop');
  });

  // A running scenario: only the gates that stop running work apply, still in SPEC order; the others pass.
  it.each(pairs.map(([a, b]) => [a, b, [a, b].find((gate) => HOLDS_RUNNING.has(gate)) ?? null]))(
    'a running scenario under %s and %s shows %s',
    (a, b, first) => {
      const result = plan(scene([a as PlannerGate, b as PlannerGate], true));
      const subjectActions = result.actions.filter((action) => action.scenario === 'subject').map((action) => action.action);
      if (first === null) {
        expect(result.verdicts.get('subject')).toMatchObject({ target: 'active', reason: null });
        expect(subjectActions).toEqual([]);
      } else {
        expect(result.verdicts.get('subject')).toMatchObject({ target: 'inactive', reason: first });
        expect(subjectActions).toEqual(['deactivate']);
      }
    },
  );

  it('a running scenario stays active when a deny window opens, the host gets busy, a health check fails, its change runs out of budget and its cooldown runs, all at once', () => {
    const before = plan(scene([], true));
    expect(before.verdicts.get('subject')).toMatchObject({ target: 'active', reason: null });
    const after = plan({ ...scene(['WindowClosed', 'ResourcePressure', 'HealthCheck', 'FailureBudget', 'Cooldown'], true), previous: before.verdicts });
    expect(after.verdicts.get('subject')).toBe(before.verdicts.get('subject'));
    expect(after.actions).toEqual([]);
  });
});

/** SPEC 10: break-glass passes the gates an incident must get through, and no others. */
describe('break-glass and the gates', () => {
  const glass: DesiredEntry = { state: 'active', source: { kind: 'breakGlass', reason: 'INC-1: scan now', actor: 'alice', expiresAt: NOW + 3_600_000 } };
  const PASSES: ReadonlySet<PlannerGate> = new Set(['WindowClosed', 'ResourcePressure', 'HealthCheck', 'FailureBudget', 'Cooldown']);

  it.each(SPEC_ORDER.map((gate) => [gate, PASSES.has(gate) ? 'passes' : 'still blocks']))('break-glass %s: %s', (gate) => {
    const result = plan(scene([gate], false, glass));
    if (PASSES.has(gate)) {
      expect(result.verdicts.get('subject')).toMatchObject({ target: 'active' });
      expect(result.actions).toEqual([expect.objectContaining({ scenario: 'subject', action: 'activate', because: 'break-glass by alice (INC-1: scan now)' })]);
    } else {
      expect(result.verdicts.get('subject')).toMatchObject({ target: 'inactive', reason: gate });
      expect(result.actions.filter((action) => action.scenario === 'subject')).toEqual([]);
    }
  });

  it('passes every gate it may pass at once, and the first it may not still names itself', () => {
    const passable = SPEC_ORDER.filter((gate) => PASSES.has(gate));
    expect(plan(scene(passable, false, glass)).verdicts.get('subject')).toMatchObject({ target: 'active', reason: 'Progressing' });
    expect(plan(scene([...passable, 'ConcurrencyLimit'], false, glass)).verdicts.get('subject')).toMatchObject({ target: 'inactive', reason: 'ConcurrencyLimit' });
    expect(plan(scene(SPEC_ORDER, false, glass)).verdicts.get('subject')).toMatchObject({ target: 'inactive', reason: 'EmergencyStop' });
  });
});
