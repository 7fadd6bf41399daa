import type { ScenarioSpec } from '../discovery/scenario';
import { unknownRecord, type ObservedRecord, type ScenarioVerdict } from '../reconciler/types';
import { diffInventory, type PublishedMark, type SeenScenario } from './inventory-diff';

const spec = (id: string, overrides: Partial<ScenarioSpec> = {}): ScenarioSpec => ({
  id, name: id, displayName: id, description: '', tags: ['maintenance'], weight: 'light', canDeactivate: true, conflictsWith: [],
  stateEndpoint: '/api/maintenance/state', endpoint: 'http://127.0.0.1:1', endpointSource: 'port', endpointProblem: null, sourceFile: `/s/${id}/.vrooli/service.json`, ...overrides,
});
const verdict: ScenarioVerdict = { desired: { state: 'active', source: { kind: 'preset', preset: 'p' } }, target: 'active', reason: null, message: null };

/** A fleet the leader sees, and a way to publish it (keep the marks as the publisher does after a stored write). */
function fleet(count: number) {
  const seen: SeenScenario[] = Array.from({ length: count }, (_, i) => ({ spec: spec(`s-${String(i).padStart(5, '0')}`), gone: false, verdict, observed: unknownRecord() }));
  let marks: ReadonlyMap<string, PublishedMark> = new Map();
  return {
    seen,
    publish(now = 1_000) {
      const diff = diffInventory(marks, seen, now);
      marks = diff.marks;
      return diff;
    },
  };
}

describe('diffInventory', () => {
  it('writes every scenario the first time, then nothing while nothing changed', () => {
    const f = fleet(3);
    expect(f.publish().changed.map((row) => row.id)).toEqual(['s-00000', 's-00001', 's-00002']);
    expect(f.publish()).toMatchObject({ changed: [], removed: [] });
  });

  it('writes only the scenario whose observed record changed in place, stamped with when it was seen', () => {
    const f = fleet(10_000);
    f.publish(1_000);
    const record = f.seen[42].observed as ObservedRecord;
    record.state = 'active';
    record.lastAck = 'active';
    const diff = f.publish(2_000);
    expect(diff.changed).toHaveLength(1);
    expect(diff.changed[0]).toMatchObject({ id: 's-00042', discovered: true, body: { observed: { state: 'active', observedAt: 2_000 }, verdict } });
    // The stamp stays with the observation: a later write for another reason keeps it.
    f.seen[42].verdict = { ...verdict, reason: 'Conflict', message: 'x' };
    expect(f.publish(3_000).changed[0].body.observed?.observedAt).toBe(2_000);
  });

  it.each([
    ['a new spec object with the same content', 0, (s: SeenScenario) => (s.spec = { ...s.spec })],
    ['a spec whose endpoint moved', 1, (s: SeenScenario) => (s.spec = { ...s.spec, endpoint: 'http://127.0.0.1:2' })],
    ['a new verdict object with the same content', 0, (s: SeenScenario) => (s.verdict = { ...verdict })],
    ['a verdict with another reason', 1, (s: SeenScenario) => (s.verdict = { ...verdict, reason: 'Blocked' as never })],
    ['a scenario gone', 1, (s: SeenScenario) => (s.gone = true)],
    ['an in-flight call', 1, (s: SeenScenario) => ((s.observed as ObservedRecord).inFlight = 'activate')],
    ['a lease renewed', 1, (s: SeenScenario) => ((s.observed as ObservedRecord).leaseExpiresAt = 99)],
    ['a retry time only (not shown)', 0, (s: SeenScenario) => ((s.observed as ObservedRecord).retryAt = 5)],
  ])('after %s writes %i row(s)', (_, rows, change) => {
    const f = fleet(2);
    f.publish();
    change(f.seen[1]);
    expect(f.publish().changed).toHaveLength(rows);
  });

  it('removes what the leader no longer lists, and flags registration-only scenarios as not discovered', () => {
    const f = fleet(3);
    f.publish();
    f.seen.splice(1, 1);
    f.seen.push({ spec: spec('registered', { sourceFile: null, endpointSource: 'registration' }), gone: false, verdict: undefined, observed: undefined });
    const diff = f.publish();
    expect(diff.removed).toEqual(['s-00001']);
    expect(diff.changed).toEqual([{ id: 'registered', discovered: false, body: expect.objectContaining({ verdict: null, observed: null }) }]);
  });
});
