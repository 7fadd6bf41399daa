/**
 * Rollout limits (SPEC 4 and 10), pure: `maxActive` as a count or a percentage of the fleet, and the failure
 * budget of a change (`maxFailures`, a count or a percentage of the change's activations), through the
 * policy schema, the gates and the planner. The ChangeLedger is the bookkeeping the loop keeps around them.
 */
import { ManifestError, parseManifests } from '../presets/manifest';
import { DEFAULT_POLICY, policyFromManifest, type Policy } from '../presets/schema';
import { ChangeLedger } from '../state/change-ledger';
import { concurrencyGate, failureAllowance, failureBudgetGate, resolveLimit, type ChangeProgress } from './gates';
import { plan, type PlannableScenario } from './planner';
import { unknownRecord, type DesiredEntry, type ObservedRecord } from './types';

const policyOf = (spec: Record<string, unknown>) => policyFromManifest(parseManifests(JSON.stringify({ apiVersion: 'maintenance/v1', kind: 'Policy', metadata: { name: 'p' }, spec }), 'p.yaml')[0]);
const problemOf = (spec: Record<string, unknown>) => {
  try {
    policyOf(spec);
  } catch (error) {
    return (error as ManifestError).message;
  }
  return 'accepted';
};

describe('policy: maxActive and maxFailures as a count or a percentage', () => {
  it.each([
    [{ maxActive: 3 }, { maxActive: 3 }],
    [{ maxActive: '25%' }, { maxActive: '25%' }],
    [{ maxActive: ' 12.5 % ' }, { maxActive: '12.5%' }],
    [{ maxActive: null }, { maxActive: null }],
    [{ maxFailures: 0 }, { maxFailures: 0 }],
    [{ maxFailures: '10%' }, { maxFailures: '10%' }],
    [{}, { maxActive: null, maxFailures: null }],
  ])('reads %j', (spec, expected) => {
    expect(policyOf(spec)).toMatchObject(expected);
  });

  it.each([
    [{ maxActive: '150%' }, 'spec.maxActive'],
    [{ maxActive: '25' }, 'spec.maxActive'],
    [{ maxActive: -1 }, 'spec.maxActive'],
    [{ maxActive: 2.5 }, 'spec.maxActive'],
    [{ maxFailures: 'many' }, 'spec.maxFailures'],
    [{ maxFailures: '-5%' }, 'spec.maxFailures'],
  ])('refuses %j, naming %s and both forms', (spec, field) => {
    const message = problemOf(spec);
    expect(message).toContain(field);
    expect(message).toContain('must be a count (a whole number from 0 to 1000000) or a percentage such as "25%"');
  });

  it('a stored policy with percentages reads back the same (the store keeps what the schema gave)', () => {
    const policy = policyOf({ maxActive: '25%', maxFailures: '10%' });
    expect(policyOf(JSON.parse(JSON.stringify(policy)) as Record<string, unknown>)).toEqual(policy);
  });
});

describe('resolveLimit', () => {
  it.each([
    [3, 10, false, 3],
    ['25%', 10, false, 2],
    ['25%', 8, false, 2],
    ['100%', 7, false, 7],
    ['0%', 50, true, 0],
    ['25%', 3, false, 0],
    ['25%', 3, true, 1],
    ['33.3%', 1000, false, 333],
    ['10%', 30, false, 3],
  ] as const)('%s of %i (at least one: %s) is %i', (limit, whole, atLeastOne, expected) => {
    expect(resolveLimit(limit, whole, atLeastOne)).toBe(expected);
  });
});

describe('concurrencyGate with a percentage', () => {
  const occupying = (n: number) => ({ active: new Set(Array.from({ length: n }, (_, i) => `s${i}`)), heavy: new Set<string>() });
  const policy: Policy = { ...DEFAULT_POLICY, maxActive: '25%' };

  it('admits up to the share of the fleet, then names the percentage and what it comes to', () => {
    expect(concurrencyGate(false, policy, occupying(1), 8)).toBeNull();
    expect(concurrencyGate(false, policy, occupying(2), 8)).toEqual({ reason: 'ConcurrencyLimit', message: 'maxActive 25% (2 of 8 scenarios) reached (s0, s1)' });
  });

  it('lets one through on a fleet too small for the share to reach one scenario', () => {
    expect(concurrencyGate(false, policy, occupying(0), 2)).toBeNull();
    expect(concurrencyGate(false, policy, occupying(1), 2)?.reason).toBe('ConcurrencyLimit');
  });
});

