import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkIntegrity, openSqliteStore } from './open-store';
import type { SqliteStore } from './sqlite.store';

// What every store owes its callers is in store.contract.ts (run by sqlite.contract.spec.ts); this file keeps
// what only the SQLite adapter has: a file on disk, its integrity check, its directory.
describe('SqliteStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mo-store-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves a sound file behind after writes, close and reopen', async () => {
    let store: SqliteStore = await openSqliteStore(dir);
    await store.presets.create('drain', { a: 1 });
    await store.activity.append({ category: 'api', message: 'hi', actor: 'cli', data: { n: 1 } }, '2025-03-01T10:00:00.000Z');
    await store.close();

    store = await openSqliteStore(dir);
    expect(await store.presets.get('drain')).toMatchObject({ body: { a: 1 } });
    expect(await checkIntegrity(store)).toBe('ok');
    await store.close();
  });
});

describe('openSqliteStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mo-open-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a missing data directory', async () => {
    const store = await openSqliteStore(join(dir, 'nested', 'data'));
    expect(store.file).toBe(join(dir, 'nested', 'data', 'orchestrator.sqlite'));
    await store.close();
  });

  it('names the path when the directory cannot be created', async () => {
    // A path under a regular file fails even for root, unlike chmod.
    writeFileSync(join(dir, 'plain-file'), '');
    const target = join(dir, 'plain-file', 'data');
    await expect(openSqliteStore(target)).rejects.toMatchObject({ code: 'Unavailable', message: expect.stringContaining(target) });
  });

  it('reports a file that is not a database as Corrupt, naming it', async () => {
    writeFileSync(join(dir, 'orchestrator.sqlite'), 'not a database, just some text '.repeat(50));
    await expect(openSqliteStore(dir)).rejects.toMatchObject({ code: 'Corrupt', message: expect.stringContaining(join(dir, 'orchestrator.sqlite')) });
  });
});
