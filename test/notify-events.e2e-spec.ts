/**
 * SPEC 11 events from the running app to a real local receiver: window.opened and window.closed at a
 * schedule's edges, override.expiring 15 minutes before a TTL lapses and override.expired when it does,
 * healthcheck.blocked while the real Alertmanager has a page firing; and `notifier test` (API and CLI)
 * through the real dispatcher, answered by the receiver, by a dead port, by a failing receiver and by the
 * real Alertmanager. The orchestrator's clock is set two seconds before a window opens and moved forward
 * to reach TTLs; its timers still run in real time, and there is no resync: passes come from the edges
 * themselves, from intents, or are requested after the clock moves.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { cliAt, requireBuiltCli } from './support/cli-runner';
import { startAlertmanager, type MonitoringServer } from './support/monitoring-servers';
import { eventually, startTestSystem, type TestSystem } from './support/system';

jest.setTimeout(90_000);

const SECRET = 'a-webhook-secret-of-32-characters';
const OPENS = Date.parse('2026-11-29T02:00:00Z'); // a Sunday
const MINUTE = 60_000;

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Delivered {
  event: string;
  at: string;
  scenario: string | null;
  actor: string | null;
  message: string;
  data: Record<string, unknown>;
}

/** A receiver on a free loopback port: /busy answers 503, anything else 204; every request is recorded. */
async function startReceiver(): Promise<{ url: string; requests: Received[]; close(): Promise<void> }> {
  const requests: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.url === '/busy') res.writeHead(503, { 'content-type': 'text/plain' }).end('receiver overloaded');
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** True when the signature header is `sha256=` + HMAC-SHA256 of the exact body under SECRET. */
function signed(received: Received): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(received.body).digest('hex')}`);
  const given = Buffer.from(String(received.headers['x-maintenance-signature'] ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const notifier = (name: string, url: string, events: string[]) =>
  `apiVersion: maintenance/v1\nkind: Notifier\nmetadata: {name: ${name}}\nspec:\n  type: webhook\n  url: ${url}\n  events: [${events.join(', ')}]\n  secret: ${SECRET}\n`;

describe('notification events and notifier test from the running app', () => {
  let system: TestSystem;
  let http: Server;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let alertmanager: MonitoringServer;
  let offset = 0;

  /** What the /events path received so far, in order. */
  const delivered = (): Delivered[] => receiver.requests.filter((received) => received.path === '/events').map((received) => JSON.parse(received.body) as Delivered);
  const named = (event: string) => delivered().filter((body) => body.event === event);

  beforeAll(async () => {
    [receiver, alertmanager] = await Promise.all([startReceiver(), startAlertmanager()]);
    system = await startTestSystem({
      specs: [
        { id: 'security-scanner', service: { tags: ['security'] } },
        { id: 'backup-manager', service: { tags: ['backup'] } },
        { id: 'report-builder', service: { tags: ['reports'] } },
      ],
      env: { RESYNC_INTERVAL: '1h' },
      overrides: { clock: () => Date.now() + offset },
    });
    http = system.server.app.getHttpServer();
    const events = ['window.opened', 'window.closed', 'override.expiring', 'override.expired', 'healthcheck.blocked'];
    await request(http).post('/api/v1/apply').send({ manifests: notifier('events', `${receiver.url}/events`, events), source: 'notifier.yaml' }).expect(200);
  });
  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
    await alertmanager?.stop();
  });

  /** Moves the orchestrator's clock and asks for a pass, as the next resync would. */
  const moveClock = (by: number) => {
    offset += by;
    system.server.orchestrator.reconciler.request();
  };

  it('sends window.opened at the opening and window.closed at the closing, signed, naming the schedule', async () => {
    // Set here rather than before start-up, which can take seconds on a loaded machine.
    offset = OPENS - 2_000 - Date.now();
    await request(http).post('/api/v1/schedules').send({ name: 'sunday-security', preset: 'security', cron: '0 2 * * 0', duration: '3s' }).expect(201);
    await eventually(() => named('window.closed').length === 1, 'the window to open and close', 10_000);
    const [opened, closed] = [named('window.opened'), named('window.closed')];
    expect(opened).toEqual([expect.objectContaining({ actor: 'system', message: expect.stringContaining('window sunday-security opened (allow security)'), data: { schedule: 'sunday-security', kind: 'allow', preset: 'security', closesAt: '2026-11-29T02:00:03.000Z' } })]);
    expect(closed).toEqual([expect.objectContaining({ message: 'window sunday-security closed', data: { schedule: 'sunday-security', kind: 'allow', preset: 'security' } })]);
    // Sent at the edges by the orchestrator's clock, not whenever a resync came by.
    expect(Date.parse(opened[0].at) - OPENS).toBeLessThan(1_000);
    expect(Date.parse(closed[0].at) - (OPENS + 3_000)).toBeLessThan(1_000);
    expect(delivered().map((body) => body.event)).toEqual(['window.opened', 'window.closed']);
    expect(receiver.requests.filter((received) => received.path === '/events').every(signed)).toBe(true);
  });

  it('sends override.expiring once, 15 minutes before a TTL lapses, then override.expired; a TTL of 15 minutes or less only expires', async () => {
    await request(http).post('/api/v1/scenarios/backup-manager/activate').send({ ttl: '16m', reason: 'nightly backup' }).expect(200);
    await request(http).post('/api/v1/scenarios/report-builder/activate').send({ ttl: '10m', reason: 'month end' }).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(named('override.expiring')).toEqual([]);

    moveClock(MINUTE); // backup-manager has 15 minutes left
    await eventually(() => named('override.expiring').length === 1, 'override.expiring for backup-manager', 10_000);
    expect(named('override.expiring')[0]).toMatchObject({ scenario: 'backup-manager', reason: 'nightly backup', message: expect.stringMatching(/^override active of backup-manager expires in 1\dm/), data: { state: 'active' } });
    // Passes later it has not been sent again.
    for (let pass = 0; pass < 3; pass++) {
      moveClock(1_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(named('override.expiring')).toHaveLength(1);

    moveClock(15 * MINUTE); // both TTLs lapsed
    await eventually(() => named('override.expired').length === 2, 'override.expired for both', 10_000);
    expect(named('override.expired').map((body) => body.scenario).sort()).toEqual(['backup-manager', 'report-builder']);
    expect(named('override.expiring').map((body) => body.scenario)).toEqual(['backup-manager']);
  });

  it("sends healthcheck.blocked once while the real Alertmanager's page holds an activation back", async () => {
    const policy = `apiVersion: maintenance/v1\nkind: Policy\nmetadata: {name: default}\nspec:\n  healthChecks:\n    - alertmanager: {name: pages, url: "${alertmanager.url}", matchers: ['severity="critical"'], interval: 1s}\n`;
    await request(http).post('/api/v1/apply').send({ manifests: policy, source: 'policy.yaml', confirm: true }).expect(200);
    const endsAt = new Date(Date.now() + 600_000).toISOString();
    await fetch(`${alertmanager.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ labels: { alertname: 'PrimaryDown', severity: 'critical' }, endsAt }]) });
    // Not merely unread (which holds activations back too): failing on the alert.
    const failingOnTheAlert = async () => (await request(http).get('/api/v1/health-checks')).body.checks.some((check: { failing: string[] }) => check.failing.some((alert) => alert.startsWith('PrimaryDown')));
    await eventually(failingOnTheAlert, 'the check to fail on PrimaryDown', 30_000);
    // Refused now, but declared: the loop holds it back pass after pass.
    await request(http).post('/api/v1/scenarios/security-scanner/activate').send({ reason: 'scan' }).expect(409);
    await eventually(() => named('healthcheck.blocked').length === 1, 'healthcheck.blocked', 10_000);
    // Passes later, while it still blocks, it has not been sent again.
    for (let pass = 0; pass < 3; pass++) {
      system.server.orchestrator.reconciler.request();
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(named('healthcheck.blocked')).toEqual([expect.objectContaining({ actor: 'system', reason: expect.stringContaining('PrimaryDown'), message: expect.stringContaining('security-scanner') })]);
    await request(http).post('/api/v1/scenarios/security-scanner/deactivate').expect(200);
    await request(http).post('/api/v1/apply').send({ manifests: 'apiVersion: maintenance/v1\nkind: Policy\nmetadata: {name: default}\nspec: {}\n', source: 'policy.yaml', confirm: true }).expect(200);
  });

  it('POST /notifiers/{name}/test delivers notifier.test, signed, to that notifier only, and says how it went', async () => {
    const before = delivered().length;
    const { body } = await request(http).post('/api/v1/notifiers/events/test').expect(200);
    expect(body).toEqual({ notifier: 'events', type: 'webhook', event: 'notifier.test', delivered: true, result: 'success', attempts: 1, status: 204, error: null, durationMs: expect.any(Number) });
    const sent = delivered().slice(before);
    expect(sent).toEqual([expect.objectContaining({ event: 'notifier.test', data: { notifier: 'events' } })]);
    expect(sent[0].message).toBe(`test notification from maintenance-orchestrator to notifier events, sent by ${sent[0].actor}`);
    expect(signed(receiver.requests[receiver.requests.length - 1])).toBe(true);
    const log = (await request(http).get('/api/v1/activity?category=notification')).body.entries.map((entry: { message: string }) => entry.message);
    expect(log).toContain('notifier.test delivered to events');
  });

  it('reports a refused connection, an error status and a host off the allowed list as not delivered, with one attempt each', async () => {
    const manifests = [notifier('dead', 'http://127.0.0.1:9/hook', ['emergency.stop']), notifier('busy', `${receiver.url}/busy`, ['emergency.stop']), notifier('remote', 'https://hooks.example.com/x', ['emergency.stop'])].join('---\n');
    await request(http).post('/api/v1/apply').send({ manifests, source: 'notifiers.yaml' }).expect(200);
    const dead = (await request(http).post('/api/v1/notifiers/dead/test').expect(200)).body;
    expect(dead).toMatchObject({ delivered: false, result: 'failure', attempts: 1, status: null, error: expect.stringContaining('cannot reach http://127.0.0.1:9/hook') });
    const busy = (await request(http).post('/api/v1/notifiers/busy/test').expect(200)).body;
    expect(busy).toMatchObject({ delivered: false, result: 'failure', attempts: 1, status: 503, error: expect.stringContaining('HTTP 503') });
    expect(busy.error).toContain('receiver overloaded');
    expect(receiver.requests.filter((received) => received.path === '/busy')).toHaveLength(1);
    const remote = (await request(http).post('/api/v1/notifiers/remote/test').expect(200)).body;
    expect(remote).toMatchObject({ delivered: false, status: null, error: expect.stringContaining('host hooks.example.com is not allowed') });
    const unknown = await request(http).post('/api/v1/notifiers/nope/test').expect(404);
    expect(unknown.body.message).toContain('notifier nope does not exist');
  });

  it('an alertmanager notifier test posts MaintenanceNotifierTest to the real Alertmanager', async () => {
    // Back to the real time: the alert's startsAt and endsAt come from the orchestrator's clock, and Alertmanager reads them against its own.
    offset = 0;
    const manifest = `apiVersion: maintenance/v1\nkind: Notifier\nmetadata: {name: am}\nspec: {type: alertmanager, url: "${alertmanager.url}"}\n`;
    await request(http).post('/api/v1/apply').send({ manifests: manifest, source: 'am.yaml' }).expect(200);
    const { body } = await request(http).post('/api/v1/notifiers/am/test').expect(200);
    expect(body).toMatchObject({ notifier: 'am', type: 'alertmanager', event: 'MaintenanceNotifierTest', delivered: true, status: 200 });
    const alerts = (await (await fetch(`${alertmanager.url}/api/v2/alerts?filter=alertname%3D%22MaintenanceNotifierTest%22`)).json()) as { labels: Record<string, string>; status: { state: string } }[];
    expect(alerts).toEqual([expect.objectContaining({ labels: { alertname: 'MaintenanceNotifierTest', notifier: 'am', source: 'maintenance-orchestrator' }, status: expect.objectContaining({ state: 'active' }) })]);
  });

  it('notifier test NAME exits 0 naming the answer, and 1 with the reason when not delivered', async () => {
    requireBuiltCli();
    const { cli, json } = cliAt(() => system.url);
    const ok = await cli('notifier', 'test', 'events');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^notifier\.test delivered to events \(webhook\): HTTP 204 in \d+ ms/);
    const busy = await cli('notifier', 'test', 'busy');
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('notifier.test to busy (webhook) not delivered: HTTP 503');
    const { run, body } = await json<{ delivered: boolean; status: number }>('notifier', 'test', 'busy');
    expect(run.code).toBe(1);
    expect(body).toMatchObject({ delivered: false, status: 503 });
    const unknown = await cli('notifier', 'test', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('notifier nope does not exist');
  });
});
