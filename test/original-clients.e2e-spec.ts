/**
 * The original scenario's own clients against this server: its bash CLI and its Go CLI call the routes with
 * plain `curl -s -X POST URL` (no body, no content type) and read fields with jq. This drives a real server
 * with the real curl binary the same way (SPEC 6).
 */
import { execFile } from 'node:child_process';
import { startTestSystem, activeIds, type TestSystem } from './support/system';

const fleetSpecs = [
  { id: 'code-smell', service: { tags: ['quality'] } },
  { id: 'health-checker', service: { tags: ['essential', 'health'] } },
  { id: 'log-cleanup', service: { tags: ['essential', 'logs'] } },
  { id: 'performance-monitor', service: { tags: ['performance'] } },
  { id: 'query-analyzer', service: { tags: ['performance', 'database'] } },
];

/** What curl printed: the body parsed as JSON, and the status it wrote after it. */
interface CurlAnswer {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- whatever the server sent
}

describe('the original clients (bash CLI and Go CLI) over plain curl', () => {
  let system: TestSystem;
  beforeAll(async () => {
    // Two scenarios at once go without confirmation; three (the rest of `full`) ask for it.
    system = await startTestSystem({ specs: fleetSpecs, policy: { bulkConfirmThreshold: 2 } });
  });
  afterAll(() => system.stop());

  /** `curl -s -X METHOD URL`, as the bash CLI's api_call does; with `json`, the Go CLI's body and header. */
  function curl(method: string, path: string, json?: unknown): Promise<CurlAnswer> {
    const args = ['-s', '-X', method, '-w', '\n%{http_code}'];
    if (json !== undefined) args.push('-H', 'Content-Type: application/json', '-d', JSON.stringify(json));
    args.push(`${system.url}/api/v1${path}`);
    return new Promise((resolve, reject) => {
      // Asynchronous on purpose: the server runs in this process and must keep answering while curl waits.
      execFile('curl', args, (error, stdout) => {
        if (error) return reject(error);
        const split = stdout.lastIndexOf('\n');
        resolve({ status: Number(stdout.slice(split + 1)), body: JSON.parse(stdout.slice(0, split)) });
      });
    });
  }

  it('activates and deactivates with bodiless POSTs and the SPEC answers', async () => {
    const on = await curl('POST', '/scenarios/code-smell/activate');
    expect(on).toEqual({ status: 200, body: expect.objectContaining({ success: true, scenario: 'code-smell', newState: 'active' }) });
    expect(activeIds(system.fleet)).toEqual(['code-smell']);
    const off = await curl('POST', '/scenarios/code-smell/deactivate');
    expect(off).toEqual({ status: 200, body: expect.objectContaining({ success: true, scenario: 'code-smell', newState: 'inactive' }) });
    expect(activeIds(system.fleet)).toEqual([]);
  });

  it('applies a small preset without a body; a bulk one stays 428 without confirm (the deliberate difference)', async () => {
    const small = await curl('POST', '/presets/performance/apply');
    expect(small).toEqual({ status: 200, body: expect.objectContaining({ success: true, preset: 'performance', activated: ['performance-monitor', 'query-analyzer'], deactivated: [] }) });
    const bulk = await curl('POST', '/presets/full/apply');
    expect(bulk.status).toBe(428);
    expect(bulk.body).toMatchObject({ statusCode: 428, message: expect.stringMatching(/confirm/), plan: { touched: expect.any(Array) } });
    expect(activeIds(system.fleet)).toEqual(['performance-monitor', 'query-analyzer']);
  });

  it('lists the applied presets at GET /presets/active, as the Go CLI reads them', async () => {
    const { status, body } = await curl('GET', '/presets/active');
    expect(status).toBe(200);
    expect(body.activePresets).toEqual([expect.objectContaining({ id: 'performance', description: expect.any(String) })]);
  });

  it('creates presets from the Go CLI bodies: fromCurrentState, and states', async () => {
    const snapshot = await curl('POST', '/presets', { name: 'go-snapshot', description: 'from the Go CLI', fromCurrentState: true });
    expect(snapshot.status).toBe(201);
    expect(snapshot.body.preset).toEqual({ id: 'go-snapshot', name: 'go-snapshot', description: 'from the Go CLI', states: { 'performance-monitor': true, 'query-analyzer': true } });
    const states = await curl('POST', '/presets', { name: 'go-states', description: '', states: { 'code-smell': true, 'log-cleanup': false }, tags: ['essential'] });
    expect(states.status).toBe(201);
    expect(states.body.preset).toMatchObject({ id: 'go-states', states: { 'code-smell': true, 'health-checker': true } });
    expect(states.body.scenarios).toEqual(['code-smell', 'health-checker']);
  });

  it('stops everything with a bodiless POST /stop-all, and status --verbose finds an action on every entry', async () => {
    const stop = await curl('POST', '/stop-all');
    expect(stop.status).toBe(200);
    expect(stop.body).toMatchObject({ success: true, deactivated: ['performance-monitor', 'query-analyzer'], reason: 'no reason given' });
    expect(activeIds(system.fleet)).toEqual([]);
    const status = await curl('GET', '/status');
    const lines = status.body.recentActivity.map((entry: Record<string, unknown>) => `${entry.timestamp} ${entry.action} ${entry.scenario ?? entry.preset ?? ''}`);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toMatch(/ (null|undefined) /);
    expect(lines.some((line: string) => / stop-all /.test(line))).toBe(true);
    expect(lines.some((line: string) => / deactivated (performance-monitor|query-analyzer)$/.test(line))).toBe(true);
    expect((await curl('POST', '/resume')).body).toMatchObject({ success: true, emergencyStop: false });
  });
});
