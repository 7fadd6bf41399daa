/**
 * Roles (SPEC 8): every handler declares who may call it with `@Requires(...)`, next to the route; one
 * middleware pair enforces it for every route. `viewer` reads, `operator` changes the declared state,
 * `admin` does everything, `scenario` registers only its own id.
 *
 * The decisions are read once from Nest's own controller metadata into a table of (method, path pattern);
 * the middleware matches a request against it before the router does. That keeps the check out of Nest's
 * per-request guard machinery (see src/api/auth.ts on what that costs a GET /status) and lets the tests
 * generate the role matrix from the same table. A route that declares nothing fails closed (admin only).
 */
import { applyDecorators, RequestMethod, SetMetadata, UseGuards } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { TokenRole } from '../config/api-tokens';
import { parseManifests } from '../presets/manifest';
import { isApiPath, presentedSecret, rememberedToken, rememberToken, TokenVerifier, type WithActor } from './auth';
import { ActorThrottlerGuard } from './rate-limit';
import { refuse } from './request-guards';

/** Who may call a route: nobody needs a token (`public`), any valid token (`authenticated`), or a rung of the ladder. */
export type RouteRole = 'public' | 'authenticated' | 'viewer' | 'operator' | 'admin';

/** A route's access decision, as `@Requires` records it. */
export interface AccessDecision {
  role: RouteRole;
  /** A `scenario` token may call the route when this returns its own name (the registration id touched). */
  scenarioOwns?: (request: Request, params: Record<string, string>) => string | undefined;
  /** A stricter role for some bodies (apply of Policy or Preset manifests needs admin). */
  escalate?: (request: Request) => RouteRole | null;
  /** Counted against RATE_LIMIT (default: every route above viewer). */
  rateLimited: boolean;
}

/** Metadata key of the decision. */
export const ACCESS_KEY = 'maintenance:access';

/** Declares who may call this handler; a route without it fails closed and fails the role-matrix test. */
export function Requires(role: RouteRole, options: Partial<Omit<AccessDecision, 'role'>> = {}): MethodDecorator {
  const decision: AccessDecision = { role, ...options, rateLimited: options.rateLimited ?? (role === 'operator' || role === 'admin') };
  const decorators: Array<MethodDecorator & ClassDecorator> = [SetMetadata(ACCESS_KEY, decision)];
  // The limiter is a Nest guard on the limited routes only, so reads never pay for it.
  if (decision.rateLimited) decorators.push(UseGuards(ActorThrottlerGuard));
  return applyDecorators(...decorators);
}

/** `scenarioOwns` for POST /registrations: the id in the body. */
export function registrationIdInBody(request: Request): string | undefined {
  const id = (request.body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id.trim() : undefined;
}

/** `scenarioOwns` for DELETE /registrations/:id. */
export function registrationIdInPath(_request: Request, params: Record<string, string>): string | undefined {
  return params.id;
}

/** Kinds an operator may apply; any other kind (Policy, Preset, or one unknown) needs admin. */
const OPERATOR_KINDS = new Set(['MaintenanceState', 'Schedule']);

/** `escalate` for POST /apply: admin when the manifests hold a kind other than MaintenanceState and Schedule. */
export function adminForPolicyOrPresetManifests(request: Request): RouteRole | null {
  const text = (request.body as { manifests?: unknown } | undefined)?.manifests;
  if (typeof text !== 'string') return null;
  try {
    return parseManifests(text, 'request body').every((manifest) => OPERATOR_KINDS.has(String(manifest.kind))) ? null : 'admin';
  } catch {
    // Manifests that do not parse change nothing; the handler answers 400 with the problems.
    return null;
  }
}

/**
 * `escalate` for POST /scenarios/{id}/activate: break-glass is an admin's (SPEC 10). Any value but absent or
 * false asks for admin, so no spelling of "true" slips past the check and into the body's validation.
 */
export function adminForBreakGlass(request: Request): RouteRole | null {
  const value = (request.body as { breakGlass?: unknown } | undefined)?.breakGlass;
  return value === undefined || value === null || value === false ? null : 'admin';
}

const LADDER: Record<TokenRole, number> = { scenario: 0, viewer: 1, operator: 2, admin: 3 };
const NEEDED: Record<RouteRole, number> = { public: 0, authenticated: 0, viewer: 1, operator: 2, admin: 3 };

/** One route of the table: where it is and what it requires (null: nothing declared). */
export interface RouteAccess {
  method: string;
  path: string;
  decision: AccessDecision | null;
  pattern: RegExp;
  params: string[];
  /** The path up to its first parameter, lower-cased: a cheap test that rules most routes out before the pattern runs. */
  prefix: string;
}

/** Every route Nest registered, with its decision, in registration order. */
export function routeTable(app: INestApplication): RouteAccess[] {
  const routes: RouteAccess[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!type) continue;
      const prefixes = asList(Reflect.getMetadata(PATH_METADATA, type));
      for (const name of Object.getOwnPropertyNames(type.prototype)) {
        const handler = (type.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const decision = (Reflect.getMetadata(ACCESS_KEY, handler) as AccessDecision | undefined) ?? null;
        for (const prefix of prefixes) for (const tail of asList(Reflect.getMetadata(PATH_METADATA, handler))) routes.push(compileRoute(RequestMethod[method], join(prefix, tail), decision));
      }
    }
  }
  return routes;
}

