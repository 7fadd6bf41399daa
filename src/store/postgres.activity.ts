/** The activity log table of the PostgreSQL store: same semantics as SqliteActivity, one statement per call. */
import type { ActivityEntry, ActivityInput, ActivityLevel } from '../activity/activity';
import type { PostgresGateway } from './postgres.support';
import { toJson } from './sqlite.support';
import type { ActivityQuery, ActivityRepository } from './store.port';
import { toUtcIso } from './timestamps';

interface ActivityRow {
  /** bigint comes back as text from node-postgres: it may exceed 2^53 in theory, not in this log. */
  id: string;
  timestamp: Date;
  category: ActivityEntry['category'];
  level: ActivityLevel;
  scenario: string | null;
  preset: string | null;
  actor: string | null;
  message: string;
  data: Record<string, unknown> | null;
}

const COLUMNS = 'id, timestamp, category, level, scenario, preset, actor, message, data';

// One INSERT over parallel arrays: a batch is one statement (so all or nothing) and one round trip.
const INSERT_MANY = `
  INSERT INTO activity (timestamp, category, level, scenario, preset, actor, message, data)
  SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::json[])
  RETURNING id`;

// The subquery finds the id of the newest entry beyond `keep`; with fewer rows it is NULL and matches nothing.
const PRUNE = `
  DELETE FROM activity WHERE timestamp < $1::timestamptz
    OR id <= (SELECT id FROM activity ORDER BY id DESC LIMIT 1 OFFSET $2)`;

/** The append-only log. Newest first means highest id first: ids come from a sequence, never reused after pruning. */
export class PostgresActivity implements ActivityRepository {
  constructor(private readonly db: PostgresGateway) {}

  async append(input: ActivityInput, timestamp: string): Promise<ActivityEntry> {
    const [entry] = await this.appendMany([{ input, timestamp }]);
    return entry;
  }

  async appendMany(items: readonly { input: ActivityInput; timestamp: string }[]): Promise<ActivityEntry[]> {
    if (items.length === 0) return [];
    // Every item is checked before the statement is sent, so a bad one writes nothing.
    const entries = items.map(({ input, timestamp }) => toEntry(input, timestamp));
    const column = <K extends keyof ActivityEntry>(key: K) => entries.map((entry) => entry[key]);
    const data = entries.map((entry) => (entry.data === null ? null : toJson(entry.data, 'activity data')));
    const { rows } = await this.db.query<{ id: string }>(INSERT_MANY, [
      column('timestamp'), column('category'), column('level'), column('scenario'), column('preset'), column('actor'), column('message'), data,
    ]);
    // The sequence hands out ids in row order, but RETURNING promises no order: sort, then pair with the input.
    const ids = rows.map((row) => Number(row.id)).sort((a, b) => a - b);
    return entries.map((entry, index) => ({ ...entry, id: ids[index] }));
  }

  async query(query: ActivityQuery): Promise<ActivityEntry[]> {
    // The API caps limit; clamp here too, as the SQLite store does, rather than trust it.
    const limit = Number.isFinite(query.limit) ? Math.max(0, Math.floor(query.limit)) : 0;
    const values: unknown[] = [];
    const where: string[] = [];
    const filter = (sql: string, value: unknown) => {
      values.push(value);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (query.category !== undefined) filter('category = ?', query.category);
    if (query.scenario !== undefined) filter('scenario = ?', query.scenario);
    if (query.since !== undefined) filter('timestamp >= ?::timestamptz', toUtcIso(query.since, 'since'));
    if (query.beforeId !== undefined) filter('id < ?', query.beforeId);
    values.push(limit);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const { rows } = await this.db.query<ActivityRow>(`SELECT ${COLUMNS} FROM activity ${clause} ORDER BY id DESC LIMIT $${values.length}`, values);
    return rows.map(fromRow);
  }

  async prune(olderThan: string, maxEntries: number): Promise<number> {
    const keep = Math.max(0, Math.floor(maxEntries));
    const { rowCount } = await this.db.query(PRUNE, [toUtcIso(olderThan, 'olderThan'), keep]);
    return rowCount ?? 0;
  }
}

/** The entry as it will be stored, id aside; throws RangeError for a timestamp that is not an instant. */
function toEntry(input: ActivityInput, timestamp: string): ActivityEntry {
  return {
    id: 0,
    timestamp: toUtcIso(timestamp, 'timestamp'),
    category: input.category,
    level: input.level ?? 'info',
    scenario: input.scenario ?? null,
    preset: input.preset ?? null,
    actor: input.actor ?? null,
    message: input.message,
    data: input.data ?? null,
  };
}

function fromRow(row: ActivityRow): ActivityEntry {
  return { ...row, id: Number(row.id), timestamp: row.timestamp.toISOString() };
}
