import { gateChanges, outcomeEntry, planEntry } from './reconcile-log';
import type { ScenarioVerdict } from './types';

const verdict = (reason: ScenarioVerdict['reason'], message: string | null = null): ScenarioVerdict => ({ desired: { state: 'active', source: { kind: 'default' } }, target: 'inactive', reason, message });

describe('reconcile log entries', () => {
  it('names a short plan and counts a long one', () => {
    expect(planEntry([{ scenario: 'a', action: 'activate', because: 'x' }, { scenario: 'b', action: 'deactivate', because: 'y' }]).message).toBe('plan: activate a; deactivate b');
    const many = Array.from({ length: 7 }, (_, i) => ({ scenario: `s${i}`, action: 'activate' as const, because: 'x' }));
    expect(planEntry(many).message).toBe('plan: activate s0, s1, s2, s3, s4 and 2 more');
  });

  it('describes results with their duration', () => {
    expect(outcomeEntry({ scenario: 'a', action: 'activate', durationMs: 12, result: { ok: true, reported: 'active' } }, 'preset full')).toMatchObject({ category: 'action', level: 'info', message: 'activated (preset full) in 12 ms' });
    expect(outcomeEntry({ scenario: 'a', action: 'deactivate', durationMs: 5, result: { ok: false, unreachable: true, aborted: false, error: 'connection refused' } }, 'x')).toMatchObject({ level: 'warn', message: 'deactivate failed: connection refused' });
  });

  it('records a gate only when it starts holding a scenario or changes, not when its message moves', () => {
    const before = new Map([['a', verdict('ResourcePressure', 'CPU load 95% above 90%')], ['b', verdict(null)]]);
    const after = new Map([['a', verdict('ResourcePressure', 'CPU load 96% above 90%')], ['b', verdict('Conflict', 'conflicts with a')], ['c', verdict('NoEndpoint')]]);
    expect(gateChanges(before, after).map((change) => `${change.scenario}:${change.gate}`)).toEqual(['b:Conflict']);
  });
});
