import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Pool } from 'pg';
import { MIGRATIONS, SCHEMA_VERSION, schemaVersion } from './migrations';
import { SQLITE_FILE_NAME, openPostgresStore, openSqliteStore, openStore } from './open-store';
import { migratePostgres, postgresSchemaVersion } from './postgres.migrations';
import { StoreError } from './store.port';
import { acquirePostgresServer, createTestDatabase, type PostgresServer, type TestDatabase } from './testing/postgres';

// What only the PostgreSQL adapter has: its migration runner, its connection errors. The shared behaviour
// is in store.contract.ts; the server going away and coming back is in postgres.outage.spec.ts.
let server: PostgresServer;
beforeAll(async () => {
  server = await acquirePostgresServer();
}, 120_000);
afterAll(() => server?.release(), 60_000);

const CLOSED_PORT_URL = 'postgres://postgres:s3cret@127.0.0.1:1/nothing';

describe('PostgreSQL migrations', () => {
  let database: TestDatabase;
  let pool: Pool;
  beforeEach(async () => {
    database = await createTestDatabase(server.url);
    pool = new Pool({ connectionString: database.url });
  });
  afterEach(async () => {
    await pool.end();
    await database.drop();
  });

  const names = async (sql: string) => (await pool.query<{ name: string }>(sql)).rows.map((row) => row.name);
  const activityIndexes = () => names("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'activity' AND indexname LIKE 'activity_by_%' ORDER BY 1");
  const appliedVersions = async () => (await pool.query<{ version: number }>('SELECT version FROM orchestrator_migrations ORDER BY version')).rows.map((row) => row.version);

  it('builds the whole schema on an empty database, at the same versions as SQLite', async () => {
    const store = await openPostgresStore(database.url);
    await store.close();
    expect(await appliedVersions()).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(await names("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).toEqual(['activity', 'documents', 'inventory', 'leader_lease', 'orchestrator_migrations', 'registrations', 'settings']);
    expect(await activityIndexes()).toEqual(['activity_by_category', 'activity_by_scenario', 'activity_by_timestamp']);

    const dir = mkdtempSync(join(tmpdir(), 'mo-versions-'));
    try {
      await (await openSqliteStore(dir)).close();
      const sqlite = new Database(join(dir, SQLITE_FILE_NAME), { readonly: true });
      expect([schemaVersion(sqlite), await postgresSchemaVersion(pool)]).toEqual([SCHEMA_VERSION, SCHEMA_VERSION]);
      sqlite.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('upgrades a v1 database in place, keeping its rows', async () => {
    expect(await migratePostgres(pool, 'test', MIGRATIONS.slice(0, 1))).toEqual({ from: 0, to: 1 });
    await pool.query(`INSERT INTO documents VALUES ('presets', 'quiet', '{"x":1}', '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z')`);
    await pool.query(`INSERT INTO settings VALUES ('policy', '{"maxConcurrent":2}')`);
    await pool.query(`INSERT INTO activity (timestamp, category, level, message) VALUES ('2024-01-01T00:00:00.000Z', 'system', 'info', 'from v1')`);
    expect(await activityIndexes()).toEqual([]);

    const store = await openPostgresStore(database.url);
    expect(await store.presets.get('quiet')).toMatchObject({ id: 'quiet', body: { x: 1 }, createdAt: '2024-01-01T00:00:00.000Z' });
    expect(await store.settings.get('policy')).toEqual({ maxConcurrent: 2 });
    expect(await store.activity.query({ limit: 10 })).toMatchObject([{ id: 1, message: 'from v1', scenario: null, data: null }]);
    await store.close();
    expect(await appliedVersions()).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(await activityIndexes()).toHaveLength(3);
  });

  it('refuses, untouched, a database written by a newer build', async () => {
    await pool.query('CREATE TABLE orchestrator_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    await pool.query(`INSERT INTO orchestrator_migrations (version, description) VALUES (${SCHEMA_VERSION + 1}, 'from the future')`);

    const opening = openPostgresStore(database.url);
    await expect(opening).rejects.toBeInstanceOf(StoreError);
    await expect(opening).rejects.toMatchObject({ code: 'Corrupt', message: expect.stringContaining(`schema version ${SCHEMA_VERSION + 1}`) });
    expect(await names("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'")).toEqual(['orchestrator_migrations']);
    expect(await appliedVersions()).toEqual([SCHEMA_VERSION + 1]);
  });

  it('rolls back a failing step, leaving the database at the last complete version', async () => {
    const broken = [...MIGRATIONS.slice(0, 1), { version: 2, description: 'broken', sqlite: '', postgres: 'CREATE INDEX x ON activity (timestamp); SELECT * FROM nowhere;' }];
    await expect(migratePostgres(pool, 'test', broken)).rejects.toThrow(/nowhere/);
    expect(await postgresSchemaVersion(pool)).toBe(1);
    expect(await names("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'activity' AND indexname = 'x'")).toEqual([]);
  });

  it('lets replicas that start together open a new database, each step applied once', async () => {
    const stores = await Promise.all(Array.from({ length: 4 }, () => openPostgresStore(database.url)));
    await Promise.all(stores.map((store) => store.close()));
    expect(await appliedVersions()).toEqual(MIGRATIONS.map((migration) => migration.version));
  });
});

describe('opening the PostgreSQL store', () => {
  it('rejects an unreachable server as Unavailable, naming the URL without its password', async () => {
    const opening = openPostgresStore(CLOSED_PORT_URL, { connectTimeoutMs: 2_000 });
    await expect(opening).rejects.toBeInstanceOf(StoreError);
    await expect(opening).rejects.toMatchObject({ code: 'Unavailable', message: expect.stringContaining('postgres://postgres:***@127.0.0.1:1/nothing') });
    await expect(opening).rejects.toMatchObject({ message: expect.not.stringContaining('s3cret') });
  });

  it('chooses PostgreSQL when DATABASE_URL is set and says DATABASE_URL when it cannot start', async () => {
    const database = await createTestDatabase(server.url);
    const dir = mkdtempSync(join(tmpdir(), 'mo-choose-'));
    try {
      const shared = await openStore({ dataDir: dir, databaseUrl: database.url });
      expect(shared.kind).toBe('postgres');
      await shared.close();
      const embedded = await openStore({ dataDir: dir, databaseUrl: null });
      expect(embedded.kind).toBe('sqlite');
      await embedded.close();
      await expect(openStore({ dataDir: dir, databaseUrl: CLOSED_PORT_URL })).rejects.toMatchObject({
        code: 'Unavailable',
        message: expect.stringMatching(/^DATABASE_URL: cannot use the PostgreSQL database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nothing: .*ECONNREFUSED/),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await database.drop();
    }
  });
});
