/**
 * SPEC 11 through the real app (HealthModule, NotifyModule): a Notifier applied with POST /api/v1/apply
 * gets signed webhook deliveries on stop-all and resume; a Policy's Alertmanager check against the real
 * Alertmanager holds back a real activation (409 naming the alert) until the alert is silenced.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { HealthCheckService } from '../src/health/health-check.service';
import { startAlertmanager, type MonitoringServer } from './support/monitoring-servers';
import { cliAt, requireBuiltCli } from './support/cli-runner';
import { activeIds, eventually, startTestSystem, type TestSystem } from './support/system';

jest.setTimeout(90_000);

const SECRET = 'a-webhook-secret-of-32-characters';

/** A webhook receiver on a free loopback port that records what it got. */
async function startReceiver(): Promise<{ url: string; requests: { headers: IncomingHttpHeaders; body: string }[]; close(): Promise<void> }> {
  const requests: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** True when the signature header is `sha256=` + HMAC-SHA256 of the exact body under SECRET. */
function signed(received: { headers: IncomingHttpHeaders; body: string }): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(received.body).digest('hex')}`);
  const given = Buffer.from(String(received.headers['x-maintenance-signature'] ?? ''));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('notifications and health checks wired into the app', () => {
  let system: TestSystem;
  let http: Server;
  let alertmanager: MonitoringServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    [alertmanager, receiver] = await Promise.all([startAlertmanager(), startReceiver()]);
    system = await startTestSystem({ specs: [{ id: 'backup', service: { tags: ['maintenance'] } }] });
    http = system.server.app.getHttpServer();
  });
  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
    await alertmanager?.stop();
  });

  it('a Notifier applied through /api/v1/apply gets signed deliveries on stop-all and resume', async () => {
    const manifests = `apiVersion: maintenance/v1\nkind: Notifier\nmetadata: {name: pager}\nspec:\n  type: webhook\n  url: ${receiver.url}\n  events: [emergency.stop, emergency.resume]\n  secret: ${SECRET}\n`;
    await request(http).post('/api/v1/apply').send({ manifests, source: 'notifier.yaml' }).expect(200);
    await request(http).post('/api/v1/stop-all').send({ reason: 'database incident' }).expect(200);
    await request(http).post('/api/v1/resume').expect(200);
    await eventually(() => receiver.requests.length >= 2, 'two deliveries');
    expect(receiver.requests.map((received) => JSON.parse(received.body).event)).toEqual(['emergency.stop', 'emergency.resume']);
    expect(receiver.requests.every(signed)).toBe(true);
    const { body } = await request(http).get('/api/v1/notifiers').expect(200);
    expect(body.notifiers).toEqual([{ name: 'pager', type: 'webhook', url: receiver.url, events: ['emergency.stop', 'emergency.resume'], signed: true }]);
    expect(JSON.stringify(body)).not.toContain(SECRET);
  });

  it("a Policy's Alertmanager check holds back a real activation while the alert fires, and lets it through once silenced", async () => {
    const policy = `apiVersion: maintenance/v1\nkind: Policy\nmetadata: {name: default}\nspec:\n  healthChecks:\n    - alertmanager: {name: pages, url: "${alertmanager.url}", matchers: ['severity="critical"'], interval: 1s}\n`;
    await request(http).post('/api/v1/apply').send({ manifests: policy, source: 'policy.yaml', confirm: true }).expect(200);
    const endsAt = new Date(Date.now() + 600_000).toISOString();
    await fetch(`${alertmanager.url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ labels: { alertname: 'PrimaryDown', severity: 'critical' }, endsAt }]) });
    const health = system.server.app.get(HealthCheckService);
    await eventually(async () => (await health.readNow()).some((result) => !result.ok), 'the check to fail', 30_000);
    const checks = (await request(http).get('/api/v1/health-checks').expect(200)).body.checks;
    expect(checks).toEqual([expect.objectContaining({ check: 'pages', ok: false, readAt: expect.any(String) })]);
    const refused = await request(http).post('/api/v1/scenarios/backup/activate').send({ reason: 'sweep' }).expect(409);
    expect(refused.body.message).toContain('PrimaryDown');
    expect(activeIds(system.fleet)).toEqual([]);

    const silence = { matchers: [{ name: 'alertname', value: 'PrimaryDown', isRegex: false, isEqual: true }], startsAt: new Date().toISOString(), endsAt, createdBy: 'test', comment: 'maintenance' };
    await fetch(`${alertmanager.url}/api/v2/silences`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(silence) });
    await eventually(async () => (await health.readNow()).every((result) => result.ok), 'the check to pass', 30_000);
    await request(http).post('/api/v1/scenarios/backup/activate').send({ reason: 'sweep' }).expect(200);
    expect(activeIds(system.fleet)).toEqual(['backup']);
  });

  it('notifier list shows it without the secret; notifier delete of an unknown name fails and changes nothing', async () => {
    requireBuiltCli();
    const { cli, json } = cliAt(() => system.url);
    const { run, body } = await json<{ notifiers: { name: string; signed: boolean }[] }>('notifier', 'list');
    expect(run.code).toBe(0);
    expect(body.notifiers).toEqual([expect.objectContaining({ name: 'pager', signed: true })]);
    expect(run.stdout).not.toContain(SECRET);
    const unknown = await cli('notifier', 'delete', 'nope');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('nope');
    expect((await request(http).get('/api/v1/notifiers')).body.notifiers).toHaveLength(1);
  });

  it('DELETE /api/v1/notifiers/{name} deletes a notifier, and an unknown name is 404 and changes nothing', async () => {
    await request(http).delete('/api/v1/notifiers/nope').expect(404);
    expect((await request(http).get('/api/v1/notifiers')).body.notifiers).toHaveLength(1);
    expect((await request(http).delete('/api/v1/notifiers/pager').expect(200)).body).toEqual({ success: true, name: 'pager' });
    expect((await request(http).get('/api/v1/notifiers')).body.notifiers).toEqual([]);
  });

  it('runs the checks on the named health.checks timer, listed by GET /api/v1/timers', async () => {
    const { body } = await request(http).get('/api/v1/timers').expect(200);
    expect(JSON.stringify(body)).toContain('"health.checks"');
  });
});
