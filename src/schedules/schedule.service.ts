/**
 * Maintenance windows at run time: stored schedules plus read-only calendar windows. It is the reconciler's
 * WindowSource (which windows are open now, and when the next edge comes, so a timer fires a pass exactly
 * then), records every opening and closing in the activity log and announces them as `window.opened` and
 * `window.closed` notifications.
 */
import type { ActivitySink } from '../activity/activity';
import { NO_NOTIFICATIONS, type NotificationSink } from '../notify/notification';
import { DomainError } from '../common/domain-error';
import type { PresetCatalog } from '../presets/preset-catalog';
import { unknownNameMessage } from '../presets/unknown-name';
import type { OpenAllowWindow } from '../reconciler/desired';
import type { OpenDenyWindow } from '../reconciler/gates';
import type { WindowSource } from '../state/state.service';
import { CHANNELS } from '../store/channels';
import { OwnWrites } from '../store/own-writes';
import type { DocumentRepository, StoredDocument } from '../store/store.port';
import type { BlackoutFeed } from './blackout-feed';
import type { CalendarService } from './calendar.service';
import { schedulesToICalendar } from './ics';
import { validateSchedule, type ScheduleKind, type ScheduleSpec } from './schedule';
import { compileSchedule, compiledWindowState, type CompiledSchedule, type WindowState } from './window';

/** A schedule or calendar window as the API shows it. */
export interface ScheduleView extends Partial<ScheduleSpec> {
  name: string;
  /** Absent on blackouts: they deny every scenario. */
  preset?: string;
  kind: ScheduleKind;
  source: 'store' | 'calendar' | 'blackout-feed';
  readOnly: boolean;
  open: boolean;
  openedAt: string | null;
  closesAt: string | null;
  nextOpen: string | null;
  nextClose: string | null;
  /** The next opening and closing as wall-clock times in the schedule's zone, for people. */
  nextOpenLocal: string | null;
  nextCloseLocal: string | null;
}

/** A window and its state at one instant. */
export interface Evaluated {
  name: string;
  preset?: string;
  kind: ScheduleKind;
  state: WindowState;
}

/** One window (schedule, calendar event or blackout event) as the timeline and explain read it: its state at any instant. */
export interface WindowTrack {
  name: string;
  kind: ScheduleKind;
  /** Absent on blackouts: they deny every scenario. */
  preset?: string;
  /** The zone its wall-clock times are told in. */
  timeZone: string;
  source: ScheduleView['source'];
  stateAt(at: number): WindowState;
}

/** Stored schedules and their evaluation. */
export class ScheduleService implements WindowSource {
  private schedules = new Map<string, { spec: ScheduleSpec; compiled: CompiledSchedule }>();
  /** Evaluation is cached until the next edge: passes are frequent, edges are rare. */
  private cache: { at: number; validUntil: number; windows: Evaluated[] } | null = null;
  private openNow = new Map<string, Evaluated>();
  private blackoutFeed: BlackoutFeed | null = null;
  private notifications: NotificationSink = NO_NOTIFICATIONS;
  private readonly listeners = new Set<() => void>();
  /** Whether this replica records and announces window edges (HA: the leader only). */
  private mayAnnounce: () => boolean = () => true;
  /** This replica's schedule writes (a read of the store during one is older than what is held). */
  readonly writes = new OwnWrites();

  constructor(
    private readonly repository: DocumentRepository,
    private readonly presets: PresetCatalog,
    private readonly activity: ActivitySink,
    private readonly calendar: CalendarService | null,
    private readonly clock: () => number = Date.now,
  ) {
    calendar?.onRefresh(() => this.changed());
  }

  /** Adds the blackouts of BLACKOUT_CALENDAR_URL to the windows (deny for every scenario while an event runs). */
  useBlackoutFeed(feed: BlackoutFeed): void {
    this.blackoutFeed = feed;
    feed.onRefresh(() => this.changed());
  }

  /** Where window openings and closings are announced (the notify module's dispatcher). */
  useNotifications(sink: NotificationSink): void {
    this.notifications = sink;
  }

  /**
   * In HA only the leader records and announces openings and closings. A follower still tracks which windows
   * are open, silently, so on taking the lead it announces only edges after that: each edge at most once (an
   * edge that falls while no replica leads goes unannounced rather than twice).
   */
  announceOnlyWhen(mayAnnounce: () => boolean): void {
    this.mayAnnounce = mayAnnounce;
  }

