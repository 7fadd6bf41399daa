/**
 * SPEC 11 notifications with real parts: a local HTTP receiver records webhook deliveries and checks their
 * HMAC; the alertmanager notifier's alerts are read back from Debian's real Alertmanager; outcomes land in
 * the activity log of a real SQLite store and in the metrics.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivityService } from '../src/activity/activity.service';
import { PrometheusMetrics } from '../src/metrics/prometheus-metrics';
import { parseExposition, valueOf } from '../src/metrics/testing/exposition';
import { MaintenanceAlertPublisher } from '../src/notify/maintenance-alerts';
import { NotificationDispatcher, type DispatcherOptions } from '../src/notify/notification-dispatcher';
import type { NotificationEvent } from '../src/notify/notification';
import type { NotifierSpec } from '../src/notify/notifier-manifest';
import { notifierKindHandler, NotifierRegistry } from '../src/notify/notifier-registry';
import { parseManifests } from '../src/presets/manifest';
import { openSqliteStore } from '../src/store/open-store';
import type { SqliteStore } from '../src/store/sqlite.store';
import { startAlertmanager, type MonitoringServer } from './support/monitoring-servers';
import { eventually } from './support/system';

jest.setTimeout(60_000);

const SECRET = 'a-webhook-secret-of-32-characters';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A receiver on a free loopback port; `failFirst` requests are answered 503, the rest 204. */
async function startReceiver(failFirst = 0): Promise<{ url: string; requests: Received[]; close(): Promise<void> }> {
  const requests: Received[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const answered = requests.length < failFirst ? 503 : 204;
      requests.push({ headers: request.headers, body, answered });
      response.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 503 ? 'busy, try again later' : undefined);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** True when the signature header is `sha256=` + HMAC-SHA256 of the exact body under SECRET. */
function signedWithSecret(received: Received): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(received.body).digest('hex')}`);
  const given = Buffer.from(String(received.headers['x-maintenance-signature'] ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const stop: NotificationEvent = { event: 'emergency.stop', actor: 'ops', reason: 'database incident', message: 'emergency stop by ops: database incident' };
const resume: NotificationEvent = { event: 'emergency.resume', actor: 'ops', message: 'resumed by ops' };
const failed: NotificationEvent = { event: 'action.failed', scenario: 'backup', actor: 'system', reason: 'HTTP 500', message: 'activate backup failed: HTTP 500' };

describe('notifications', () => {
  let dataDir: string;
  let store: SqliteStore;
  let activity: ActivityService;
  let metrics: PrometheusMetrics;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mo-notify-'));
    store = await openSqliteStore(dataDir);
    activity = new ActivityService(store.activity);
    metrics = new PrometheusMetrics({ defaultMetrics: false });
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await activity.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function dispatcher(notifiers: NotifierSpec[], options: Partial<DispatcherOptions> = {}): NotificationDispatcher {
    const created = new NotificationDispatcher(() => notifiers, { activity, allowedHosts: [], observer: metrics, baseDelayMs: 20, maxDelayMs: 200, ...options });
    closers.push(async () => created.stop());
    return created;
  }

  async function notificationLog() {
    await activity.flush();
    return (await activity.query({ category: 'notification', limit: 100 } as never)).map((entry) => ({ level: entry.level, message: entry.message, data: entry.data }));
  }

  async function counted(notifier: string, result: string): Promise<number | undefined> {
    return valueOf(parseExposition(await metrics.render()), 'maintenance_notifications_total', { notifier, result });
  }

  it('a webhook gets the events it subscribed to, as JSON signed with the HMAC of the body, and nothing else', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const webhook: NotifierSpec = { name: 'pager', type: 'webhook', url: receiver.url, events: ['emergency.stop', 'action.failed'], secret: SECRET };
    const notifications = dispatcher([webhook]);
    notifications.notify(stop);
    notifications.notify(resume);
    notifications.notify(failed);
    await notifications.idle();

    expect(receiver.requests).toHaveLength(2);
    for (const request of receiver.requests) expect(signedWithSecret(request)).toBe(true);
    const bodies = receiver.requests.map((request) => JSON.parse(request.body)).sort((a, b) => a.event.localeCompare(b.event));
    expect(bodies).toEqual([
      expect.objectContaining({ event: 'action.failed', scenario: 'backup', actor: 'system', reason: 'HTTP 500', message: failed.message }),
      expect.objectContaining({ event: 'emergency.stop', scenario: null, actor: 'ops', reason: 'database incident' }),
    ]);
    // A body changed in transit no longer matches its signature.
    expect(signedWithSecret({ ...receiver.requests[0], body: receiver.requests[0].body.replace('ops', 'eve') })).toBe(false);
    expect(await counted('pager', 'success')).toBe(2);
  });

  it('a slack notifier posts {text} naming the scenario, event, actor and reason', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const notifications = dispatcher([{ name: 'chat', type: 'slack', url: receiver.url, events: ['action.failed'], secret: null }]);
    notifications.notify(failed);
    await notifications.idle();
    const { text } = JSON.parse(receiver.requests[0].body) as { text: string };
    for (const part of ['backup', 'action.failed', 'system', 'HTTP 500']) expect(text).toContain(part);
    expect(receiver.requests[0].headers['x-maintenance-signature']).toBeUndefined();
  });

  it('a receiver that fails 3 times then succeeds gets exactly one delivery of each event', async () => {
    const receiver = await startReceiver(3);
    closers.push(receiver.close);
    const notifications = dispatcher([{ name: 'flaky', type: 'webhook', url: receiver.url, events: ['emergency.stop', 'emergency.resume', 'action.failed'], secret: SECRET }]);
    notifications.notify(stop);
    notifications.notify(resume);
    notifications.notify(failed);
    await notifications.idle();

    expect(receiver.requests.filter((request) => request.answered === 503)).toHaveLength(3);
    const delivered = receiver.requests.filter((request) => request.answered === 204).map((request) => JSON.parse(request.body).event).sort();
    expect(delivered).toEqual(['action.failed', 'emergency.resume', 'emergency.stop']);
    // A retry is the same delivery: same id, same body, same signature.
    const ids = new Map<string, Set<string>>();
    for (const request of receiver.requests) {
      const { id, event } = JSON.parse(request.body);
      expect(request.headers['x-maintenance-delivery']).toBe(id);
      expect(signedWithSecret(request)).toBe(true);
      ids.set(event, (ids.get(event) ?? new Set()).add(id));
    }
    for (const set of ids.values()) expect(set.size).toBe(1);
    expect(await counted('flaky', 'success')).toBe(3);
    expect(await counted('flaky', 'failure')).toBeUndefined();
  });

  it('a delivery that keeps failing is given up after its attempts, recorded in the activity log and counted', async () => {
    const receiver = await startReceiver(1_000);
    closers.push(receiver.close);
    const notifications = dispatcher([{ name: 'down', type: 'webhook', url: receiver.url, events: ['emergency.stop'], secret: null }], { maxAttempts: 3 });
    notifications.notify(stop);
    await notifications.idle();
    expect(receiver.requests).toHaveLength(3);
    expect(await notificationLog()).toContainEqual({
      level: 'error',
      message: `emergency.stop to down not delivered after 3 attempts: HTTP 503 from ${receiver.url}: busy, try again later`,
      data: { notifier: 'down', event: 'emergency.stop', result: 'failure', attempts: 3 },
    });
    expect(await counted('down', 'failure')).toBe(1);
  });

  it('notify returns before any delivery, and a full queue drops the oldest and counts them', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const notifications = dispatcher([{ name: 'hook', type: 'webhook', url: receiver.url, events: ['action.failed'], secret: null }], { capacity: 5, concurrency: 1 });
    for (let i = 0; i < 20; i++) notifications.notify({ ...failed, scenario: `s${String(i).padStart(2, '0')}` });
    expect(receiver.requests).toHaveLength(0); // nothing was sent while notify ran: it only queued
    await notifications.idle();
    // One went out at once (concurrency 1); of the 19 queued behind it, the 5 newest were kept.
    const scenarios = receiver.requests.map((request) => JSON.parse(request.body).scenario);
    expect(scenarios).toEqual(['s00', 's15', 's16', 's17', 's18', 's19']);
    expect(notifications.dropped).toBe(14);
    expect(await counted('hook', 'dropped')).toBe(14);
    expect((await notificationLog()).filter((entry) => entry.level === 'warn')).toHaveLength(1);
  });

  it('a test delivery waits its turn in the queue, and reports being dropped by a full queue or a stop instead of hanging', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const hook: NotifierSpec = { name: 'hook', type: 'webhook', url: receiver.url, events: ['action.failed'], secret: SECRET };
    const notifications = dispatcher([hook], { capacity: 2, concurrency: 1 });
    notifications.notify(failed); // sent at once
    const crowdedOut = notifications.test(hook, 'ops'); // queued, then pushed out by the two below
    notifications.notify(failed);
    notifications.notify(failed);
    expect(await crowdedOut).toMatchObject({ result: 'dropped', attempts: 0, status: null, error: 'the notification queue was full (2)' });
    await notifications.idle();
    const delivered = await notifications.test(hook, 'ops');
    expect(delivered).toMatchObject({ result: 'success', attempts: 1, status: 204, error: null });
    expect(receiver.requests.filter((request) => JSON.parse(request.body).event === 'notifier.test')).toHaveLength(1);
    expect(signedWithSecret(receiver.requests[receiver.requests.length - 1])).toBe(true);

    const slow = dispatcher([hook], { concurrency: 1 });
    slow.notify(failed);
    const stranded = slow.test(hook, 'ops');
    slow.stop();
    expect(await stranded).toMatchObject({ result: 'dropped', attempts: 0, error: 'the dispatcher stopped' });
    expect(await slow.test(hook, 'ops')).toMatchObject({ result: 'dropped', error: 'the dispatcher stopped' });
  });

  // 127.0.0.2 stands for a host off the machine: not a loopback name the rule allows, yet a broken rule's call stays here.
  it('a notifier on a host that ALLOWED_NOTIFY_HOSTS does not list is not called; listed, it is', async () => {
    const receiver = createServer((request, response) => response.writeHead(204).end());
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.2', resolve));
    closers.push(() => new Promise((resolve) => receiver.close(() => resolve())));
    const url = `http://127.0.0.2:${(receiver.address() as AddressInfo).port}/x`;
    const refused = dispatcher([{ name: 'remote', type: 'webhook', url, events: ['emergency.stop'], secret: null }], { maxAttempts: 1 });
    refused.notify(stop);
    await refused.idle();
    expect((await notificationLog())[0].message).toContain(`host 127.0.0.2:${(receiver.address() as AddressInfo).port} is not allowed: only loopback and ALLOWED_NOTIFY_HOSTS`);
    const allowed = dispatcher([{ name: 'remote', type: 'webhook', url, events: ['emergency.stop'], secret: null }], { maxAttempts: 1, allowedHosts: ['127.0.0.2'] });
    allowed.notify(stop);
    await allowed.idle();
    expect(await counted('remote', 'success')).toBe(1);
  });

  it('a Notifier manifest applied is kept in the store, listed without its secret, used for delivery, and deleted', async () => {
    const receiver = await startReceiver();
    closers.push(receiver.close);
    const registry = new NotifierRegistry(store.settings, activity);
    const handler = notifierKindHandler(registry);
    const yaml = `apiVersion: maintenance/v1\nkind: Notifier\nmetadata: {name: pager}\nspec:\n  type: webhook\n  url: ${receiver.url}\n  events: [emergency.stop]\n  secret: ${SECRET}\n`;
    const [manifest] = parseManifests(yaml, 'pager.yaml');
    expect(await handler.apply(handler.validate(manifest), { actor: 'ops', dryRun: true })).toBe('would save notifier pager (webhook)');
    expect(registry.list()).toEqual([]);
    expect(await handler.apply(handler.validate(manifest), { actor: 'ops', dryRun: false })).toBe('notifier pager created');
    expect(registry.views()).toEqual([{ name: 'pager', type: 'webhook', url: receiver.url, events: ['emergency.stop'], signed: true }]);

    const reloaded = new NotifierRegistry(store.settings, activity);
    await reloaded.load();
    const fromRegistry = new NotificationDispatcher(() => reloaded.list(), { activity, allowedHosts: [] });
    fromRegistry.notify(stop);
    await fromRegistry.idle();
    expect(receiver.requests).toHaveLength(1);
    expect(signedWithSecret(receiver.requests[0])).toBe(true);

    await expect(reloaded.delete('nope', 'ops')).rejects.toThrow('notifier nope does not exist (known: pager)');
    await reloaded.delete('pager', 'ops');
    const again = new NotifierRegistry(store.settings, activity);
    await again.load();
    expect(again.list()).toEqual([]);
  });

  describe('the alertmanager notifier (real Alertmanager)', () => {
    let alertmanager: MonitoringServer;
    beforeAll(async () => {
      alertmanager = await startAlertmanager();
    });
    afterAll(() => alertmanager?.stop());

    async function maintenanceAlerts(): Promise<{ name: string; scenario?: string; endsAt: string }[]> {
      const response = await fetch(`${alertmanager.url}/api/v2/alerts?active=true&filter=source%3D%22maintenance-orchestrator%22`);
      const alerts = (await response.json()) as { labels: Record<string, string>; endsAt: string }[];
      return alerts.map((alert) => ({ name: alert.labels.alertname, scenario: alert.labels.scenario, endsAt: alert.endsAt })).sort((a, b) => `${a.name}${a.scenario}`.localeCompare(`${b.name}${b.scenario}`));
    }

    it('keeps MaintenanceActive{scenario} firing while a scenario is active, MaintenanceEmergencyStop while latched, and resolves them after', async () => {
      // The publisher's clock starts two minutes back, so that moving it past the re-post period keeps it
      // behind the real one: Alertmanager reads an endsAt ahead of its own clock as still firing.
      let now = Date.now() - 120_000;
      const notifications = dispatcher([]);
      const notifier: NotifierSpec = { name: 'am', type: 'alertmanager', url: alertmanager.url, events: [], secret: null };
      const publisher = new MaintenanceAlertPublisher(() => [notifier], notifications, { repostMs: 60_000, clock: () => now });

      publisher.update({ active: ['backup', 'reindex'], emergencyStop: null });
      await notifications.idle();
      await eventually(async () => (await maintenanceAlerts()).length === 2, 'two MaintenanceActive alerts');
      const firing = await maintenanceAlerts();
      expect(firing.map(({ name, scenario }) => ({ name, scenario }))).toEqual([
        { name: 'MaintenanceActive', scenario: 'backup' },
        { name: 'MaintenanceActive', scenario: 'reindex' },
      ]);
      const firstEndsAt = Date.parse(firing[0].endsAt);
      expect(firstEndsAt).toBeGreaterThan(now);

      // Nothing changed and the re-post period has not passed: nothing is sent.
      publisher.update({ active: ['backup', 'reindex'], emergencyStop: null });
      expect(notifications.pending).toBe(0);
      // Past the re-post period the alerts are posted again, before their endsAt, which moves ahead.
      now += 61_000;
      publisher.update({ active: ['backup', 'reindex'], emergencyStop: null });
      await notifications.idle();
      await eventually(async () => (await maintenanceAlerts()).every((alert) => Date.parse(alert.endsAt) > firstEndsAt), 'endsAt moved ahead by the re-post');

      // reindex stops and an emergency stop latches: reindex resolves, the stop fires.
      publisher.update({ active: ['backup'], emergencyStop: { actor: 'ops', reason: 'incident' } });
      await notifications.idle();
      await eventually(async () => JSON.stringify((await maintenanceAlerts()).map((alert) => alert.name + (alert.scenario ?? ''))) === '["MaintenanceActivebackup","MaintenanceEmergencyStop"]', 'reindex resolved, the stop firing');

      now = Date.now();
      publisher.update({ active: [], emergencyStop: null });
      await notifications.idle();
      await eventually(async () => (await maintenanceAlerts()).length === 0, 'every maintenance alert resolved');
      expect(await counted('am', 'success')).toBe(4);
    });
  });
});
