import { openPostgresStore } from './open-store';
import { describeStoreContract } from './store.contract';
import { acquirePostgresServer, createTestDatabase, type PostgresServer } from './testing/postgres';

// PG_TEST_URL, else the shared server on 127.0.0.1:5432, else a cluster of our own (src/store/testing/postgres.ts).
let server: PostgresServer;
beforeAll(async () => {
  server = await acquirePostgresServer();
}, 120_000);
afterAll(() => server?.release(), 60_000);

describeStoreContract('PostgreSQL', async () => {
  // A database per test: ids start at 1 and nothing leaks between tests or between parallel runs.
  const database = await createTestDatabase(server.url);
  return {
    open: (options) => openPostgresStore(database.url, options),
    dispose: () => database.drop(),
  };
});
