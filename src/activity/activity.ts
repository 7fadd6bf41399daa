/** Activity log entries: what happened, to what, by whom. The sink is the only way the domain records events. */

/** Closed set of categories, shared by the activity log, the structured logs and `logs --filter`. */
export const ACTIVITY_CATEGORIES = ['discovery', 'reconcile', 'action', 'gate', 'schedule', 'api', 'system', 'notification', 'leader'] as const;
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];

/** Severity of an entry. */
export type ActivityLevel = 'info' | 'warn' | 'error';

/** What a caller hands to the sink. */
export interface ActivityInput {
  category: ActivityCategory;
  message: string;
  level?: ActivityLevel;
  scenario?: string | null;
  preset?: string | null;
  /** Who caused it: a token name, `local`, `cli`, or `system` for the loop itself. */
  actor?: string | null;
  /** Small structured details (durations, results); never large payloads. */
  data?: Record<string, unknown> | null;
}

/** A stored entry, as the API returns it. */
export interface ActivityEntry extends Required<Omit<ActivityInput, 'data'>> {
  id: number;
  /** ISO-8601 UTC. */
  timestamp: string;
  data: Record<string, unknown> | null;
  /** What happened, as one word (see activityAction); the activity service fills it in for every entry it hands out. */
  action?: string;
}

/**
 * The entry's action as one word, for clients that read `.action` (the original's bash CLI does in
 * `status --verbose`): the `action` its recorder put in `data` (`activate`, `apply-preset`, `stop-all`...),
 * a call's outcome as `activated` / `deactivated` / `activate-failed` / `activate-abandoned`, a gate's
 * `blocked`, otherwise the category.
 */
export function activityAction(entry: Pick<ActivityEntry, 'category' | 'data'>): string {
  const action = entry.data?.action;
  if (typeof action !== 'string') return entry.category === 'gate' ? 'blocked' : entry.category;
  if (entry.category !== 'action' || entry.data?.result === undefined) return action;
  const result = entry.data.result;
  if (result === 'success') return action === 'activate' ? 'activated' : 'deactivated';
  return `${action}-${result === 'aborted' ? 'abandoned' : 'failed'}`;
}

/** How an event is written. */
export interface RecordOptions {
  /**
   * Gather it with the others of the next few milliseconds into one transaction. For high-volume entries
   * the system derives (one per call to a scenario, one per discovered scenario); an entry the API
   * acknowledges is written at once.
   */
  batch?: boolean;
}

/** Where the domain writes events; implemented by the activity service over the store. */
export interface ActivitySink {
  record(input: ActivityInput, options?: RecordOptions): void;
}
