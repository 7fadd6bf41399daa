/**
 * The timeline (GET /timeline), pure: every window run, blackout, override and break-glass expiry between two instants,
 * each with the scenarios it touches. Runs come from the window maths (window-runs.ts).
 */
import type { DesiredStateModel } from '../reconciler/desired';
import type { WindowTrack } from '../schedules/schedule.service';
import { windowRuns } from './window-runs';

/** One bar of the timeline. */
export interface TimelineEntry {
  start: string;
  /** Null when the window stays open past what the maths looks ahead. */
  end: string | null;
  kind: 'allow' | 'deny' | 'blackout' | 'override' | 'breakGlass';
  schedule?: string;
  preset?: string;
  /** Where the window is declared: a stored schedule, the calendar feed or the blackout feed. */
  source?: string;
  timeZone?: string;
  /** Overrides: the state they hold and why. */
  state?: 'active' | 'inactive';
  reason?: string | null;
  /** The scenarios it touches, sorted, the first MAX_LISTED of them; `scenarioCount` has them all. */
  scenarios: string[];
  scenarioCount: number;
}

/** Ids listed per entry at most: a blackout touches the whole fleet, and 10,000 ids per bar help nobody. */
export const MAX_LISTED = 20;

/** Who a window touches: the scenarios its preset selects, or every scenario (a blackout). */
export type Selection = (preset: string | undefined) => readonly string[];

/** Every entry overlapping [from, to), ordered by start, then kind and name. */
export function timelineEntries(tracks: readonly WindowTrack[], model: DesiredStateModel, selection: Selection, from: number, to: number): TimelineEntry[] {
  const entries: (TimelineEntry & { startMs: number })[] = [];
  for (const track of tracks) {
    const touched = selection(track.kind === 'blackout' ? undefined : track.preset);
    for (const run of windowRuns(track.stateAt, from, to)) {
      entries.push({
        startMs: run.start,
        start: new Date(run.start).toISOString(),
        end: run.end === null ? null : new Date(run.end).toISOString(),
        kind: track.kind,
        schedule: track.name,
        ...(track.preset ? { preset: track.preset } : {}),
        source: track.source,
        timeZone: track.timeZone,
        scenarios: touched.slice(0, MAX_LISTED),
        scenarioCount: touched.length,
      });
    }
  }
  for (const [id, override] of Object.entries(model.overrides)) {
    if (override.expiresAt === null || override.expiresAt <= from || override.setAt >= to) continue;
    // A break-glass activation is an override that passes the gates an incident must get through: its own row.
    const kind = override.breakGlass ? 'breakGlass' : 'override';
    entries.push({ startMs: override.setAt, start: new Date(override.setAt).toISOString(), end: new Date(override.expiresAt).toISOString(), kind, state: override.state, reason: override.reason, scenarios: [id], scenarioCount: 1 });
  }
  entries.sort((a, b) => a.startMs - b.startMs || a.kind.localeCompare(b.kind) || (a.schedule ?? a.scenarios[0] ?? '').localeCompare(b.schedule ?? b.scenarios[0] ?? ''));
  return entries.map(({ startMs: _startMs, ...entry }) => entry);
}
