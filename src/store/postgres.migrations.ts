/**
 * Runs the PostgreSQL column of MIGRATIONS. The versions applied are rows of `orchestrator_migrations`
 * (PostgreSQL has no user_version); the name is ours so it cannot collide with another tool's table.
 */
import type { Pool, PoolClient } from 'pg';
import { MIGRATIONS, SCHEMA_VERSION, assertOrdered, type Migration, type MigrationResult } from './migrations';
import { StoreError } from './store.port';

/** Key of the advisory lock that serialises migrations: replicas starting together must not both run a step. */
const MIGRATION_LOCK_KEY = 7_236_284_911;

const CREATE_VERSION_TABLE = `
  CREATE TABLE IF NOT EXISTS orchestrator_migrations (
    version     integer PRIMARY KEY,
    description text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
  )`;

/** The highest version recorded in the database, 0 when nothing was ever applied. */
export async function postgresSchemaVersion(client: Pool | PoolClient): Promise<number> {
  const exists = await client.query<{ table: string | null }>(`SELECT to_regclass('orchestrator_migrations')::text AS table`);
  if (exists.rows[0].table === null) return 0;
  const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM orchestrator_migrations');
  return rows[0].version ?? 0;
}

/**
 * Brings the database up to the last of `migrations`, one transaction per step (PostgreSQL's DDL is
 * transactional, so a failing step leaves the previous version whole). Refuses (StoreError 'Corrupt') a
 * database newer than the code, before writing anything. `where` names the database in messages.
 */
export async function migratePostgres(pool: Pool, where: string, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationResult> {
  assertOrdered(migrations);
  const target = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const client = await pool.connect();
  try {
    // A session lock, held across the steps: a second replica waits here, then finds the work done.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const from = await postgresSchemaVersion(client);
      assertPostgresSupported(from, target, where);
      if (from < target) await client.query(CREATE_VERSION_TABLE);
      for (const migration of migrations) {
        if (migration.version > from) await applyStep(client, migration);
      }
      return { from, to: target };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

/** Throws StoreError 'Corrupt' when the database's version is newer than `target`. */
export function assertPostgresSupported(version: number, target: number = SCHEMA_VERSION, where = 'the database'): void {
  if (version > target) {
    throw new StoreError(
      'Corrupt',
      `${where} has schema version ${version}, newer than this build supports (${target}); ` +
        'refusing to open it. Run a newer orchestrator, or restore a backup made by this version.',
    );
  }
}

async function applyStep(client: PoolClient, migration: Migration): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(migration.postgres);
    await client.query('INSERT INTO orchestrator_migrations (version, description) VALUES ($1, $2)', [migration.version, migration.description]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
