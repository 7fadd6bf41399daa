import type { ScenarioSpec } from '../discovery/scenario';
import { unknownRecord, type ObservedRecord, type ScenarioVerdict } from '../reconciler/types';
import { ScenarioViewCache, scenarioView, standingOf } from './views';

const spec = (id: string): ScenarioSpec => ({
  id, name: id, displayName: id, description: '', tags: ['maintenance'], weight: 'light', canDeactivate: true, conflictsWith: [],
  stateEndpoint: '/api/maintenance/state', endpoint: 'http://127.0.0.1:1', endpointSource: 'port', endpointProblem: null, sourceFile: null,
});
const wantActive: ScenarioVerdict = { desired: { state: 'active', source: { kind: 'preset', preset: 'full' } }, target: 'active', reason: 'Progressing', message: 'activating' };
const record = (over: Partial<ObservedRecord> = {}): ObservedRecord => ({ ...unknownRecord(), state: 'inactive', lastAck: 'inactive', ...over });

describe('ScenarioViewCache', () => {
  it('returns the same view object while nothing it shows changed, and equals a fresh view', () => {
    const cache = new ScenarioViewCache();
    const a = spec('a');
    const observed = record({ inFlight: 'activate' });
    const first = cache.view(a, observed, wantActive, false);
    expect(cache.view(a, observed, wantActive, false)).toBe(first);
    expect(first).toEqual(scenarioView(a, observed, wantActive, false));
  });

  it.each<[string, (input: { spec: ScenarioSpec; record: ObservedRecord; verdict: ScenarioVerdict; gone: boolean }) => void]>([
    ['the scenario answered (record updated in place)', (input) => Object.assign(input.record, { state: 'active', lastAck: 'active', inFlight: null, lastActivatedAt: 1_000 })],
    ['a call went out', (input) => (input.record.inFlight = 'deactivate')],
    ['a call failed', (input) => (input.record.failures = 1)],
    ['a new verdict', (input) => (input.verdict = { ...input.verdict, reason: 'ConcurrencyLimit', message: 'full' })],
    ['a new spec from a rescan', (input) => (input.spec = { ...input.spec, displayName: 'A' })],
    ['it vanished', (input) => (input.gone = true)],
  ])('rebuilds the view when %s', (_label, change) => {
    const cache = new ScenarioViewCache();
    const input = { spec: spec('a'), record: record(), verdict: wantActive, gone: false };
    const before = cache.view(input.spec, input.record, input.verdict, input.gone);
    change(input);
    const after = cache.view(input.spec, input.record, input.verdict, input.gone);
    expect(after).not.toBe(before);
    expect(after).toEqual(scenarioView(input.spec, input.record, input.verdict, input.gone));
  });

  it('forgets scenarios that are no longer listed', () => {
    const cache = new ScenarioViewCache();
    const a = spec('a');
    const first = cache.view(a, undefined, undefined, false);
    cache.retain((id) => id !== 'a');
    expect(cache.view(a, undefined, undefined, false)).not.toBe(first);
  });
});

describe('standingOf', () => {
  const blockedVerdict: ScenarioVerdict = { ...wantActive, target: 'inactive', reason: 'ConcurrencyLimit', message: '5 of 5 active' };
  const failedVerdict: ScenarioVerdict = { ...wantActive, reason: 'Unreachable', message: 'connection refused' };
  it.each<[string, ObservedRecord | undefined, ScenarioVerdict | undefined]>([
    ['never observed, no verdict', undefined, undefined],
    ['inactive, no verdict yet', record(), undefined],
    ['activating', record({ inFlight: 'activate' }), wantActive],
    ['arrived since the pass', record({ state: 'active', lastAck: 'active' }), wantActive],
    ['held by a gate', record(), blockedVerdict],
    ['unreachable', record({ state: 'unreachable', failures: 2 }), failedVerdict],
    ['converged', record({ state: 'active', lastAck: 'active' }), { ...wantActive, reason: null, message: null }],
  ])('agrees with the view and its conditions: %s', (_label, observed, verdict) => {
    const view = scenarioView(spec('a'), observed, verdict, false);
    expect(standingOf(observed, verdict)).toEqual({
      isActive: view.isActive,
      desiredState: view.desiredState,
      targetState: view.targetState,
      observedState: view.observedState,
      reason: view.reason,
      message: view.message,
      progressing: view.conditions[1].status === 'True',
      blocked: view.conditions[2].status === 'True',
    });
  });
});
