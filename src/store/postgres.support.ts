/** Shared plumbing of the PostgreSQL adapter: typed errors and URLs safe to print. */
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { StoreError } from './store.port';

/** SQLSTATEs that mean the data itself is damaged, not that the server is away. */
const CORRUPT_STATES = new Set(['XX001', 'XX002']);

/** What node-postgres says when a connection dies, times out or was never made (no SQLSTATE on these). */
const CONNECTION_TROUBLE = /Connection terminated|Connection ended|timeout|Client was closed|Client has encountered a connection error|not queryable/i;

/**
 * Maps node-postgres failures to what a caller can act on: a unique violation is Conflict, damaged pages are
 * Corrupt, everything else from the server or the network is Unavailable (the API answers 503 and the
 * caller may retry). Programming errors (TypeError, RangeError) pass through untouched.
 */
export function toPostgresStoreError(error: unknown, closed: boolean): unknown {
  if (error instanceof StoreError || error instanceof TypeError || error instanceof RangeError) return error;
  if (closed) return new StoreError('Unavailable', 'the PostgreSQL store is closed');
  if (typeof error !== 'object' || error === null) return error;
  const { code } = error as { code?: unknown };
  const text = messageOf(error);
  if (code === '23505') return new StoreError('Conflict', text);
  if (typeof code === 'string' && CORRUPT_STATES.has(code)) return new StoreError('Corrupt', `${code}: ${text}`);
  // SQLSTATEs are five characters; Node's network errors are ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH...
  if (typeof code === 'string' && (/^[0-9A-Z]{5}$/.test(code) || code.startsWith('E'))) return new StoreError('Unavailable', `${code}: ${text}`);
  if (CONNECTION_TROUBLE.test(text)) return new StoreError('Unavailable', text);
  return error;
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparseable URL)';
  }
}

/**
 * A readable message, also for Node's AggregateError (both ::1 and 127.0.0.1 refused), whose own message is
 * empty. Duck-typed: errors from Node's net module may come from another realm than this code (jest's vm).
 */
export function messageOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, errors, code } = error as { message?: unknown; errors?: unknown; code?: unknown };
  if (Array.isArray(errors) && errors.length > 0) return errors.map(messageOf).join('; ');
  if (typeof message === 'string' && message !== '') return message;
  return typeof code === 'string' ? code : String(error);
}

/** One statement inside `PostgresGateway.transaction`. */
export type TransactionQuery = <R extends QueryResultRow>(text: string, values?: unknown[]) => Promise<QueryResult<R>>;

/** The pool and whether the store was closed: every repository queries through it, so every error comes out typed. */
export class PostgresGateway {
  private closed = false;

  constructor(private readonly pool: Pool) {}

  /** Runs one statement on any pooled connection; rejects with StoreError when the server is away or the store closed. */
  async query<R extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>> {
    if (this.closed) throw new StoreError('Unavailable', 'the PostgreSQL store is closed');
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw toPostgresStoreError(error, this.closed);
    }
  }

  /**
   * Runs `work` in one transaction on one pooled connection: committed when it resolves, rolled back when it
   * throws. Errors come out typed, like `query`'s.
   */
  async transaction<T>(work: (query: TransactionQuery) => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreError('Unavailable', 'the PostgreSQL store is closed');
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw toPostgresStoreError(error, this.closed);
    }
    try {
      await client.query('BEGIN');
      const result = await work((text, values) => client.query(text, values));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw toPostgresStoreError(error, this.closed);
    } finally {
      client.release();
    }
  }

  /** Ends the pool once; later calls and later queries are harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