  /** Subscribes to changes of the windows (a schedule saved or deleted, a calendar re-read); returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads stored schedules; an unreadable row is logged and skipped. */
  async load(): Promise<void> {
    const documents = await this.read();
    for (const document of documents) {
      const result = validateSchedule(document.body);
      if (!result.ok) this.activity.record({ category: 'schedule', level: 'warn', actor: 'system', message: `stored schedule ${document.id} skipped: ${result.errors.join('; ')}` });
    }
    this.schedules = compiledSchedules(documents);
    this.cache = null;
  }

  /** The stored schedules (HA: what another replica may have written). */
  read(): Promise<StoredDocument[]> {
    return this.repository.list();
  }

  /** Takes the stored schedules when they differ from those held (another replica wrote); unreadable rows are skipped. */
  adopt(documents: readonly StoredDocument[]): boolean {
    const next = compiledSchedules(documents);
    if (specsKey(next) === specsKey(this.schedules)) return false;
    this.schedules = next;
    this.changed();
    return true;
  }

  /** Validates a schedule (400 with every problem) and checks its preset exists. */
  validate(input: unknown): ScheduleSpec {
    const result = validateSchedule(input);
    if (!result.ok) throw new DomainError('Invalid', result.errors.join('; '), { problems: result.errors });
    const preset = result.schedule.preset;
    if (preset === undefined) return result.schedule;
    return { ...result.schedule, preset: this.presets.get(preset, 'body').id };
  }

  /** Creates a schedule (Conflict when the name is taken) or, with `replace`, replaces it. */
  async save(input: unknown, actor: string, replace = false): Promise<ScheduleView> {
    const spec = this.validate(input);
    await this.writes.run(async () => {
      if (replace) await this.repository.put(spec.name, spec, SCHEDULES_CHANGED);
      else await this.repository.create(spec.name, spec, SCHEDULES_CHANGED);
      this.schedules.set(spec.name, { spec, compiled: compileSchedule(spec) });
    });
    this.activity.record({ category: 'schedule', actor, preset: spec.preset, message: `schedule ${spec.name} ${replace ? 'saved' : 'created'}: ${spec.kind}${spec.preset ? ` ${spec.preset}` : ''} ${spec.cron ? `at "${spec.cron}"` : `once at ${spec.at}`} ${spec.timeZone} for ${spec.duration}` });
    this.changed();
    return this.view(spec.name);
  }

  /** Deletes a schedule; NotFound when absent. */
  async delete(name: string, actor: string): Promise<{ success: true; name: string }> {
    if (!this.schedules.has(name)) throw this.unknown(name);
    await this.writes.run(async () => {
      await this.repository.delete(name, SCHEDULES_CHANGED);
      this.schedules.delete(name);
    });
    this.activity.record({ category: 'schedule', actor, message: `schedule ${name} deleted` });
    this.changed();
    return { success: true, name };
  }

  /** NotFound for a schedule name, with the closest match and the known names. */
  private unknown(name: string): DomainError {
    return new DomainError('NotFound', unknownNameMessage('schedule', name, [...this.schedules.keys()].sort()));
  }

  /** Every schedule and calendar window with its state now. */
  list(): ScheduleView[] {
    const now = this.clock();
    const own = [...this.schedules.values()].sort((a, b) => a.spec.name.localeCompare(b.spec.name)).map(({ spec, compiled }) => toView(spec, compiledWindowState(compiled, now)));
    const calendar = (this.calendar?.windowsByEvent(now) ?? []).map((entry) => ({
      name: entry.name, preset: entry.preset, kind: 'allow' as const, source: 'calendar' as const, readOnly: true, summary: entry.summary,
      ...times(entry.state, 'UTC'),
    }));
    const blackouts = (this.blackoutFeed?.windowsByEvent(now) ?? []).map((entry) => ({
      name: entry.name, kind: 'blackout' as const, source: 'blackout-feed' as const, readOnly: true, summary: entry.summary, ...times(entry.state, 'UTC'),
    }));
    return [...own, ...calendar, ...blackouts];
  }

