/** Instants as both stores keep them: one ISO-8601 UTC spelling, checked before anything is written. */

/** The shape `toISOString()` produces, with fields in range (anything else goes through Date and may be refused). */
const CANONICAL_ISO = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/**
 * Timestamps are compared as text in SQLite, which only orders correctly in one format: `...00Z` sorts after
 * `...00.500Z`. Normalising every stored and compared instant to `toISOString()` makes text order time order,
 * and gives PostgreSQL the same millisecond instants. Throws RangeError for anything that is not an instant.
 */
export function toUtcIso(value: string, field: string): string {
  // Every timestamp the ActivityService makes is already in that format: parsing it again would only copy it.
  if (CANONICAL_ISO.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`${field} is not an ISO-8601 instant: '${value}'`);
  return date.toISOString();
}
