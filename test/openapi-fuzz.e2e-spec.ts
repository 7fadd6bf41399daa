/**
 * Issue 16's fuzz run over the OpenAPI document, against the built server (`node dist/src/launch.js`) with
 * tokens on and a real demo fleet: every route the server publishes in /api/docs-json gets generated
 * parameters, bodies, headers, content types and callers of every role (and none). No answer may be a
 * 5xx, a refused request must answer the JSON error and change nothing (state views and fleet compared
 * around it), and /health still answers. The engine is bench/support/openapi-fuzz.ts (the bench measures
 * its rate). FUZZ_SEED=<n> replays a run; FUZZ_PER_ROUTE=<n> changes its size.
 */
import { startChild, stopChild, type ChildOrchestrator } from './support/child';
import { startFleet, tempFleetDir, type Fleet } from './support/fleet';
import { runOpenApiFuzz, type FuzzReport } from '../bench/support/openapi-fuzz';

const SECRETS = { admin: 'fuzz-admin-secret', operator: 'fuzz-operator-secret', viewer: 'fuzz-viewer-secret', scenario: 'fuzz-scenario-secret' };
const TOKENS = `boss:admin:${SECRETS.admin},ops:operator:${SECRETS.operator},eye:viewer:${SECRETS.viewer},zulu:scenario:${SECRETS.scenario}`;
const PER_ROUTE = Number(process.env.FUZZ_PER_ROUTE ?? 60);

describe('fuzz over the OpenAPI document (tokens on)', () => {
  let fleet: Fleet;
  let dir: { dir: string; cleanup: () => Promise<void> };
  let child: ChildOrchestrator;
  let report: FuzzReport;

  beforeAll(async () => {
    fleet = await startFleet([{ id: 'alpha' }, { id: 'bravo' }, { id: 'charlie', service: { weight: 'heavy' } }]);
    dir = await tempFleetDir(fleet);
    // The rate limit is set out of reach so accepted requests go on reaching the code behind the guards.
    child = await startChild({ SCENARIOS_DIR: dir.dir, DATA_DIR: dir.dir, MAINTENANCE_TOKENS: TOKENS, RATE_LIMIT: '1000000/min', LOG_LEVEL: 'error' });
    report = await runOpenApiFuzz(
      {
        url: child.url,
        secrets: SECRETS,
        fleet: () => fleet.scenarios.map((scenario) => ({ id: scenario.id, state: fleet.stateOf(scenario.id), posts: fleet.stats(scenario.id).posts })),
        pool: [...fleet.scenarios.flatMap((scenario) => [scenario.id, scenario.url]), 'zulu'],
      },
      { perRoute: PER_ROUTE, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
    const routes = Object.entries(report.byRoute).map(([route, statuses]) => `  ${route}: ${Object.entries(statuses).map(([status, count]) => `${status}×${count}`).join(' ')}`);
    console.log(
      [
        `openapi fuzz: ${report.tried} requests tried over ${report.routes} routes in ${(report.durationMs / 1000).toFixed(1)} s (${report.perSecond.toFixed(0)}/s, state checks included), seed ${report.seed}`,
        `  ${report.refused} refused (4xx; ${report.heldByGates} of them activations held by a gate, kept desired by design), ${report.accepted} accepted, ${report.serverErrors} 5xx, ${report.findings.length} findings; /health after: ${report.healthAfter}`,
        ...routes,
      ].join('\n'),
    );
  }, 240_000);

  afterAll(async () => {
    if (child) await stopChild(child);
    await fleet?.stop();
    await dir?.cleanup();
  });

  it('tries thousands of requests, every route of the document among them', () => {
    expect(report.tried).toBeGreaterThanOrEqual(1000);
    expect(report.routes).toBeGreaterThan(30);
    // Every route was reached, and got past the guards at least once (otherwise only the guards were fuzzed).
    const neverPast = Object.entries(report.byRoute).filter(([, statuses]) => !Object.keys(statuses).some((status) => !['401', '403', '415', '421'].includes(status)));
    expect(neverPast.map(([route]) => route)).toEqual([]);
    expect(Object.keys(report.byRoute)).toHaveLength(report.routes);
  });

  it('never answers 5xx or leaves a request unanswered', () => {
    const failures = report.findings.filter((finding) => finding.kind === 'server error' || finding.kind === 'no answer');
    expect(failures.slice(0, 10)).toEqual([]);
    expect(report.serverErrors).toBe(0);
  });

  it('changes nothing on a refused request, and refuses in the JSON error shape', () => {
    const failures = report.findings.filter((finding) => finding.kind !== 'server error' && finding.kind !== 'no answer');
    expect(failures.slice(0, 10)).toEqual([]);
    expect(report.refused).toBeGreaterThan(report.tried / 4);
  });

  it('still answers /health', () => {
    expect(report.healthAfter).toBe(200);
  });

  // What earlier runs found at fault (each answered 500, or a JSON error under a YAML type), replayed every time.
  it.each([
    ['a JSON body nested 3,000 deep', 'POST', '/api/v1/apply', { 'content-type': 'application/json' }, `${'['.repeat(3000)}${']'.repeat(3000)}`, 400, /nests deeper than 64/],
    ['a gzip Content-Encoding on a body that is not gzip', 'POST', '/api/v1/plan', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, '{}', 400, /request body refused/],
    ['a charset the JSON parser cannot read', 'POST', '/api/v1/plan', { 'content-type': 'application/json; charset=latin1' }, '{}', 415, /charset/],
    ['an export of an unknown preset (a YAML route)', 'GET', '/api/v1/presets/nope/export', {}, null, 404, /unknown preset/],
    ['a TTL of a trillion days', 'POST', '/api/v1/scenarios/alpha/activate', { 'content-type': 'application/json' }, '{"ttl":"1s32387432993d"}', 400, /ttl must be a duration/],
  ])('refuses %s with a JSON %#', async (_, method, path, headers, body, status, message) => {
    const response = await fetch(`${child.url}${path}`, { method, headers: { authorization: `Bearer ${SECRETS.admin}`, ...headers }, body });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.status).toBe(status);
    expect(await response.json()).toMatchObject({ statusCode: status, message: expect.stringMatching(message) });
  });
});
