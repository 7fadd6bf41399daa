/** The activity log table of the SQLite store: append, filtered newest-first pages, pruning. */
import type { Database, Statement } from 'better-sqlite3';
import type { ActivityEntry, ActivityInput, ActivityLevel } from '../activity/activity';
import type { ActivityQuery, ActivityRepository } from './store.port';
import { parseJson, settle, toJson } from './sqlite.support';
import { toUtcIso } from './timestamps';

interface ActivityRow {
  id: number;
  timestamp: string;
  category: ActivityEntry['category'];
  level: ActivityLevel;
  scenario: string | null;
  preset: string | null;
  actor: string | null;
  message: string;
  data: string | null;
}

type ActivityFilter = 'category' | 'scenario' | 'since' | 'beforeId';
type QueryParams = Partial<Record<ActivityFilter, string | number>> & { limit: number };

const FILTER_SQL: Record<ActivityFilter, string> = {
  category: 'category = @category',
  scenario: 'scenario = @scenario',
  since: 'timestamp >= @since',
  beforeId: 'id < @beforeId',
};

/** The append-only log. Newest first means highest id first: ids follow append order even if clocks step back. */
export class SqliteActivity implements ActivityRepository {
  private readonly insert: Statement<[string, string, string, string | null, string | null, string | null, string, string | null]>;
  private readonly pruneRows: Statement<{ olderThan: string; keep: number }>;
  /** One transaction for the lot: a commit per row is what made 10,000 results cost a second. */
  private readonly insertMany: (items: readonly { input: ActivityInput; timestamp: string }[]) => ActivityEntry[];
  /** One prepared statement per combination of filters (at most 16), built on first use. */
  private readonly queries = new Map<string, Statement<QueryParams, ActivityRow>>();

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT INTO activity (timestamp, category, level, scenario, preset, actor, message, data)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertMany = db.transaction((items: readonly { input: ActivityInput; timestamp: string }[]) => items.map((item) => this.insertOne(item.input, item.timestamp)));
    // The subquery finds the id of the newest entry beyond `keep`; with fewer rows it is NULL and matches nothing.
    this.pruneRows = db.prepare(
      `DELETE FROM activity WHERE timestamp < @olderThan
         OR id <= (SELECT id FROM activity ORDER BY id DESC LIMIT 1 OFFSET @keep)`,
    );
  }

  append(input: ActivityInput, timestamp: string): Promise<ActivityEntry> {
    return settle(() => this.insertOne(input, timestamp));
  }

  appendMany(items: readonly { input: ActivityInput; timestamp: string }[]): Promise<ActivityEntry[]> {
    return settle(() => this.insertMany(items));
  }

  private insertOne(input: ActivityInput, timestamp: string): ActivityEntry {
    const at = toUtcIso(timestamp, 'timestamp');
    const level = input.level ?? 'info';
    const scenario = input.scenario ?? null;
    const preset = input.preset ?? null;
    const actor = input.actor ?? null;
    const data = input.data ?? null;
    const { lastInsertRowid } = this.insert.run(at, input.category, level, scenario, preset, actor, input.message, data === null ? null : toJson(data, 'activity data'));
    return { id: Number(lastInsertRowid), timestamp: at, category: input.category, level, scenario, preset, actor, message: input.message, data };
  }

  query(query: ActivityQuery): Promise<ActivityEntry[]> {
    return settle(() => {
      // A negative LIMIT means "no limit" to SQLite; the API caps limit, so clamp rather than trust it here.
      const limit = Number.isFinite(query.limit) ? Math.max(0, Math.floor(query.limit)) : 0;
      const params: QueryParams = { limit };
      if (query.category !== undefined) params.category = query.category;
      if (query.scenario !== undefined) params.scenario = query.scenario;
      if (query.since !== undefined) params.since = toUtcIso(query.since, 'since');
      if (query.beforeId !== undefined) params.beforeId = query.beforeId;
      return this.statementFor(params).all(params).map(toEntry);
    });
  }

  prune(olderThan: string, maxEntries: number): Promise<number> {
    return settle(() => {
      const keep = Math.max(0, Math.floor(maxEntries));
      return this.pruneRows.run({ olderThan: toUtcIso(olderThan, 'olderThan'), keep }).changes;
    });
  }

  private statementFor(params: QueryParams): Statement<QueryParams, ActivityRow> {
    const filters = (Object.keys(FILTER_SQL) as ActivityFilter[]).filter((name) => params[name] !== undefined);
    const key = filters.join(',');
    let statement = this.queries.get(key);
    if (!statement) {
      const where = filters.length ? `WHERE ${filters.map((name) => FILTER_SQL[name]).join(' AND ')}` : '';
      statement = this.db.prepare<QueryParams, ActivityRow>(`SELECT * FROM activity ${where} ORDER BY id DESC LIMIT @limit`);
      this.queries.set(key, statement);
    }
    return statement;
  }
}

function toEntry(row: ActivityRow): ActivityEntry {
  const data = row.data === null ? null : (parseJson(row.data, `activity #${row.id}`) as Record<string, unknown>);
  return { ...row, data };
}
