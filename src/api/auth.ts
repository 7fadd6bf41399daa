/**
 * Who is calling (SPEC 8). With tokens configured, a request names its token in `Authorization: Bearer
 * <secret>` (or `?token=` on `GET /api/v1/events` only: EventSource cannot send headers, and a token in any
 * other URL ends up in logs and browser history); the token's name is the actor and its role what it may
 * do (src/api/roles.ts decides that). Without tokens (loopback use) the actor is `local`, or `local:<name>`
 * when the request says who sent it in `X-Maintenance-Actor` (the CLI sends the OS user name, the dashboard
 * the name its user gave once).
 *
 * A middleware in front of the router, not a Nest guard: a global guard put an execution context and an
 * asynchronous step on every request, a tenth of what a `GET /status` costs, and without tokens there is
 * nothing to check at all, so then nothing is installed.
 */
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { secretDigest, type ApiToken, type TokenRole } from '../config/api-tokens';
import { verifySecret } from '../config/secret-hash';

/** The header a client names its user in, in anonymous loopback mode only. */
export const ACTOR_HEADER = 'x-maintenance-actor';

/**
 * What a name in that header may be: 1 to 64 ASCII letters, digits and `. _ - @ +`, not starting with a
 * punctuation mark other than `_`. Enough for OS user names and e-mail-like logins; no spaces, quotes,
 * control characters or `:` (the separator in `local:<name>`) to forge or garble a log line.
 */
export const ACTOR_NAME = /^[A-Za-z0-9_][A-Za-z0-9._@+-]{0,63}$/;

/** A request as the access middlewares leave it. */
export type WithActor = Request & { actor?: string; role?: TokenRole; tokensRequired?: boolean };

/** At most this many scrypt checks at once: each takes ~50 ms and 32 MiB on libuv's small thread pool. */
const MAX_SCRYPT_CHECKS = 4;

/**
 * Finds the token a secret belongs to. Every comparison is `timingSafeEqual` over SHA-256 digests (fixed
 * length), run against every token without stopping at a match, so the time says nothing about the secret.
 * A TOKENS_FILE token is checked with scrypt until it matches once; then its digest joins the fast list, so
 * a busy client pays scrypt once per process, not per request.
 */
export class TokenVerifier {
  private readonly known: Array<{ token: ApiToken; digest: Buffer }>;
  private readonly unverified: ApiToken[];
  private scryptChecks = 0;

  constructor(tokens: readonly ApiToken[]) {
    this.known = tokens.flatMap((token) => (token.digest ? [{ token, digest: token.digest }] : []));
    this.unverified = tokens.filter((token) => token.secretHash !== null);
  }

  /** The token among those already known by digest, or undefined. Synchronous: the path of every request. */
  findKnown(secret: string): ApiToken | undefined {
    const digest = secretDigest(secret);
    let found: ApiToken | undefined;
    for (const entry of this.known) if (timingSafeEqual(digest, entry.digest) && !found) found = entry.token;
    return found;
  }

  /** True when some hashed token has not been seen yet, so a miss in `findKnown` must try scrypt. */
  get hasUnverified(): boolean {
    return this.unverified.length > 0;
  }

  /** Tries the hashed tokens not yet seen; `'busy'` when too many checks are running already. */
  async findHashed(secret: string): Promise<ApiToken | undefined | 'busy'> {
    if (this.scryptChecks >= MAX_SCRYPT_CHECKS) return 'busy';
    this.scryptChecks++;
    try {
      for (const token of [...this.unverified]) {
        if (!token.secretHash || !(await verifySecret(secret, token.secretHash))) continue;
        this.unverified.splice(this.unverified.indexOf(token), 1);
        this.known.push({ token, digest: secretDigest(secret) });
        return token;
      }
      return undefined;
    } finally {
      this.scryptChecks--;
    }
  }
}

/** Where a connection keeps what it was last admitted with (see `rememberedToken`). */
const CONNECTION_TOKEN = Symbol('maintenance.connectionToken');

type RememberingSocket = { [CONNECTION_TOKEN]?: { header: string; token: ApiToken } };

/**
 * The token a keep-alive connection was admitted with on an earlier request, when this request sends the
 * very same Authorization header. Clients send one header on every request of a connection, so this skips
 * the digest and the comparisons for all but the first. It compares the header only with a value this same
 * connection already sent and had accepted, never with a configured secret, so its timing tells the sender
 * nothing it did not know: every secret is still only ever compared in constant time, by `findKnown`.
 */
export function rememberedToken(request: Request, header: string): ApiToken | undefined {
  const remembered = (request.socket as RememberingSocket | undefined)?.[CONNECTION_TOKEN];
  return remembered !== undefined && remembered.header === header ? remembered.token : undefined;
}

/** Remembers on the request's connection the header a token was found by (one entry per connection). */
export function rememberToken(request: Request, header: string, token: ApiToken): void {
  const socket = request.socket as RememberingSocket | undefined;
  if (socket) socket[CONNECTION_TOKEN] = { header, token };
}

/** The secret a request presents: the bearer header, or `?token=` where it is allowed. */
export function presentedSecret(request: Request): { secret: string | null; queryRefused: boolean } {
  const header = request.headers.authorization;
  if (header !== undefined) return { secret: /^Bearer /i.test(header) ? header.slice(7).trim() || null : null, queryRefused: false };
  const query = request.query.token;
  if (query === undefined) return { secret: null, queryRefused: false };
  if (isEventsPath(request)) return { secret: typeof query === 'string' && query !== '' ? query : null, queryRefused: false };
  return { secret: null, queryRefused: true };
}

/** `GET /api/v1/events`: the one route that takes `?token=`. */
function isEventsPath(request: Request): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && /^\/api\/v1\/events\/?$/i.test(request.path);
}

/** True for the routes tokens protect by default: /api/v1 and below. */
export function isApiPath(path: string): boolean {
  return path === '/api/v1' || path.startsWith('/api/v1/');
}

/**
 * The actor of a request: the token's name when tokens are configured; otherwise `local:<name>` for a valid
 * `X-Maintenance-Actor`, else `local`. An invalid name is ignored rather than refused: in anonymous mode the
 * header is a label, not a credential, and no request (above all an emergency stop) should fail over a label.
 */
export function actorOf(request: WithActor): string {
  if (request.tokensRequired) return request.actor ?? 'local';
  const raw = request.headers[ACTOR_HEADER];
  const name = typeof raw === 'string' ? raw.trim() : undefined;
  return name && ACTOR_NAME.test(name) ? `local:${name}` : 'local';
}

/** The caller's name for the activity log (see `actorOf`). */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => actorOf(context.switchToHttp().getRequest<WithActor>()));
