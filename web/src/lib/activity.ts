/** The activity feed's merge rule. Pure. */
import type { ActivityCategory, ActivityEntry } from '../api/types';

/** Entries kept in the log view; older ones are a `logs` command away. */
export const ACTIVITY_KEPT = 200;

/**
 * Newest first, no duplicates, only the chosen category (null: all), bounded. Used both for entries that
 * arrive over the stream and for refetched pages, which may overlap each other in any order.
 */
export function mergeEntries(current: readonly ActivityEntry[], incoming: readonly ActivityEntry[], category: ActivityCategory | null): ActivityEntry[] {
  const byId = new Map<number, ActivityEntry>();
  for (const entry of [...current, ...incoming]) if (category === null || entry.category === category) byId.set(entry.id, entry);
  return [...byId.values()].sort((a, b) => b.id - a.id).slice(0, ACTIVITY_KEPT);
}
