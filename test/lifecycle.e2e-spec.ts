/**
 * The application's start and stop order (Nest lifecycle hooks) and its named timers, against a real fleet
 * on loopback and a real SQLite store: discovery scans before the loop's first pass; on shutdown writes are
 * refused, the loop and every timer stop, the activity log flushes, and the store closes last.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ActivityService } from '../src/activity/activity.service';
import { WriteGate } from '../src/api/accepting-writes.guard';
import { PrototypedExpressAdapter } from '../src/api/express-adapter';
import { AppModule } from '../src/app.module';
import { TIMERS, type Timers } from '../src/common/timers';
import { loadConfig } from '../src/config/config';
import { ScenarioRegistry } from '../src/discovery/registry';
import { FixedHostLoadProbe } from '../src/reconciler/host-load';
import { APP_OPTIONS, configureApp, listen, type RunningServer } from '../src/server';
import { openSqliteStore } from '../src/store/open-store';
import type { Store } from '../src/store/store.port';
import { requestJson, startFleet, tempFleetDir, type Fleet } from './support/fleet';
import { eventually, withEdges, type TestOverrides } from './support/system';

type Json = Record<string, any>;

/** What the store saw of the rest of the application at the moment it was closed. */
interface AtStoreClose {
  timers: string[];
  writesOpen: boolean;
}

