/**
 * Scenario calls against hostile scenarios, through the whole orchestrator (SPEC 8): a scenario that trickles
 * its answer fails within ACTION_TIMEOUT and does not stay Progressing; a scenario whose error page leaks a
 * secret never gets it into the API or the activity log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config';
import { FixedHostLoadProbe } from '../src/reconciler/host-load';
import { startServer, type RunningServer } from '../src/server';
import { requestJson, startFleet, tempFleetDir, type Fleet } from './support/fleet';
import { eventually } from './support/system';

type Json = Record<string, any>;

const SECRET = 'DB_PASSWORD=hunter2';

/** A raw scenario server on 127.0.0.1 that answers every request as `answer` does. */
async function rawScenario(answer: (socket: net.Socket) => void): Promise<{ port: number; server: net.Server }> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', () => answer(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

/** Writes a valid answer one byte every 100 ms: it would take 30 s to finish. */
function trickle(socket: net.Socket): void {
  const text = `HTTP/1.1 200 OK\r\nX-Pad: ${'p'.repeat(250)}\r\nContent-Length: 29\r\n\r\n{"maintenanceState":"active"}`;
  let at = 0;
  const timer = setInterval(() => (socket.destroyed || at >= text.length ? clearInterval(timer) : socket.write(text[at++])), 100);
}

/** A 500 whose body is what a crashing service prints: its environment, and a JSON message. */
function leak(socket: net.Socket): void {
  const body = JSON.stringify({ message: 'database unavailable', env: SECRET, stack: `Error: ${SECRET}\n    at boot` });
  socket.write(`HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

describe('scenario calls against hostile scenarios', () => {
  let fleet: Fleet;
  let server: RunningServer;
  let cleanups: (() => Promise<unknown>)[] = [];
  let ports: { trickler: number; leaker: number };

  beforeAll(async () => {
    const trickler = await rawScenario(trickle);
    const leaker = await rawScenario(leak);
    ports = { trickler: trickler.port, leaker: leaker.port };
    fleet = await startFleet([{ id: 'trickler' }, { id: 'leaker' }]);
    // The scenarios' service.json files name the hostile servers' ports instead of the demo servers'.
    const patchPort = (port: number) => ({ ports: { api: { env_var: 'API_PORT', port } } });
    const scenarios = await tempFleetDir(fleet, { patch: { trickler: patchPort(trickler.port), leaker: patchPort(leaker.port) } });
    const dataDir = await mkdtemp(join(tmpdir(), 'mo-data-'));
    const env = { MAINTENANCE_PORT: 0, SCENARIOS_DIR: scenarios.dir, DATA_DIR: dataDir, RESYNC_INTERVAL: '1s', DISCOVERY_INTERVAL: '2s', ACTION_TIMEOUT: '1s', LOG_LEVEL: 'silent' };
    server = await startServer(loadConfig({}, env), { hostProbe: new FixedHostLoadProbe({ cpuLoadPercent: 0, memoryPercent: 0 }) });
    cleanups = [
      () => server.close(),
      () => fleet.stop(),
      () => scenarios.cleanup(),
      () => rm(dataDir, { recursive: true, force: true }),
      () => new Promise((resolve) => trickler.server.close(resolve)),
      () => new Promise((resolve) => leaker.server.close(resolve)),
    ];
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });

  const api = (path: string, body?: unknown) => requestJson(`${server.url}/api/v1${path}`, body).then((reply) => reply.body as Json);

  it('fails a trickling scenario within ACTION_TIMEOUT, saying so, and does not leave it Progressing', async () => {
    const reply = await api('/scenarios/trickler/activate', {});
    expect(reply).toMatchObject({ success: false, message: expect.stringContaining(`no complete answer within 1s from http://127.0.0.1:${ports.trickler}`) });
    await eventually(async () => {
      const view = await api('/scenarios/trickler');
      return view.inFlight === null && view.reason === 'Unreachable' && !view.conditions.some((c: Json) => c.type === 'Progressing' && c.status === 'True');
    }, 'the trickler settled as Unreachable, not Progressing');
    expect((await api('/scenarios/trickler')).message).toMatch(new RegExp(`^no complete answer within 1s from http://127\\.0\\.0\\.1:${ports.trickler}(;|$)`));
  });

  it('never echoes a failing body into the API or the activity log, only its JSON message', async () => {
    const reply = await api('/scenarios/leaker/activate', {});
    const expected = `HTTP 500 from http://127.0.0.1:${ports.leaker}: database unavailable`;
    expect(reply).toMatchObject({ success: false, message: expect.stringContaining(expected) });
    await eventually(async () => String((await api('/scenarios/leaker')).message).startsWith(expected), 'the leaker view names the failure');
    const activity = await api('/activity?scenario=leaker&limit=1000');
    expect(activity.entries.map((entry: Json) => entry.message).join('\n')).toContain(expected);
    for (const path of ['/scenarios/leaker', '/activity?limit=1000', '/scenarios', '/status']) expect(JSON.stringify(await api(path))).not.toContain('hunter2');
  });
});
