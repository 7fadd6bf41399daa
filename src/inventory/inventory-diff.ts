/**
 * What the leader publishes of each scenario (SPEC 9), and which of them changed since the last
 * publication. Pure. A pass touches every scenario of a 10,000-scenario fleet, but few of them change, so
 * only those are written: a spec or verdict object the loop kept is unchanged by identity, and the
 * observed record (updated in place) is compared by its fields.
 */
import type { ScenarioSpec } from '../discovery/scenario';
import type { ObservedRecord, ScenarioVerdict } from '../reconciler/types';

/** What a follower shows of a scenario's observed state; `observedAt` is when the leader saw it change (epoch ms). */
export type PublishedObservation = Omit<ObservedRecord, 'retryAt'> & { observedAt: number };

/** One row's body: the scenario as the leader lists it, its last verdict and what it observed. */
export interface PublishedScenario {
  spec: ScenarioSpec;
  gone: boolean;
  verdict: ScenarioVerdict | null;
  observed: PublishedObservation | null;
}

/** One scenario as the leader sees it now. */
export interface SeenScenario {
  spec: ScenarioSpec;
  gone: boolean;
  verdict: ScenarioVerdict | undefined;
  observed: ObservedRecord | undefined;
}

/** What was last published of one scenario, to tell a change from a mere new object. */
export interface PublishedMark {
  spec: ScenarioSpec;
  specText: string;
  verdict: ScenarioVerdict | undefined;
  verdictText: string;
  gone: boolean;
  observedKey: string;
  observedAt: number;
}

/** The rows to write, the ids to remove, and the marks to keep once the write is stored. */
export interface InventoryDiff {
  changed: { id: string; body: PublishedScenario; discovered: boolean }[];
  removed: string[];
  marks: Map<string, PublishedMark>;
}

/** The observed fields a follower shows, as one comparable string. */
export function observationKey(record: ObservedRecord | undefined): string {
  if (!record) return '';
  return `${record.state}|${record.lastAck}|${record.lastActivatedAt}|${record.inFlight}|${record.failures}|${record.lastError}|${record.leaseExpiresAt}`;
}

/**
 * Compares what the leader sees with what it last published. `now` stamps an observation that changed.
 * The returned marks describe the publication once `changed` and `removed` are stored.
 */
export function diffInventory(published: ReadonlyMap<string, PublishedMark>, seen: Iterable<SeenScenario>, now: number): InventoryDiff {
  const marks = new Map<string, PublishedMark>();
  const changed: InventoryDiff['changed'] = [];
  for (const scenario of seen) {
    const id = scenario.spec.id;
    const before = published.get(id);
    const mark = markOf(scenario, before, now);
    marks.set(id, mark);
    if (before && isSameMark(before, mark)) continue;
    changed.push({ id, body: bodyOf(scenario, mark), discovered: scenario.spec.sourceFile !== null });
  }
  const removed = [...published.keys()].filter((id) => !marks.has(id)).sort();
  return { changed, removed, marks };
}

function markOf(scenario: SeenScenario, before: PublishedMark | undefined, now: number): PublishedMark {
  const specText = before?.spec === scenario.spec ? before.specText : JSON.stringify(scenario.spec);
  const verdictText = before && before.verdict === scenario.verdict ? before.verdictText : JSON.stringify(scenario.verdict ?? null);
  const observedKey = observationKey(scenario.observed);
  const observedAt = before?.observedKey === observedKey ? before.observedAt : now;
  return { spec: scenario.spec, specText, verdict: scenario.verdict, verdictText, gone: scenario.gone, observedKey, observedAt };
}

function isSameMark(a: PublishedMark, b: PublishedMark): boolean {
  return a.specText === b.specText && a.verdictText === b.verdictText && a.gone === b.gone && a.observedKey === b.observedKey;
}

function bodyOf(scenario: SeenScenario, mark: PublishedMark): PublishedScenario {
  const record = scenario.observed;
  const observed: PublishedObservation | null = record
    ? {
        state: record.state,
        lastAck: record.lastAck,
        lastActivatedAt: record.lastActivatedAt,
        inFlight: record.inFlight,
        failures: record.failures,
        lastError: record.lastError,
        leaseExpiresAt: record.leaseExpiresAt,
        observedAt: mark.observedAt,
      }
    : null;
  return { spec: scenario.spec, gone: scenario.gone, verdict: scenario.verdict ?? null, observed };
}
