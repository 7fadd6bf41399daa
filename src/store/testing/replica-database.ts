/**
 * Jest scaffolding for specs of several replicas on one real PostgreSQL database (src/state's shared
 * followers): the server once per file, a fresh database per test, and every store and follower a test
 * opened closed after it. Specs only: it registers hooks when called inside a `describe`.
 */
import { openPostgresStore } from '../open-store';
import type { PostgresStore } from '../postgres.store';
import { acquirePostgresServer, createTestDatabase, type PostgresServer, type TestDatabase } from './postgres';

/** What a test gets: a store of its own on this test's database, and a way to have something stopped after it. */
export interface ReplicaDatabase {
  openStore(): Promise<PostgresStore>;
  stopAfter(stoppable: { stop(): void }): void;
}

/** Registers the hooks; call it inside `describe`. */
export function useReplicaDatabase(): ReplicaDatabase {
  let server: PostgresServer;
  let database: TestDatabase;
  const stores: PostgresStore[] = [];
  const stoppables: { stop(): void }[] = [];
  beforeAll(async () => {
    server = await acquirePostgresServer();
  }, 120_000);
  afterAll(() => server?.release(), 60_000);
  beforeEach(async () => {
    database = await createTestDatabase(server.url);
  });
  afterEach(async () => {
    stoppables.splice(0).forEach((one) => one.stop());
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await database.drop();
  });
  return {
    openStore: async () => {
      const store = await openPostgresStore(database.url);
      stores.push(store);
      return store;
    },
    stopAfter: (stoppable) => void stoppables.push(stoppable),
  };
}