function asList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [value === undefined ? '' : String(value)];
}

function join(prefix: string, tail: string): string {
  return `/${[prefix, tail].map((part) => part.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/')}`;
}

/** One route of the table from its method, its Nest path (`:name` parameters) and its decision. */
export function compileRoute(method: string, path: string, decision: AccessDecision | null): RouteAccess {
  const params: string[] = [];
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? (params.push(segment.slice(1)), '([^/]+)') : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  const literal = path.split('/:')[0];
  return { method, path, decision, pattern: new RegExp(`^${source}/?$`, 'i'), params, prefix: literal.toLowerCase() };
}

/** What a request matched: the strictest decision among the routes that match, and the path's parameters. */
interface RouteMatch {
  decision: AccessDecision | null;
  params: Record<string, string>;
}

/** Answers kept per method and path: most traffic repeats a few paths, so they skip the table walk. */
const MATCH_MEMO_SIZE = 4_096;
/** Longer paths are matched afresh each time, so the memo holds at most about a megabyte of keys. */
const MEMO_PATH_CHARS = 256;

/**
 * Matches requests against the route table. Answers are remembered per method and path (the answer depends on
 * nothing else), up to MATCH_MEMO_SIZE paths of at most MEMO_PATH_CHARS; past that the memo starts afresh, so a
 * scan of random paths costs a table walk each, as without it, and never more memory.
 */
export class RouteMatcher {
  private readonly memo = new Map<string, RouteMatch | null>();

  constructor(private readonly table: readonly RouteAccess[]) {}

  match(request: Pick<Request, 'method' | 'path'>): RouteMatch | null {
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (request.path.length > MEMO_PATH_CHARS) return lookup(this.table, method, request.path);
    const key = `${method} ${request.path}`;
    let found = this.memo.get(key);
    if (found !== undefined) return found;
    found = lookup(this.table, method, request.path);
    if (this.memo.size >= MATCH_MEMO_SIZE) this.memo.clear();
    this.memo.set(key, found);
    return found;
  }
}

function lookup(table: readonly RouteAccess[], method: string, path: string): RouteMatch | null {
  let found: RouteMatch | null = null;
  const lower = path.toLowerCase();
  for (const route of table) {
    if (route.method !== method && route.method !== 'ALL') continue;
    // A string test first, the pattern only for routes that can match.
    if (!lower.startsWith(route.prefix)) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params = Object.freeze(Object.fromEntries(route.params.map((name, index) => [name, safeDecode(match[index + 1])])));
    if (!found || strictness(route.decision) > strictness(found.decision)) found = { decision: route.decision, params };
  }
  return found;
}

