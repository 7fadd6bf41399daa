import type { ScenarioSpec } from '../discovery/scenario';
import { unknownRecord, type ObservedRecord, type ScenarioVerdict } from '../reconciler/types';
import { ScenarioViewCache, scenarioView } from './views';

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
