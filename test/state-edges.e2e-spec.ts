/**
 * The state's optional edges (SPEC 11): the health readings reach the planner inputs DeclaredState builds
 * (so the plan the API shows and the loop's pass both see the HealthCheck gate), and StateService emits
 * emergency stop and resume to its NotificationSink. Real parts: a SQLite store, the policy service, the real Alertmanager.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivityService } from '../src/activity/activity.service';
import type { ScenarioSpec } from '../src/discovery/scenario';
import { HealthCheckService } from '../src/health/health-check.service';
import type { NotificationEvent, NotificationSink } from '../src/notify/notification';
import { PresetCatalog } from '../src/presets/preset-catalog';
import { FixedHostLoadProbe } from '../src/reconciler/host-load';
import { plan } from '../src/reconciler/planner';
import { unknownRecord } from '../src/reconciler/types';
import { PolicyService } from '../src/state/policy.service';
import { DeclaredState, NO_WINDOWS, type StateEdges } from '../src/state/declared-state';
import { StateService, type ReconcileLoop, type ScenarioSource } from '../src/state/state.service';
import { openSqliteStore } from '../src/store/open-store';
import type { SqliteStore } from '../src/store/sqlite.store';
import { startAlertmanager, type MonitoringServer } from './support/monitoring-servers';
import { eventually } from './support/system';

jest.setTimeout(60_000);

/** One scenario that discovery would list; the service never calls it (the loop below never acts). */
const backup: ScenarioSpec = {
  id: 'backup', name: 'backup', displayName: 'Backup', description: '', tags: ['maintenance'], weight: 'light', canDeactivate: true, conflictsWith: [],
  stateEndpoint: '/api/maintenance/state', endpoint: 'http://127.0.0.1:9', endpointSource: 'port', endpointProblem: null, sourceFile: null,
};
/** A loop that has observed nothing and never acts: these tests read the inputs and the emitted events only. */
const idleLoop: ReconcileLoop = { observed: new Map(), verdicts: new Map(), runPass: () => [], abandonActivations: () => [], request: () => undefined };
const scenarios: ScenarioSource = { list: () => [backup], gone: [], get: (id) => (id === 'backup' ? backup : undefined), isGone: () => false, forget: () => undefined };

describe('StateService edges', () => {
  let alertmanager: MonitoringServer;
  let dataDir: string;
  let store: SqliteStore;
  let activity: ActivityService;
  let policy: PolicyService;
  beforeAll(async () => {
    alertmanager = await startAlertmanager();
    dataDir = await mkdtemp(join(tmpdir(), 'mo-state-edges-'));
    store = await openSqliteStore(dataDir);
    activity = new ActivityService(store.activity);
    policy = new PolicyService(store.settings, activity);
    await policy.replace({ healthChecks: [{ alertmanager: { name: 'pages', url: alertmanager.url, matchers: ['severity="critical"'] } }] }, 'test');
  });
  afterAll(async () => {
    await activity?.close();
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
    await alertmanager?.stop();
  });

  /** The declared state (with its edges) and the intents over it. */
  function stateWith(edges: StateEdges) {
    const presets = new PresetCatalog([], store.presets);
    const declared = new DeclaredState(scenarios, presets, policy, NO_WINDOWS, new FixedHostLoadProbe({ cpuLoadPercent: 0, memoryPercent: 0 }), activity, edges);
    const intents = new StateService(scenarios, presets, policy, declared, idleLoop, activity, null, Date.now, edges.notifications);
    return Object.assign(intents, { prepare: (now: number) => declared.prepare(now) });
  }

  it("builds the loop planner's inputs with the health verdict: a firing alert blocks the activation", async () => {
    const health = new HealthCheckService(() => policy.current().healthChecks, { allowedHosts: [] });
    const state = stateWith({ health });
    await state.setOverride('backup', 'active', { actor: 'ops' });
    /** One pass over what prepare() hands the loop, with backup seen inactive. */
    const pass = (from: ReturnType<typeof stateWith>) => {
      const inputs = from.prepare(Date.now());
      return plan({ now: Date.now(), ...inputs, observed: new Map([['backup', { ...unknownRecord(), state: 'inactive', lastAck: 'inactive' }]]) }).verdicts.get('backup');
    };
    await health.readNow();
    expect(pass(state)).toMatchObject({ target: 'active', reason: 'Progressing' });

    const endsAt = new Date(Date.now() + 600_000).toISOString();
    await fetch(`${alertmanager.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ labels: { alertname: 'PrimaryDown', severity: 'critical' }, endsAt }]) });
    await eventually(async () => !(await health.readNow())[0].ok, 'the check to fail', 30_000);
    expect(state.prepare(Date.now()).health).toEqual([expect.objectContaining({ check: 'pages', ok: false, failing: ['PrimaryDown{severity="critical"}'] })]);
    expect(pass(state)).toMatchObject({ target: 'inactive', reason: 'HealthCheck', message: expect.stringContaining('PrimaryDown{severity="critical"}') });
    // Without the edge the inputs carry no readings, and the same state activates: the gate sees only what it is given.
    const without = stateWith({});
    await without.setOverride('backup', 'active', { actor: 'ops' });
    expect(pass(without)).toMatchObject({ target: 'active', reason: 'Progressing' });
  });

  it('emits emergency.stop with the actor and reason, and emergency.resume only when a stop was lifted', () => {
    const events: NotificationEvent[] = [];
    const sink: NotificationSink = { notify: (event) => events.push(event) };
    const state = stateWith({ notifications: sink });
    state.resume('ops');
    state.stopAll('database incident', 'ops');
    state.resume('ops');
    expect(events.map(({ event, actor, reason }) => ({ event, actor, reason }))).toEqual([
      { event: 'emergency.stop', actor: 'ops', reason: 'database incident' },
      { event: 'emergency.resume', actor: 'ops', reason: undefined },
    ]);
  });
});
