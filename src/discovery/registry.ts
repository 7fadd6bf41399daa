/**
 * The current set of scenario specs: scanned files merged with live registrations (SPEC 2). It holds specs
 * only; per-scenario state lives in the reconciler, so a rescan can never reset it. Vanished scenarios stay
 * listed as Gone, with their last spec, until the reconciler has driven them inactive and calls `forget`.
 * A Gone scenario that reappears before that is reported as added again.
 */
import * as path from 'node:path';
import type { ActivitySink } from '../activity/activity';
import type { Timers } from '../common/timers';
import { standaloneTimers } from '../schedules/scheduler-timers';
import { DiscoveryLog, type RegistryChange } from './discovery-log';
import { DEFAULT_ALLOWED_HOSTS, type PortResolverRunner } from './endpoint';
import { PortResolverCache } from './port-resolver';
import { applyRegistration, changesSpec, isExpired, validateRegistration, type Registration, type RegistrationInput } from './registration';
import { DEFAULT_SELF_ID, scanScenariosDir, type ScanResult } from './scanner';
import { isBrokenFile } from './service-file';
import type { ScenarioSpec } from './scenario';
import { changedFields } from './spec-diff';
import { ScenarioWatcher } from './watcher';

export type { RegistryChange } from './discovery-log';

/** `applyStored`'s default: a complete list keeps nothing it does not name. */
const NOTHING_KEPT: ReadonlySet<string> = new Set();

/** Called after every merge that changed something. */
export type RegistryListener = (change: RegistryChange) => void;

/** How one scan of the scenarios directory went (metrics, readiness). */
export interface ScanReport {
  ok: boolean;
  durationSeconds: number;
}

/** Construction options; `now` is the clock used for registration TTLs (epoch ms). */
export interface ScenarioRegistryOptions {
  scenariosDir: string;
  selfId?: string;
  allowedHosts?: readonly string[];
  portResolver?: string | null;
  now?: () => number;
  /** Replaces the real resolver process (tests); its answers are cached like the real one's. */
  runResolver?: PortResolverRunner;
  /** Set false to rely on the periodic rescan only. */
  watch?: boolean;
  /** Told after every scan, failed or not; discovery never imports a metrics library. */
  onScan?: (report: ScanReport) => void;
  /** Where the rescan and expiry timers live (the application's SchedulerRegistry); its own when omitted. */
  timers?: Timers;
}

/** Names of discovery's timers, as GET /api/v1/timers lists them. */
export const DISCOVERY_TIMERS = { rescan: 'discovery.rescan', expiry: 'discovery.registration-expiry', watch: 'discovery.file-change' } as const;

/** How long file events are gathered before one rescan. */
const WATCH_DEBOUNCE_MS = 200;
/** Registrations are checked for expiry at least this often while started. */
const EXPIRY_SWEEP_MS = 1_000;

/** Holds the discovered scenarios and merges rescans and registrations into them. */
export class ScenarioRegistry {
  private readonly log: DiscoveryLog;
  private readonly now: () => number;
  private readonly selfId: string;
  private readonly allowedHosts: readonly string[];
  private scanned = new Map<string, ScenarioSpec>();
  private readonly registrations = new Map<string, Registration>();
  /** The earliest expiry among registrations (or earlier): reads skip the sweep until then, as every pass reads. */
  private nextExpiryAt = Infinity;
  private listCache: ScenarioSpec[] | null = null;
  private current = new Map<string, ScenarioSpec>();
  private readonly goneSpecs = new Map<string, ScenarioSpec>();
  private readonly listeners = new Set<RegistryListener>();
  private inflight: Promise<RegistryChange> | null = null;
  private queued: Promise<RegistryChange> | null = null;
  private readonly timers: Timers;
  private watcher: ScenarioWatcher | null = null;
  private scannedOk = false;
  /** Resolver answers per scenario (60 s, failures 5 s) on the registry's clock, so rescans do not respawn it. */
  private readonly resolverCache: PortResolverCache;

  constructor(
    private readonly options: ScenarioRegistryOptions,
    sink: ActivitySink,
  ) {
    this.log = new DiscoveryLog(sink);
    this.now = options.now ?? Date.now;
    this.selfId = options.selfId ?? DEFAULT_SELF_ID;
    this.allowedHosts = options.allowedHosts ?? DEFAULT_ALLOWED_HOSTS;
    this.timers = options.timers ?? standaloneTimers();
    this.resolverCache = new PortResolverCache({ run: options.runResolver, now: this.now });
  }