function strictness(decision: AccessDecision | null): number {
  return decision ? NEEDED[decision.role] : NEEDED.admin + 1;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Fails closed: a route with no decision is admin-only (and the role-matrix test names it). */
const UNDECIDED: AccessDecision = { role: 'admin', rateLimited: false };
/** An /api/v1 path no route matches: a valid token gets the router's 404, no token a 401. */
const UNKNOWN_API_PATH: AccessDecision = { role: 'authenticated', rateLimited: false };

type Middleware = (request: Request, response: Response, next: NextFunction) => void;
type Checked = WithActor & { access?: { decision: AccessDecision; params: Record<string, string> } };

/**
 * The two halves of the check, installed only when tokens are configured: `beforeBody` resolves the token
 * (401) and refuses what the route alone decides (403) before a byte of the body is read; `afterBody`
 * decides what depends on the body (a scenario's own id, the kinds of an apply).
 */
export function roleChecks(app: INestApplication, verifier: TokenVerifier): { beforeBody: Middleware; afterBody: Middleware } {
  let routes: RouteMatcher | null = null;
  const beforeBody: Middleware = (request: Checked, response, next) => {
    // With tokens the token decides who is calling, on every path: a header must never stand in for it.
    request.tokensRequired = true;
    routes ??= new RouteMatcher(routeTable(app));
    const found = routes.match(request);
    const decision = found ? (found.decision ?? UNDECIDED) : isApiPath(request.path) ? UNKNOWN_API_PATH : null;
    if (!decision || decision.role === 'public') return next();
    request.access = { decision, params: found?.params ?? NO_PARAMS };
    const header = request.headers.authorization;
    const remembered = header === undefined ? undefined : rememberedToken(request, header);
    if (remembered) return admit(request, response, next, remembered);
    const { secret, queryRefused } = presentedSecret(request);
    if (secret === null) return unauthorized(response, queryRefused);
    const known = verifier.findKnown(secret);
    if (known || !verifier.hasUnverified) {
      if (known && header !== undefined) rememberToken(request, header, known);
      return admit(request, response, next, known);
    }
    verifier.findHashed(secret).then(
      (token) => {
        if (token === 'busy') return refuse(response, 503, 'too many token checks at once; retry in a moment');
        if (token && header !== undefined) rememberToken(request, header, token);
        admit(request, response, next, token);
      },
      (error: unknown) => next(error),
    );
  };
  const afterBody: Middleware = (request: Checked, response, next) => {
    const decision = request.access?.decision;
    if (!decision || (!decision.scenarioOwns && !decision.escalate)) return next();
    decide(request, response, next);
  };
  return { beforeBody, afterBody };
}

const NO_PARAMS: Record<string, string> = Object.freeze({});

function unauthorized(response: Response, queryRefused: boolean): void {
  refuse(response, 401, queryRefused ? '?token= is accepted on GET /api/v1/events only: send Authorization: Bearer <token>' : 'a valid token is required: pass --token or MAINTENANCE_TOKEN (Authorization: Bearer ...)');
}

/** The token is known: it names the actor; what the route alone decides is decided now, the rest after the body. */
function admit(request: Checked, response: Response, next: NextFunction, token: { name: string; role: TokenRole } | undefined): void {
  if (!token) return unauthorized(response, false);
  request.actor = token.name;
  request.role = token.role;
  const decision = (request.access as NonNullable<Checked['access']>).decision;
  if (!decision.scenarioOwns && !decision.escalate) return decide(request, response, next);
  next();
}

/** Lets the request through or answers 403 naming the role it needed. */
function decide(request: Checked, response: Response, next: NextFunction): void {
  const { decision, params } = request.access as NonNullable<Checked['access']>;
  const role = request.role as TokenRole;
  const needed = decision.escalate?.(request) ?? decision.role;
  if (role === 'scenario') {
    if (decision.role === 'authenticated') return next();
    const owned = decision.scenarioOwns?.(request, params);
    if (owned !== undefined && owned === request.actor) return next();
    const own = decision.scenarioOwns ? `a scenario token may only use its own id (${request.actor}); ` : '';
    return refuse(response, 403, `${own}this needs the ${needed} role (token "${request.actor}" has scenario)`, { requiredRole: needed });
  }
  if (LADDER[role] >= NEEDED[needed]) return next();
  refuse(response, 403, `this needs the ${needed} role (token "${request.actor}" has ${role})`, { requiredRole: needed });
}