describe('application lifecycle', () => {
  let fleet: Fleet;
  let scenarios: { dir: string; cleanup: () => Promise<void> };
  let dataDir: string;
  beforeEach(async () => {
    fleet = await startFleet([{ id: 'alpha' }, { id: 'bravo' }, { id: 'charlie' }]);
    scenarios = await tempFleetDir(fleet);
    dataDir = await mkdtemp(join(tmpdir(), 'mo-lifecycle-'));
  });
  afterEach(async () => {
    await fleet.stop();
    await scenarios.cleanup();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Builds the application as the tests do (testing module, edges overridden), initializes it and listens. */
  async function start(edges: TestOverrides, onCompiled: (get: <T>(token: unknown) => T) => void = () => undefined): Promise<RunningServer> {
    const config = loadConfig({}, { MAINTENANCE_PORT: 0, SCENARIOS_DIR: scenarios.dir, DATA_DIR: dataDir, RESYNC_INTERVAL: '1s', DISCOVERY_INTERVAL: '2s', LOG_LEVEL: 'silent' });
    const testing = await withEdges(Test.createTestingModule({ imports: [AppModule.forRoot(config)] }), { hostProbe: new FixedHostLoadProbe({ cpuLoadPercent: 0, memoryPercent: 0 }), ...edges }).compile();
    onCompiled((token) => testing.get(token as string, { strict: false }));
    const app = configureApp(testing.createNestApplication<NestExpressApplication>(new PrototypedExpressAdapter(), APP_OPTIONS));
    return listen(app, config);
  }

  it('scans the scenarios directory before the loop runs its first pass, which drives them all inactive', async () => {
    let registry: ScenarioRegistry | null = null;
    const seenByFirstPass: number[] = [];
    const server = await start({ observer: { passCompleted: () => void (seenByFirstPass.length === 0 && seenByFirstPass.push(registry!.list().length)) } }, (get) => {
      registry = get(ScenarioRegistry);
    });
    try {
      expect(seenByFirstPass).toEqual([3]);
      await server.orchestrator.activity.flush();
      const oldestFirst = (await server.orchestrator.activity.query({ limit: 100 })).reverse().map((entry) => entry.message);
      const starting = oldestFirst.findIndex((message) => message.startsWith('orchestrator starting'));
      const discovered = oldestFirst.findIndex((message) => message.startsWith('Discovered scenario charlie'));
      const firstPlan = oldestFirst.findIndex((message) => message.startsWith('plan:'));
      expect([starting, discovered, firstPlan].every((index) => index >= 0)).toBe(true);
      expect(starting).toBeLessThan(discovered);
      expect(discovered).toBeLessThan(firstPlan);
      expect(oldestFirst[firstPlan]).toBe('plan: deactivate alpha, bravo, charlie');
    } finally {
      await server.close();
    }
  });

  it('lists its named timers at GET /api/v1/timers, with the wake timer at a TTL expiry', async () => {
    const server = await start({});
    try {
      const before = (await requestJson(`${server.url}/api/v1/timers`)).body as Json;
      const names = (before.timers as Json[]).map((timer) => timer.name);
      expect(names).toEqual(expect.arrayContaining(['discovery.rescan', 'discovery.registration-expiry', 'reconciler.resync', 'activity.prune', 'history.sample']));
      const resync = (before.timers as Json[]).find((timer) => timer.name === 'reconciler.resync')!;
      expect(resync).toMatchObject({ kind: 'interval', everyMs: 1000 });
      expect(Date.parse(resync.nextAt)).toBeGreaterThan(Date.now() - 50);
      expect(names).not.toContain('reconciler.wake');

      // 10 minutes: a TTL longer than 15 would first wake the loop for its override.expiring warning.
      const activated = (await requestJson(`${server.url}/api/v1/scenarios/alpha/activate`, { ttl: '10m' })).body as Json;
      const until = Date.parse(((await requestJson(`${server.url}/api/v1/scenarios/alpha`)).body as Json).activeUntil);
      expect(activated).toMatchObject({ success: true, newState: 'active' });
      let wake: Json | undefined;
      await eventually(async () => {
        wake = (((await requestJson(`${server.url}/api/v1/timers`)).body as Json).timers as Json[]).find((timer) => timer.name === 'reconciler.wake');
        return wake !== undefined;
      }, 'the wake timer for the TTL');
      expect(wake).toMatchObject({ kind: 'timeout', everyMs: null });
      // It fires at the expiry itself (one millisecond after, so the pass finds it expired), not at the next resync.
      expect(Math.abs(Date.parse(wake!.nextAt) - until)).toBeLessThanOrEqual(5);
    } finally {
      await server.close();
    }
  });

  it('refuses writes with 503 once stopping has begun, and still answers reads', async () => {
    const server = await start({});
    try {
      server.app.get(WriteGate).close();
      const write = await requestJson(`${server.url}/api/v1/scenarios/alpha/activate`, {});
      expect(write.status).toBe(503);
      expect(write.body).toMatchObject({ statusCode: 503, message: expect.stringContaining('shutting down') });
      expect(fleet.stateOf('alpha')).toBe('inactive');
      expect((await requestJson(`${server.url}/api/v1/scenarios/alpha`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('stops in order: writes refused, loop and timers stopped, activity flushed, then the store closes', async () => {
    const real = await openSqliteStore(dataDir);
    let timers: Timers | null = null;
    let gate: WriteGate | null = null;
    const atClose: AtStoreClose[] = [];
    // The real store, told when it is closed so the test can see what had stopped by then.
    const store = new Proxy(real, {
      get(target, property) {
        if (property === 'close') {
          return async () => {
            atClose.push({ timers: timers!.list().map((timer) => timer.name), writesOpen: gate!.isOpen });
            await target.close();
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Store;
    const server = await start({ store }, (get) => {
      timers = get<Timers>(TIMERS);
      gate = get(WriteGate);
    });
    // A batched entry waits for its timer; shutdown must write it before the store closes.
    server.app.get(ActivityService).record({ category: 'system', actor: 'test', message: 'recorded just before shutdown' }, { batch: true });
    await server.close();

    expect(atClose).toEqual([{ timers: [], writesOpen: false }]);
    const reopened = await openSqliteStore(dataDir);
    try {
      const messages = (await reopened.activity.query({ limit: 1000 })).map((entry) => entry.message);
      expect(messages).toContain('recorded just before shutdown');
    } finally {
      await reopened.close();
    }
  });
});
