import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion } from './migrations';
import { SQLITE_FILE_NAME, openSqliteStore } from './open-store';
import { StoreError } from './store.port';

const indexNames = (db: Database.Database): string[] =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'activity' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map(
    (row) => row.name,
  );

describe('migrations', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mo-migrations-'));
    file = join(dir, SQLITE_FILE_NAME);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ships versions 1..n in order, at least two', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
  });

  it('gives every version its SQL in both dialects, so SQLite and PostgreSQL share one version sequence', () => {
    for (const migration of MIGRATIONS) {
      expect([migration.version, migration.sqlite.trim().length > 0, migration.postgres.trim().length > 0]).toEqual([migration.version, true, true]);
    }
  });

  it('builds the whole schema on an empty file', async () => {
    const store = await openSqliteStore(dir);
    await store.close();
    const db = new Database(file, { readonly: true });
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['activity', 'documents', 'settings']));
    expect(indexNames(db)).toEqual(['activity_by_category', 'activity_by_scenario', 'activity_by_timestamp']);
    db.close();
  });

  it('upgrades a v1 file in place, keeping its rows', async () => {
    const v1 = new Database(file);
    expect(migrate(v1, MIGRATIONS.slice(0, 1))).toEqual({ from: 0, to: 1 });
    v1.prepare("INSERT INTO documents VALUES ('presets', 'quiet', '{\"x\":1}', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')").run();
    v1.prepare("INSERT INTO settings VALUES ('policy', '{\"maxConcurrent\":2}')").run();
    v1.prepare("INSERT INTO activity (timestamp, category, level, message) VALUES ('2024-01-01T00:00:00.000Z', 'system', 'info', 'from v1')").run();
    expect(indexNames(v1)).toEqual([]);
    v1.close();

    const store = await openSqliteStore(dir);
    expect(await store.presets.get('quiet')).toMatchObject({ id: 'quiet', body: { x: 1 }, createdAt: '2024-01-01T00:00:00.000Z' });
    expect(await store.settings.get('policy')).toEqual({ maxConcurrent: 2 });
    expect(await store.activity.query({ limit: 10 })).toMatchObject([{ id: 1, message: 'from v1', scenario: null, data: null }]);
    await store.close();

    const db = new Database(file, { readonly: true });
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(indexNames(db)).toEqual(['activity_by_category', 'activity_by_scenario', 'activity_by_timestamp']);
    db.close();
  });

  it('refuses, untouched, a file written by a newer build', async () => {
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = readFileSync(file);

    const opening = openSqliteStore(dir);
    await expect(opening).rejects.toBeInstanceOf(StoreError);
    await expect(opening).rejects.toMatchObject({ code: 'Corrupt', message: expect.stringContaining(`schema version ${SCHEMA_VERSION + 1}`) });

    expect(readFileSync(file).equals(before)).toBe(true);
    const after = new Database(file, { readonly: true });
    expect(schemaVersion(after)).toBe(SCHEMA_VERSION + 1);
    expect(after.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
    after.close();
  });

  it('rolls back a failing step, leaving the file at the last complete version', () => {
    const db = new Database(file);
    const broken = [...MIGRATIONS.slice(0, 1), { version: 2, description: 'broken', sqlite: 'CREATE INDEX x ON activity (timestamp); SELECT * FROM nowhere;', postgres: '' }];
    expect(() => migrate(db, broken)).toThrow(/nowhere/);
    expect(schemaVersion(db)).toBe(1);
    expect(indexNames(db)).toEqual([]);
    db.close();
  });

  it('rejects a gap in the version sequence', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, [MIGRATIONS[1]])).toThrow(/expected 1/);
    db.close();
  });
});
