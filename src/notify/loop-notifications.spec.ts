/**
 * `healthcheck.blocked` from the loop's passes: sent when the HealthCheck gate starts holding activations
 * back, not again on every pass while it does, and again after it let go and blocks anew. The verdicts are
 * the real planner's; the loop is an EventEmitter carrying them, as the Reconciler does.
 */
import { EventEmitter } from 'node:events';
import { DEFAULT_POLICY } from '../presets/schema';
import type { HealthReading } from '../reconciler/gates';
import { plan, type PlannableScenario } from '../reconciler/planner';
import { unknownRecord, type ObservedRecord, type ScenarioVerdict } from '../reconciler/types';
import { connectLoopNotifications } from './loop-notifications';
import type { NotificationEvent } from './notification';

const scenario: PlannableScenario = { id: 'backup', weight: 'light', canDeactivate: true, conflictsWith: [], endpoint: 'http://127.0.0.1:9', endpointProblem: null };

class Loop extends EventEmitter {
  readonly observed = new Map<string, ObservedRecord>([['backup', { ...unknownRecord(), state: 'inactive', lastAck: 'inactive' }]]);
  verdicts = new Map<string, ScenarioVerdict>();

  /** One planner pass with these health readings, then the `pass` event. */
  pass(health: HealthReading[]): void {
    this.verdicts = plan({
      now: Date.now(), scenarios: [scenario], desired: new Map([['backup', { state: 'active', source: { kind: 'preset', preset: 'full' } }]]),
      observed: this.observed, policy: DEFAULT_POLICY, emergencyStop: null, denyWindows: [], host: null, health,
    }).verdicts;
    this.emit('pass');
  }
}

describe('healthcheck.blocked', () => {
  it('is sent once per episode of the HealthCheck gate holding activations back, naming what it read', () => {
    const loop = new Loop();
    const events: NotificationEvent[] = [];
    connectLoopNotifications(loop, { notify: (event) => events.push(event) }, null, () => null);
    const failing: HealthReading = { check: 'pages', ok: false, message: 'alertmanager check "pages": 1 alert active (not silenced or inhibited): PrimaryDown{severity="critical"}' };
    loop.pass([{ check: 'pages', ok: true, message: 'passes' }]);
    loop.pass([failing]);
    loop.pass([failing]);
    expect(events).toEqual([expect.objectContaining({ event: 'healthcheck.blocked', reason: failing.message })]);
    expect(events[0].message).toContain('hold back 1 activation (backup)');
    loop.pass([{ check: 'pages', ok: true, message: 'passes' }]);
    loop.pass([failing]);
    expect(events.map((event) => event.event)).toEqual(['healthcheck.blocked', 'healthcheck.blocked']);
  });
});

describe('budget.exhausted', () => {
  it('is sent once when a change\'s failure budget starts holding its activations back, naming the change', () => {
    const loop = new Loop();
    const events: NotificationEvent[] = [];
    connectLoopNotifications(loop, { notify: (event) => events.push(event) }, null, () => null);
    const pass = (failed: string[]) => {
      loop.verdicts = plan({
        now: Date.now(), scenarios: [scenario], desired: new Map([['backup', { state: 'active', source: { kind: 'preset', preset: 'full' } }]]),
        observed: loop.observed, policy: { ...DEFAULT_POLICY, maxFailures: 0 }, emergencyStop: null, denyWindows: [], host: null,
        failureBudget: { change: 'apply-preset full', activations: new Set(['backup', 'vacuum']), failed: new Set(failed) },
      }).verdicts;
      loop.emit('pass');
    };
    pass([]);
    pass(['vacuum']);
    pass(['vacuum']);
    expect(events).toEqual([expect.objectContaining({ event: 'budget.exhausted', actor: 'system' })]);
    expect(events[0].message).toMatch(/^failure budget used up: 1 activation held back \(backup\): change "apply-preset full": 1 of 2 activations failed/);
  });
});
