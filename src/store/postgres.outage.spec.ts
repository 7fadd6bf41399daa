import { Socket } from 'node:net';
import { openPostgresStore } from './open-store';
import type { PostgresStore } from './postgres.store';
import { StoreError } from './store.port';
import { acquirePostgresServer, createTestDatabase, isAlive, type PostgresCluster, type PostgresServer } from './testing/postgres';

// A cluster of our own, whatever else the machine runs: these tests crash, pause and stop the server.
// Pointing the shared-server probe at a closed port also proves the fallback .ci/run relies on when
// 127.0.0.1:5432 is down or absent.
let server: PostgresServer;
let cluster: PostgresCluster;
let store: PostgresStore;
beforeAll(async () => {
  server = await acquirePostgresServer({ PG_SHARED_URL: 'postgres://postgres@127.0.0.1:1/test' });
  cluster = server.cluster as PostgresCluster;
  const database = await createTestDatabase(server.url);
  store = await openPostgresStore(database.url, { connectTimeoutMs: 2_000, queryTimeoutMs: 2_000 });
}, 180_000);
afterAll(async () => {
  await store?.close();
  await server?.release();
}, 60_000);

const refuses = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(true));
    socket.connect(port, '127.0.0.1');
  });

describe('the PostgreSQL store when its server goes away', () => {
  it('falls back to a cluster of its own when the shared server does not answer', async () => {
    expect(server.source).toBe('own');
    expect(isAlive(cluster.pid)).toBe(true);
    await store.presets.put('before', { n: 1 });
  });

  it('answers Unavailable while the server is down, and works again once it is back, keeping what was written', async () => {
    await store.settings.set('policy', { maxConcurrent: 2 });
    const pid = cluster.pid;
    await cluster.kill();
    expect([isAlive(pid), await refuses(cluster.port)]).toEqual([false, true]);

    for (const operation of [() => store.presets.list(), () => store.settings.set('policy', { maxConcurrent: 3 }), () => store.activity.append({ category: 'api', message: 'x' }, new Date().toISOString())]) {
      const attempt = operation();
      await expect(attempt).rejects.toBeInstanceOf(StoreError);
      await expect(attempt).rejects.toMatchObject({ code: 'Unavailable' });
    }

    await cluster.start();
    expect(await store.settings.get('policy')).toEqual({ maxConcurrent: 2 });
    expect((await store.presets.list()).map((document) => document.id)).toEqual(['before']);
  }, 120_000);

  it('answers Unavailable within its query timeout while the server is paused, then recovers', async () => {
    await store.presets.list();
    cluster.pause();
    try {
      await expect(store.presets.get('before')).rejects.toMatchObject({ code: 'Unavailable' });
    } finally {
      cluster.resume();
    }
    expect(await store.presets.get('before')).toMatchObject({ body: { n: 1 } });
  }, 60_000);

  it('stops the cluster by its PID: the postmaster is gone and the port refuses', async () => {
    const pid = cluster.pid;
    await cluster.stop();
    expect([isAlive(pid), await refuses(cluster.port)]).toEqual([false, true]);
    await expect(store.presets.list()).rejects.toMatchObject({ code: 'Unavailable' });
  }, 60_000);
});