describe('failureBudgetGate', () => {
  const change = (activations: number, failed: number): ChangeProgress => ({
    change: 'apply-preset full',
    activations: new Set(Array.from({ length: activations }, (_, i) => `s${i}`)),
    failed: new Set(Array.from({ length: failed }, (_, i) => `s${i}`)),
  });

  it.each([
    [null, 10, 5, false],
    [0, 10, 0, false],
    [0, 10, 1, true],
    [2, 10, 2, false],
    [2, 10, 3, true],
    ['20%', 10, 2, false],
    ['20%', 10, 3, true],
    ['10%', 5, 1, true], // 10% of 5 allows none
    ['50%', 3, 1, false],
    ['50%', 3, 2, true],
  ] as const)('maxFailures %s, %i activations, %i failed: holds %s', (maxFailures, activations, failed, holds) => {
    const block = failureBudgetGate(change(activations, failed), { ...DEFAULT_POLICY, maxFailures }, 's0');
    expect(block?.reason ?? null).toBe(holds ? 'FailureBudget' : null);
  });

  it('holds only the change\'s own activations, and says what failed and until when', () => {
    const policy = { ...DEFAULT_POLICY, maxFailures: '10%' as const };
    expect(failureBudgetGate(change(10, 2), policy, 'outsider')).toBeNull();
    expect(failureBudgetGate(change(10, 2), policy, 's5')).toEqual({
      reason: 'FailureBudget',
      message: 'change "apply-preset full": 2 of 10 activations failed, more than maxFailures 10% (1 of 10) allows; the others wait until the next change or resume',
    });
    expect(failureAllowance(undefined, 10)).toBeNull();
  });
});

describe('the planner with a used-up failure budget', () => {
  const scenario = (id: string): PlannableScenario => ({ id, weight: 'light', canDeactivate: true, conflictsWith: [], endpoint: `http://127.0.0.1:9/${id}`, endpointProblem: null });
  const want: DesiredEntry = { state: 'active', source: { kind: 'preset', preset: 'full' } };
  const ids = ['a', 'b', 'c', 'd', 'outsider'];
  const inactive: ObservedRecord = { ...unknownRecord(), state: 'inactive', lastAck: 'inactive' };
  const active: ObservedRecord = { ...unknownRecord(), state: 'active', lastAck: 'active' };

  it('holds the change\'s pending activations, leaves its running ones and scenarios outside it alone', () => {
    const now = Date.now();
    const result = plan({
      now,
      scenarios: ids.map(scenario),
      desired: new Map(ids.map((id) => [id, want])),
      observed: new Map([
        ['a', { ...inactive, failures: 1, retryAt: now - 1, lastError: 'HTTP 500' }],
        ['b', active],
        ['c', inactive],
        ['d', inactive],
        ['outsider', inactive],
      ]),
      policy: { ...DEFAULT_POLICY, maxFailures: 0 },
      emergencyStop: null,
      denyWindows: [],
      host: null,
      failureBudget: { change: 'apply-preset full', activations: new Set(['a', 'b', 'c', 'd']), failed: new Set(['a']) },
    });
    expect(result.actions.map((action) => `${action.action} ${action.scenario}`)).toEqual(['activate outsider']);
    for (const id of ['a', 'c', 'd']) expect(result.verdicts.get(id)).toMatchObject({ target: 'inactive', reason: 'FailureBudget' });
    expect(result.verdicts.get('b')).toMatchObject({ target: 'active', reason: null });
  });
});

describe('ChangeLedger', () => {
  it('counts failures of the change in progress only, once per scenario, until the next change or the end', () => {
    const ledger = new ChangeLedger();
    expect(ledger.activationFailed('a')).toBe(false);
    ledger.begin('apply-preset full', ['a', 'b']);
    expect(ledger.activationFailed('a')).toBe(true);
    expect(ledger.activationFailed('a')).toBe(false);
    expect(ledger.activationFailed('outsider')).toBe(false);
    expect(ledger.progress()).toEqual({ change: 'apply-preset full', activations: new Set(['a', 'b']), failed: new Set(['a']) });
    ledger.begin('activate c', ['c']);
    expect(ledger.progress()).toEqual({ change: 'activate c', activations: new Set(['c']), failed: new Set() });
    ledger.end();
    expect(ledger.progress()).toBeNull();
  });
});
