/**
 * What discovery writes to the activity log. Rescans run every minute, so entries are recorded on change
 * only: a broken file is reported once (and again if its reason changes), skips as one summary entry.
 */
import type { ActivityInput, ActivitySink, RecordOptions } from '../activity/activity';
import type { Registration } from './registration';
import type { ScanResult, SkippedCandidate } from './scanner';
import type { ScenarioSpec } from './scenario';
import { isBrokenFile } from './service-file';

/** Ids that changed in one merge; every list sorted. */
export interface RegistryChange {
  added: string[];
  updated: string[];
  gone: string[];
}

/** Keeps summary entries small; the full list is in the scan result. */
const MAX_LISTED = 20;

/** Records discovery events through the activity sink, deduplicated across rescans. */
export class DiscoveryLog {
  private lastSummary = '';
  private problems = new Map<string, string>();
  private warnings = new Set<string>();
  private lastError = '';

  constructor(private readonly sink: ActivitySink) {}

  /** Added, updated and gone scenarios, one entry each, batched: a first scan of 10,000 folders is 10,000 entries. */
  changes(change: RegistryChange, current: ReadonlyMap<string, ScenarioSpec>, fields: ReadonlyMap<string, string[]>): void {
    const batch = { batch: true };
    for (const id of change.added) this.record({ message: `Discovered scenario ${id}${endpointNote(current.get(id))}`, scenario: id }, batch);
    for (const id of change.updated) {
      const changed = fields.get(id) ?? [];
      const message = `Scenario ${id} changed (${changed.join(', ')})${endpointNote(current.get(id))}`;
      this.record({ message, scenario: id, data: { fields: changed } }, batch);
    }
    for (const id of change.gone) {
      this.record({ level: 'warn', message: `Scenario ${id} vanished; marked Gone until it is driven inactive`, scenario: id }, batch);
    }
  }

  /** A summary of skipped candidates when it changes, plus one warning per newly broken file. */
  scanned(result: ScanResult, listed: ReadonlySet<string>): void {
    this.lastError = '';
    this.summary(result);
    const problems = new Map(result.skipped.filter((skip) => isBrokenFile(skip.code)).map((skip) => [skip.id, skip.reason]));
    for (const [id, reason] of problems) {
      if (this.problems.get(id) === reason) continue;
      const kept = listed.has(id) ? ' (keeping its last good spec)' : '';
      this.record({ level: 'warn', message: `Skipped ${id}: ${reason}${kept}`, scenario: id });
    }
    this.problems = problems;
    const warnings = new Set(result.warnings.map((warning) => `${warning.id}\u0000${warning.message}`));
    for (const key of warnings) {
      if (this.warnings.has(key)) continue;
      const [id, message] = key.split('\u0000');
      this.record({ level: 'warn', message: `Scenario ${id}: ${message}`, scenario: id });
    }
    this.warnings = warnings;
  }

  /** A failed scan, once per distinct message until a scan succeeds. */
  scanFailed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (message === this.lastError) return;
    this.lastError = message;
    this.record({ level: 'error', message: `Discovery scan failed: ${message}` });
  }

  /** A new registration, or a renewal that changed what it declares (plain heartbeats are not logged). */
  registered(registration: Registration): void {
    const message = `Scenario ${registration.id} registered at ${registration.endpoint} (TTL ${registration.ttlSeconds}s)`;
    this.record({ message, scenario: registration.id });
  }

  /** An explicit unregistration. */
  unregistered(id: string): void {
    this.record({ message: `Scenario ${id} unregistered`, scenario: id });
  }

  /** A registration that was not renewed in time. */
  expired(registration: Registration): void {
    const message = `Registration of ${registration.id} expired after ${registration.ttlSeconds}s without a heartbeat`;
    this.record({ level: 'warn', message, scenario: registration.id });
  }

  /** A Gone scenario the reconciler has finished with. */
  forgotten(id: string): void {
    this.record({ message: `Scenario ${id} removed from the list after it was driven inactive`, scenario: id });
  }

  /** A change listener that threw; the others still ran. */
  listenerFailed(error: unknown): void {
    this.record({ level: 'error', message: `Discovery change listener failed: ${error instanceof Error ? error.message : String(error)}` });
  }

  private summary(result: ScanResult): void {
    const counts: Record<string, number> = {};
    for (const skip of result.skipped) counts[skip.code] = (counts[skip.code] ?? 0) + 1;
    const key = JSON.stringify([result.candidates, result.found.length, skipKey(result.skipped)]);
    if (key === this.lastSummary) return;
    this.lastSummary = key;
    const parts = Object.entries(counts).map(([code, count]) => `${count} ${code}`);
    const message = `Scanned ${result.candidates} candidate folders: ${result.found.length} maintenance scenarios` +
      (parts.length ? `, skipped ${parts.join(', ')}` : '');
    const listed = result.skipped.filter((skip) => skip.code !== 'NotTagged').slice(0, MAX_LISTED);
    this.record({ message, data: { counts, skipped: listed.map(({ id, reason }) => ({ id, reason })) } });
  }

  private record(input: Omit<ActivityInput, 'category'>, options?: RecordOptions): void {
    this.sink.record({ category: 'discovery', actor: 'system', level: 'info', ...input }, options);
  }
}

function skipKey(skipped: SkippedCandidate[]): string {
  return skipped.map((skip) => `${skip.id}:${skip.code}`).join(',');
}

function endpointNote(spec: ScenarioSpec | undefined): string {
  if (!spec) return '';
  if (spec.endpoint) return ` at ${spec.endpoint} (from ${spec.endpointSource})`;
  return spec.endpointProblem ? `; ${spec.endpointProblem.reason}: ${spec.endpointProblem.message}` : '';
}