  /** One stored schedule with its state. */
  view(name: string): ScheduleView {
    const entry = this.schedules.get(name);
    if (!entry) throw this.unknown(name);
    return toView(entry.spec, compiledWindowState(entry.compiled, this.clock()));
  }

  /** The stored schedules as an iCalendar feed. */
  ics(): string {
    return schedulesToICalendar([...this.schedules.values()].map((entry) => entry.spec), new Date(this.clock()), { calendarName: 'Maintenance windows' });
  }

  /** WindowSource: open allow and deny windows now (a blackout is a deny without a preset: every scenario); records openings and closings. */
  openWindows(now: number): { allow: OpenAllowWindow[]; deny: (OpenDenyWindow & { preset?: string })[] } {
    const windows = this.evaluate(now).filter((window) => window.state.open);
    this.noteTransitions(windows, now);
    return openWindowsOf(windows);
  }

  /** WindowSource: the windows open at any instant (plan --at, explain), recording nothing and leaving the loop's cache alone. */
  windowsAt(at: number): { allow: OpenAllowWindow[]; deny: (OpenDenyWindow & { preset?: string })[] } {
    const cached = this.cache && at >= this.cache.at && at < this.cache.validUntil ? this.cache.windows : this.evaluateAt(at);
    return openWindowsOf(cached.filter((window) => window.state.open));
  }

  /** Every window as a track whose state can be read at any instant, for the timeline and explain's next transition. */
  tracks(): WindowTrack[] {
    const own = [...this.schedules.values()].map(({ spec, compiled }) => ({ name: spec.name, kind: spec.kind, preset: spec.preset, timeZone: spec.timeZone, source: 'store' as const, stateAt: (at: number) => compiledWindowState(compiled, at) }));
    const now = this.clock();
    const calendar = (this.calendar?.windowsByEvent(now) ?? []).map((entry) => ({
      name: entry.name, kind: 'allow' as const, preset: entry.preset, timeZone: 'UTC', source: 'calendar' as const, stateAt: (at: number) => this.calendar!.windowsByEvent(at).find((event) => event.name === entry.name)?.state ?? CLOSED,
    }));
    const blackouts = (this.blackoutFeed?.windowsByEvent(now) ?? []).map((entry) => ({
      name: entry.name, kind: 'blackout' as const, timeZone: 'UTC', source: 'blackout-feed' as const, stateAt: (at: number) => this.blackoutFeed!.windowsByEvent(at).find((event) => event.name === entry.name)?.state ?? CLOSED,
    }));
    return [...own, ...calendar, ...blackouts];
  }

  /** WindowSource: the next instant any window opens or closes. */
  nextEdge(now: number): number | null {
    const edges = this.evaluate(now).flatMap((window) => [window.state.open ? window.state.closesAt?.getTime() : window.state.nextOpen?.getTime()]);
    const future = edges.filter((at): at is number => at !== undefined && at > now);
    return future.length ? Math.min(...future) : null;
  }

  /** State of every window (for metrics). */
  states(now: number): Evaluated[] {
    return this.evaluate(now);
  }

  private evaluate(now: number): Evaluated[] {
    if (this.cache && now >= this.cache.at && now < this.cache.validUntil) return this.cache.windows;
    const windows = this.evaluateAt(now);
    const edges = windows.map((window) => (window.state.open ? window.state.closesAt?.getTime() : window.state.nextOpen?.getTime()) ?? Infinity);
    this.cache = { at: now, validUntil: Math.min(Infinity, ...edges), windows };
    return windows;
  }

  /** Every window's state at an instant, uncached. */
  private evaluateAt(now: number): Evaluated[] {
    const windows: Evaluated[] = [...this.schedules.values()].map(({ spec, compiled }) => ({ name: spec.name, preset: spec.preset, kind: spec.kind, state: compiledWindowState(compiled, now) }));
    for (const entry of this.calendar?.windowsByEvent(now) ?? []) windows.push({ name: entry.name, preset: entry.preset, kind: 'allow', state: entry.state });
    for (const entry of this.blackoutFeed?.windowsByEvent(now) ?? []) windows.push({ name: entry.name, kind: 'blackout', state: entry.state });
    return windows;
  }

