/** Shared plumbing of the SQLite adapter: JSON columns, settled Promises and typed errors. */
import { StoreError } from './store.port';

/** Serialises a value for a JSON text column; `undefined` and functions are refused, not stored as NULL. */
export function toJson(value: unknown, what: string): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError(`${what} is not JSON-serialisable`);
  return json;
}

/** Parses a JSON text column; bad text means the file was edited or damaged. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new StoreError('Corrupt', `${what} holds invalid JSON`);
  }
}

/** Runs synchronous database work now and hands back its outcome as a settled Promise, with errors typed. */
export function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(toStoreError(error));
  }
}

/** Maps SQLite failures to what a caller can act on; programming errors (TypeError, RangeError) pass through. */
export function toStoreError(error: unknown): unknown {
  // Duck-typed, not instanceof: errors raised by the native addon can come from another realm (jest's vm).
  if (error instanceof StoreError || typeof error !== 'object' || error === null) return error;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    const corrupt = code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB';
    return new StoreError(corrupt ? 'Corrupt' : 'Unavailable', `${code}: ${text}`);
  }
  if (text.includes('database connection is not open')) {
    return new StoreError('Unavailable', 'the SQLite store is closed');
  }
  return error;
}