  /**
   * Every listed scenario, live and Gone, sorted by id. The same array is returned until something changes
   * (every reconcile pass reads it; callers must not mutate it), so a caller can tell "unchanged" by identity.
   */
  list(): readonly ScenarioSpec[] {
    this.sweep();
    if (!this.listCache) {
      const all = [...this.current.values(), ...this.goneSpecs.values()];
      this.listCache = all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    return this.listCache;
  }

  /** One scenario (live or Gone), or undefined. */
  get(id: string): ScenarioSpec | undefined {
    this.sweep();
    return this.current.get(id) ?? this.goneSpecs.get(id);
  }

  /** True when the scenario vanished and has not been forgotten yet. */
  isGone(id: string): boolean {
    this.sweep();
    return this.goneSpecs.has(id);
  }

  /** Ids of Gone scenarios, sorted. */
  get gone(): string[] {
    this.sweep();
    return [...this.goneSpecs.keys()].sort();
  }

  /** Drops a Gone scenario once the reconciler drove it inactive; false when it is not Gone. */
  forget(id: string): boolean {
    if (!this.goneSpecs.delete(id)) return false;
    this.listCache = null;
    this.log.forgotten(id);
    return true;
  }

  /** Live registrations, sorted by id. */
  listRegistrations(): Registration[] {
    this.sweep();
    return [...this.registrations.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** True once a scan has succeeded: the list reflects the directory, not just registrations. */
  get hasScanned(): boolean {
    return this.scannedOk;
  }

  /** Subscribes to changes; returns the unsubscribe function. */
  onChange(listener: RegistryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Scans now and merges; concurrent calls share one scan plus at most one queued follow-up. Rejects with DiscoveryError. */
  rescan(): Promise<RegistryChange> {
    if (this.queued) return this.queued;
    if (this.inflight) {
      const again = (): Promise<RegistryChange> => {
        this.queued = null;
        return this.rescan();
      };
      this.queued = this.inflight.then(again, again);
      return this.queued;
    }
    this.inflight = this.scanOnce().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Registers or renews (heartbeat); throws DiscoveryError `InvalidRegistration` or `HostNotAllowed`. */
  register(input: RegistrationInput): Registration {
    this.sweep();
    const previous = this.registrations.get(typeof input.id === 'string' ? input.id.trim() : '');
    const context = { allowedHosts: this.allowedHosts, selfId: this.selfId, now: this.now(), previous };
    const registration = validateRegistration(input, context);
    this.registrations.set(registration.id, registration);
    this.nextExpiryAt = Math.min(this.nextExpiryAt, registration.expiresAt);
    if (changesSpec(previous, registration)) {
      this.log.registered(registration);
      this.merge();
    }
    return registration;
  }

  /** Validates a registration as `register` would, without taking it (HA: it is stored first). */
  validate(input: RegistrationInput): Registration {
    const previous = this.registrations.get(typeof input.id === 'string' ? input.id.trim() : '');
    return validateRegistration(input, { allowedHosts: this.allowedHosts, selfId: this.selfId, now: this.now(), previous });
  }

  /**
   * Takes registrations another replica stored (HA): `upserts` replace the held ones, `removed` go. Nothing is
   * logged: the replica that accepted the call did. With `complete`, the upserts are every live registration
   * and any other held one goes too (a poll), except those in `keep` (changed since the poll's read began).
   */
  applyStored(upserts: readonly Registration[], removed: readonly string[], complete = false, keep: ReadonlySet<string> = NOTHING_KEPT): void {
    this.sweep();
    const ids = new Set(upserts.map((registration) => registration.id));
    const leaving = complete ? [...this.registrations.keys()].filter((id) => !ids.has(id) && !keep.has(id)) : removed.filter((id) => this.registrations.has(id));
    let changed = leaving.length > 0;
    for (const registration of upserts) {
      if (isExpired(registration, this.now())) continue;
      changed ||= changesSpec(this.registrations.get(registration.id), registration);
      this.registrations.set(registration.id, registration);
      this.nextExpiryAt = Math.min(this.nextExpiryAt, registration.expiresAt);
    }
    const gone = leaving.map((id) => this.registrations.get(id)!);
    for (const id of leaving) this.registrations.delete(id);
    if (gone.length > 0) this.afterRegistrationsRemoved(gone, true);
    else if (changed) this.merge(true);
  }

  /**
   * Whether this replica records a registration's expiry in the activity log. HA: only the leader does, so
   * the shared log says it once; every replica still drops it at the same instant.
   */
  recordsExpiry: () => boolean = () => true;

  /**
   * A follower's list (HA): the specs the leader discovered from files replace this replica's own scan, and
   * registrations are merged over them as usual. The leader's next scan starts from the directory again.
   */
  adoptScan(specs: readonly ScenarioSpec[]): RegistryChange {
    this.scanned = new Map(specs.map((spec) => [spec.id, spec]));
    this.scannedOk = true;
    return this.merge(true);
  }

  /** Removes a registration; false when there was none. */
  unregister(id: string): boolean {
    const registration = this.registrations.get(id);
    if (!registration) return false;
    this.registrations.delete(id);
    this.log.unregistered(id);
    this.afterRegistrationsRemoved([registration]);
    return true;
  }

  /** Rescans every `intervalMs` and on file changes; resolves after the first scan (rejects with its error, scanning goes on). */
  start(intervalMs: number): Promise<void> {
    this.stop();
    this.timers.every(DISCOVERY_TIMERS.rescan, intervalMs, () => this.rescanInBackground());
    this.timers.every(DISCOVERY_TIMERS.expiry, Math.min(EXPIRY_SWEEP_MS, intervalMs), () => this.sweep());
    if (this.options.watch !== false) this.watcher = new ScenarioWatcher(() => this.rescanInBackground(), WATCH_DEBOUNCE_MS, this.timers, DISCOVERY_TIMERS.watch);
    return this.rescan().then(() => undefined);
  }

  /** Stops timers and file watches; idempotent. */
  stop(): void {
    this.timers.cancel(DISCOVERY_TIMERS.rescan);
    this.timers.cancel(DISCOVERY_TIMERS.expiry);
    this.watcher?.close();
    this.watcher = null;
  }

  private async scanOnce(): Promise<RegistryChange> {
    this.sweep();
    let result: ScanResult;
    const started = performance.now();
    const report = (ok: boolean) => this.options.onScan?.({ ok, durationSeconds: (performance.now() - started) / 1000 });
    try {
      result = await scanScenariosDir(this.options.scenariosDir, {
        selfId: this.selfId,
        allowedHosts: this.allowedHosts,
        portResolver: this.options.portResolver,
        runResolver: this.resolverCache.run,
        registeredIds: new Set(this.registrations.keys()),
      });
    } catch (error: unknown) {
      report(false);
      // Keep the last known specs: an unmounted or mistyped root must not make every scenario Gone.
      this.log.scanFailed(error);
      throw error;
    }
    report(true);
    this.scannedOk = true;
    this.scanned = this.keepLastGood(result);
    this.log.scanned(result, new Set(this.scanned.keys()));
    this.watchCandidates(result);
    return this.merge();
  }

  /**
   * The scan's specs, plus the previous spec of any scenario whose file is now unreadable or invalid JSON:
   * a half-saved edit must not make a scenario Gone. Untagging it, or removing the folder, does.
   */
  private keepLastGood(result: ScanResult): Map<string, ScenarioSpec> {
    const next = new Map(result.found.map((spec) => [spec.id, spec]));
    for (const skip of result.skipped) {
      const previous = this.scanned.get(skip.id);
      if (previous && isBrokenFile(skip.code)) next.set(skip.id, previous);
    }
    return next;
  }

  private rescanInBackground(): void {
    this.rescan().catch(() => undefined); // already recorded by scanOnce
  }

  /**
   * Recomputes the live set from scanned specs and registrations, records (unless `quiet`: another replica
   * did, HA) and notifies what changed.
   */
  private merge(quiet = false): RegistryChange {
    const next = new Map(this.scanned);
    for (const [id, registration] of this.registrations) next.set(id, applyRegistration(this.scanned.get(id), registration));
    const change: RegistryChange = { added: [], updated: [], gone: [] };
    const fields = new Map<string, string[]>();
    for (const [id, spec] of next) {
      const before = this.current.get(id);
      const changed = before ? changedFields(before, spec) : [];
      if (!before) change.added.push(id);
      else if (changed.length > 0) change.updated.push(id);
      if (changed.length > 0) fields.set(id, changed);
      this.goneSpecs.delete(id);
    }
    for (const [id, spec] of this.current) {
      if (next.has(id)) continue;
      change.gone.push(id);
      this.goneSpecs.set(id, spec);
    }
    this.current = next;
    this.listCache = null;
    for (const ids of Object.values(change)) ids.sort();
    if (!quiet) this.log.changes(change, this.current, fields);
    this.notify(change);
    return change;
  }

  private notify(change: RegistryChange): void {
    if (change.added.length + change.updated.length + change.gone.length === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error: unknown) {
        this.log.listenerFailed(error);
      }
    }
  }

  /** Drops expired registrations; called on every read so expiry is exact even between timer ticks. */
  private sweep(): void {
    const now = this.now();
    if (now < this.nextExpiryAt) return;
    const expired = [...this.registrations.values()].filter((registration) => isExpired(registration, now));
    this.nextExpiryAt = Math.min(Infinity, ...[...this.registrations.values()].filter((registration) => !isExpired(registration, now)).map((registration) => registration.expiresAt));
    if (expired.length === 0) return;
    const records = this.recordsExpiry();
    for (const registration of expired) {
      this.registrations.delete(registration.id);
      if (records) this.log.expired(registration);
    }
    this.afterRegistrationsRemoved(expired, !records);
  }

  private afterRegistrationsRemoved(removed: Registration[], quiet = false): void {
    this.merge(quiet);
    // The scan skipped the resolver for registered scenarios; now it may be the only way to an endpoint.
    const needsResolver = removed.some((registration) => this.scanned.get(registration.id)?.endpoint === null);
    if (needsResolver && this.options.portResolver) this.rescanInBackground();
  }

  private watchCandidates(result: ScanResult): void {
    if (!this.watcher) return;
    const root = this.options.scenariosDir;
    const ids = [...result.found.map((spec) => spec.id), ...result.skipped.filter((skip) => skip.code !== 'Self').map((skip) => skip.id)];
    this.watcher.sync([root, ...ids.map((id) => path.join(root, id, '.vrooli'))]);
  }
}