  private noteTransitions(open: Evaluated[], now: number): void {
    const next = new Map(open.map((window) => [window.name, window]));
    if (!this.mayAnnounce()) {
      this.openNow = next;
      return;
    }
    for (const window of open) {
      if (this.openNow.has(window.name)) continue;
      const closesAt = window.state.closesAt?.toISOString() ?? null;
      const message = `window ${window.name} opened (${window.kind}${window.preset ? ` ${window.preset}` : ' of every scenario'})${closesAt ? ` until ${closesAt}` : ''}`;
      this.activity.record({ category: 'schedule', actor: 'system', preset: window.preset, message });
      this.notifications.notify({ event: 'window.opened', actor: 'system', message, at: now, data: { schedule: window.name, kind: window.kind, preset: window.preset ?? null, closesAt } });
    }
    for (const [name, window] of this.openNow) {
      if (next.has(name)) continue;
      const message = `window ${name} closed`;
      this.activity.record({ category: 'schedule', actor: 'system', message });
      this.notifications.notify({ event: 'window.closed', actor: 'system', message, at: now, data: { schedule: name, kind: window.kind, preset: window.preset ?? null } });
    }
    this.openNow = next;
  }

  private changed(): void {
    this.cache = null;
    for (const listener of this.listeners) listener();
  }
}

/** The notice every schedule write sends, so the other replicas read the schedules again (SPEC 9). */
const SCHEDULES_CHANGED = { channel: CHANNELS.schedules };

/** The readable stored schedules, compiled, by name. */
function compiledSchedules(documents: readonly StoredDocument[]): Map<string, { spec: ScheduleSpec; compiled: CompiledSchedule }> {
  const schedules = new Map<string, { spec: ScheduleSpec; compiled: CompiledSchedule }>();
  for (const document of documents) {
    const result = validateSchedule(document.body);
    if (result.ok) schedules.set(result.schedule.name, { spec: result.schedule, compiled: compileSchedule(result.schedule) });
  }
  return schedules;
}

/** The held schedules as one comparable text, in name order. */
function specsKey(schedules: ReadonlyMap<string, { spec: ScheduleSpec }>): string {
  return JSON.stringify([...schedules.values()].map((entry) => entry.spec).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
}

/** A window with nothing ahead. */
const CLOSED: WindowState = { open: false, nextOpen: null, nextClose: null };

/** The open windows (of those given) as the planner reads them: allow windows add presets, deny windows and blackouts hold activations. */
export function openWindowsOf(windows: readonly Evaluated[]): { allow: OpenAllowWindow[]; deny: (OpenDenyWindow & { preset?: string })[] } {
  return {
    allow: windows.flatMap((window) => (window.kind === 'allow' && window.preset ? [{ schedule: window.name, preset: window.preset }] : [])),
    deny: windows
      .filter((window) => window.kind !== 'allow')
      .map((window) => ({ schedule: window.kind === 'blackout' ? `blackout ${window.name}` : window.name, preset: window.kind === 'blackout' ? undefined : window.preset, appliesTo: window.kind === 'blackout' ? null : undefined, closesAt: window.state.closesAt?.getTime() ?? Infinity })),
  };
}

function toView(spec: ScheduleSpec, state: WindowState): ScheduleView {
  return { ...spec, source: 'store', readOnly: false, ...times(state, spec.timeZone) };
}

function times(state: WindowState, timeZone: string) {
  const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
  return {
    open: state.open,
    openedAt: iso(state.openedAt),
    closesAt: iso(state.closesAt),
    nextOpen: iso(state.nextOpen),
    nextClose: iso(state.nextClose),
    nextOpenLocal: local(state.nextOpen, timeZone),
    nextCloseLocal: local(state.nextClose, timeZone),
  };
}

/** `2026-11-29 02:00 CET`: the wall clock in the zone, with its abbreviation. */
function local(date: Date | null, timeZone: string): string | null {
  if (!date) return null;
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${zoneAbbreviation(date, timeZone)}`;
}

/** Abbreviations depend on the locale (en-US knows EST, en-GB knows CET); take the first that is a name, else GMT+1. */
function zoneAbbreviation(date: Date, timeZone: string): string {
  let fallback = '';
  for (const locale of ['en-US', 'en-GB']) {
    const name = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(date).find((part) => part.type === 'timeZoneName')?.value ?? '';
    if (name && !/^(GMT|UTC)[+-]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback;
}
