/** What each per-scenario gauge says for the states a scenario can be in. */
import type { ScenarioView } from '../state/views';
import { fleetSnapshotSource, scenarioSample, type ScenarioSample } from './fleet-snapshot';

/** A converged, inactive, reachable scenario; each case changes what it is about. */
function view(patch: Partial<ScenarioView> = {}): ScenarioView {
  return {
    id: 'backup', name: 'backup', displayName: 'Backup', description: '', tags: ['maintenance'], weight: 'light',
    endpoint: 'http://127.0.0.1:15000', endpointSource: 'port', canDeactivate: true, conflictsWith: [],
    isActive: false, desiredState: 'inactive', targetState: 'inactive', observedState: 'inactive', desiredSource: 'default',
    reason: null, message: null, conditions: [], activeUntil: null, lastActive: null, leaseExpiresAt: null, inFlight: null, failures: 0, gone: false,
    ...patch,
  };
}

describe('scenarioSample', () => {
  const cases: [string, Partial<ScenarioView>, Partial<ScenarioSample>][] = [
    ['converged inactive', {}, { active: false, desiredActive: false, inSync: true, blockedBy: null, reachable: true }],
    ['converged active with a TTL', { isActive: true, desiredState: 'active', targetState: 'active', observedState: 'active', activeUntil: '2030-01-01T00:00:00.000Z' }, { active: true, desiredActive: true, inSync: true, ttlExpiry: 1893456000 }],
    ['activating', { desiredState: 'active', targetState: 'active', inFlight: 'activate', reason: 'Progressing' }, { desiredActive: true, inSync: false }],
    ['held by a gate counts as in sync', { desiredState: 'active', reason: 'ConcurrencyLimit', message: 'maxHeavy 2 reached' }, { desiredActive: true, inSync: true, blockedBy: 'ConcurrencyLimit' }],
    ['evicted by a gate but still active is not in sync', { isActive: true, observedState: 'active', desiredState: 'active', reason: 'EmergencyStop', inFlight: 'deactivate' }, { inSync: false, blockedBy: 'EmergencyStop' }],
    ['unreachable and failing', { desiredState: 'active', targetState: 'active', observedState: 'unreachable', reason: 'Unreachable' }, { inSync: false, reachable: false, blockedBy: null }],
    ['no endpoint', { endpoint: null, endpointSource: null, observedState: 'unknown', reason: 'NoEndpoint' }, { inSync: false, reachable: false }],
    ['action failed, reachable', { desiredState: 'active', targetState: 'active', reason: 'ActionFailed' }, { inSync: false, reachable: true }],
    ['heavy', { weight: 'heavy' }, { weight: 'heavy' }],
  ];
  it.each(cases)('%s', (_name, patch, expected) => {
    expect(scenarioSample(view(patch))).toMatchObject({ id: 'backup', ttlExpiry: null, ...expected });
  });
});

describe('fleetSnapshotSource', () => {
  it('reads scenarios, windows, the stop latch and the queue once, counting Gone scenarios out of discovery', () => {
    const source = fleetSnapshotSource({
      listScenarios: () => [view({ id: 'a' }), view({ id: 'b', gone: true })],
      emergencyStop: () => true,
      windows: () => [
        { name: 'nightly', preset: 'off-hours', kind: 'allow', state: { open: false, nextOpen: new Date('2030-01-01T02:00:00Z') } },
        { name: 'freeze', preset: 'full', kind: 'deny', state: { open: true, nextOpen: null } },
      ],
      queueDepth: () => 7,
      clock: () => 0,
    });
    expect(source()).toEqual({
      scenarios: [expect.objectContaining({ id: 'a' }), expect.objectContaining({ id: 'b' })],
      windows: [
        { schedule: 'nightly', preset: 'off-hours', kind: 'allow', open: false, nextOpen: Date.parse('2030-01-01T02:00:00Z') / 1000 },
        { schedule: 'freeze', preset: 'full', kind: 'deny', open: true, nextOpen: null },
      ],
      emergencyStop: true,
      discovered: 1,
      queueDepth: 7,
    });
  });
});
