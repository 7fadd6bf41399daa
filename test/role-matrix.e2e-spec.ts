/**
 * The role matrix (SPEC 8): every route Nest registered x every role, against a real orchestrator. The
 * routes come from the router's own table (src/api/roles.ts `routeTable`), so a new route without a
 * `@Requires` decision, or one missing from SPEC_ROLES below, fails here.
 */
import * as http from 'node:http';
import { routeTable, type RouteAccess, type RouteRole } from '../src/api/roles';
import { startTestSystem, type TestSystem } from './support/system';

/** What SPEC 8 says each route needs; kept by hand so a wrong declaration in a controller shows up. */
const SPEC_ROLES: Record<string, RouteRole> = {
  'GET /health': 'public',
  'GET /metrics': 'public',
  'GET /healthz': 'public',
  'GET /readyz': 'public',
  'GET /api/v1/whoami': 'authenticated',
  'GET /api/v1/activity': 'viewer',
  'GET /api/v1/events': 'viewer',
  'GET /api/v1/presets': 'viewer',
  'GET /api/v1/presets/active': 'viewer',
  'GET /api/v1/presets/:id': 'viewer',
  'GET /api/v1/presets/:id/export': 'viewer',
  'POST /api/v1/presets/:id/apply': 'operator',
  'POST /api/v1/presets/:id/remove': 'operator',
  'POST /api/v1/presets': 'admin',
  'POST /api/v1/presets/import': 'admin',
  'DELETE /api/v1/presets/:id': 'admin',
  'GET /api/v1/registrations': 'viewer',
  'POST /api/v1/registrations': 'admin',
  'DELETE /api/v1/registrations/:id': 'admin',
  'GET /api/v1/scenarios': 'viewer',
  'GET /api/v1/scenarios/:id': 'viewer',
  'GET /api/v1/scenarios/:id/explain': 'viewer',
  'POST /api/v1/scenarios/:id/activate': 'operator',
  'POST /api/v1/scenarios/:id/deactivate': 'operator',
  'GET /api/v1/schedules': 'viewer',
  'GET /api/v1/schedules.ics': 'viewer',
  'GET /api/v1/timeline': 'viewer',
  'GET /api/v1/schedules/:name': 'viewer',
  'POST /api/v1/schedules': 'operator',
  'PUT /api/v1/schedules/:name': 'operator',
  'DELETE /api/v1/schedules/:name': 'operator',
  'GET /api/v1/status': 'viewer',
  'GET /api/v1/timers': 'viewer',
  'GET /api/v1/notifiers': 'viewer',
  'DELETE /api/v1/notifiers/:name': 'admin',
  'POST /api/v1/notifiers/:name/test': 'operator',
  'GET /api/v1/health-checks': 'viewer',
  'GET /api/v1/history': 'viewer',
  'GET /api/v1/desired-state': 'viewer',
  'PUT /api/v1/desired-state': 'operator',
  'POST /api/v1/plan': 'viewer',
  'POST /api/v1/apply': 'operator',
  'POST /api/v1/stop-all': 'operator',
  'POST /api/v1/resume': 'operator',
  'GET /api/v1/policy': 'viewer',
  'PUT /api/v1/policy': 'admin',
};

const CALLERS = { none: null, scenario: 'scenario-secret-1', viewer: 'viewer-secret-1', operator: 'operator-secret-1', admin: 'admin-secret-1' } as const;
type Caller = keyof typeof CALLERS;
const RANK: Record<Caller, number> = { none: -1, scenario: 0, viewer: 1, operator: 2, admin: 3 };
const NEEDED: Record<RouteRole, number> = { public: -1, authenticated: 0, viewer: 1, operator: 2, admin: 3 };

/** The status a caller must get: 401/403 when refused; "passes" (anything else) when let through. */
function expected(role: RouteRole, caller: Caller): 401 | 403 | 'passes' {
  if (role === 'public') return 'passes';
  if (caller === 'none') return 401;
  return RANK[caller] >= NEEDED[role] ? 'passes' : 403;
}

/** Status of one request; an event stream is cut as soon as its headers arrive. */
function statusOf(url: string, method: string, path: string, secret: string | null): Promise<number> {
  const body = method === 'GET' ? undefined : '{}';
  const headers: Record<string, string> = body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {};
  if (secret) headers.authorization = `Bearer ${secret}`;
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(path, url), { method, headers }, (res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      if (res.headers['content-type']?.startsWith('text/event-stream')) req.destroy();
    });
    req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
    if (body) req.write(body);
    req.end();
  });
}

describe('role matrix: every route x every role', () => {
  let system: TestSystem;
  let routes: RouteAccess[];
  beforeAll(async () => {
    system = await startTestSystem({
      specs: [{ id: 'alpha' }],
      env: { MAINTENANCE_TOKENS: 'boss:admin:admin-secret-1,ops:operator:operator-secret-1,eye:viewer:viewer-secret-1,alpha:scenario:scenario-secret-1,solo:scenario:solo-secret-12', RATE_LIMIT: '100000/min' },
    });
    routes = routeTable(system.server.app);
  }, 30_000);
  afterAll(() => system?.stop());

  it('finds every route with a decision, and the decision is the one SPEC 8 gives', () => {
    const undecided = routes.filter((route) => route.decision === null).map((route) => `${route.method} ${route.path}`);
    expect(undecided).toEqual([]);
    const declared = Object.fromEntries(routes.map((route) => [`${route.method} ${route.path}`, route.decision?.role]));
    expect(declared).toEqual(SPEC_ROLES);
  });

  it('answers each caller as its role allows', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const path = route.path.replace(/:[a-z]+/gi, 'nope');
      for (const caller of Object.keys(CALLERS) as Caller[]) {
        const want = expected(route.decision?.role ?? 'admin', caller);
        const got = await statusOf(system.url, route.method, path, CALLERS[caller]);
        const ok = want === 'passes' ? got !== 401 && got !== 403 : got === want;
        if (!ok) wrong.push(`${route.method} ${path} as ${caller}: ${got}, expected ${want}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('lets a scenario token register, renew and unregister its own id only', async () => {
    const port = system.fleet.scenarios[0].port;
    const register = (id: string, secret: string = CALLERS.scenario) =>
      fetch(`${system.url}/api/v1/registrations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id, endpoint: `http://127.0.0.1:${port}`, ttlSeconds: 60 }),
      });
    // `alpha` is the token's name, but also a file-discovered scenario here: 409, not 403 (the role passed).
    expect((await register('alpha')).status).toBe(409);
    expect((await register('beta')).status).toBe(403);
    const remove = await fetch(`${system.url}/api/v1/registrations/beta`, { method: 'DELETE', headers: { authorization: `Bearer ${CALLERS.scenario}` } });
    expect(remove.status).toBe(403);
    // `solo` has no file: it registers, renews and unregisters itself.
    expect((await register('solo', 'solo-secret-12')).status).toBe(200);
    expect((await register('solo', 'solo-secret-12')).status).toBe(200);
    const own = await fetch(`${system.url}/api/v1/registrations/solo`, { method: 'DELETE', headers: { authorization: 'Bearer solo-secret-12' } });
    expect(own.status).toBe(200);
  });
});
