import { compileRoute, RouteMatcher, type AccessDecision } from './roles';

const viewer: AccessDecision = { role: 'viewer', rateLimited: false };
const operator: AccessDecision = { role: 'operator', rateLimited: true };
const admin: AccessDecision = { role: 'admin', rateLimited: true };

const table = [
  compileRoute('GET', '/api/v1/scenarios/:id', viewer),
  compileRoute('POST', '/api/v1/scenarios/:id/activate', operator),
  compileRoute('ALL', '/api/v1/scenarios/:id/activate', admin),
  compileRoute('GET', '/api/v1/status', viewer),
];

describe('RouteMatcher', () => {
  it('finds the route, its decoded parameters and the strictest decision among the matches', () => {
    const routes = new RouteMatcher(table);
    expect(routes.match({ method: 'GET', path: '/api/v1/scenarios/db%20vacuum' })).toEqual({ decision: viewer, params: { id: 'db vacuum' } });
    expect(routes.match({ method: 'POST', path: '/api/v1/scenarios/a/activate' })).toEqual({ decision: admin, params: { id: 'a' } });
    expect(routes.match({ method: 'HEAD', path: '/API/v1/Status/' })?.decision).toBe(viewer);
    expect(routes.match({ method: 'DELETE', path: '/api/v1/status' })).toBeNull();
  });

  it('gives the same answer from its memo as from the table, per method and path', () => {
    const routes = new RouteMatcher(table);
    for (let round = 0; round < 2; round++) {
      expect(routes.match({ method: 'GET', path: '/api/v1/scenarios/one' })).toEqual({ decision: viewer, params: { id: 'one' } });
      expect(routes.match({ method: 'GET', path: '/api/v1/scenarios/two' })).toEqual({ decision: viewer, params: { id: 'two' } });
      expect(routes.match({ method: 'POST', path: '/api/v1/scenarios/one' })).toBeNull();
    }
  });

  it('keeps its memo bounded: past 4,096 paths it starts afresh, and long paths are never kept', () => {
    const routes = new RouteMatcher(table);
    const memo = (routes as unknown as { memo: Map<string, unknown> }).memo;
    for (let index = 0; index < 5_000; index++) routes.match({ method: 'GET', path: `/api/v1/scenarios/s${index}` });
    expect(memo.size).toBeLessThanOrEqual(4_096);
    expect(routes.match({ method: 'GET', path: '/api/v1/scenarios/s4999' })?.params).toEqual({ id: 's4999' });
    memo.clear();
    const long = `/api/v1/scenarios/${'x'.repeat(300)}`;
    expect(routes.match({ method: 'GET', path: long })?.params.id).toHaveLength(300);
    expect(memo.size).toBe(0);
  });

  it('hands out parameters that cannot be changed, since later requests for the same path share them', () => {
    const params = new RouteMatcher(table).match({ method: 'GET', path: '/api/v1/scenarios/a' })?.params as Record<string, string>;
    expect(Object.isFrozen(params)).toBe(true);
  });
});
