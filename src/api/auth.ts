/**
 * Who is calling. With MAINTENANCE_TOKENS set, every /api/v1 request needs `Authorization: Bearer <secret>`
 * and the token's name is the actor recorded in the activity log. Without tokens (loopback use) the actor is
 * `local`, or `local:<name>` when the request says who sent it in `X-Maintenance-Actor` (the CLI sends the
 * OS user name, the dashboard the name its user gave once).
 *
 * A middleware in front of the router, not a Nest guard: a global guard put an execution context and an
 * asynchronous step on every request, a tenth of what a `GET /status` costs, and without tokens there is
 * nothing to check at all, so then nothing is installed.
 */
import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** The header a client names its user in, in anonymous loopback mode only. */
export const ACTOR_HEADER = 'x-maintenance-actor';

/**
 * What a name in that header may be: 1 to 64 ASCII letters, digits and `. _ - @ +`, not starting with a
 * punctuation mark other than `_`. Enough for OS user names and e-mail-like logins; no spaces, quotes,
 * control characters or `:` (the separator in `local:<name>`) to forge or garble a log line.
 */
export const ACTOR_NAME = /^[A-Za-z0-9_][A-Za-z0-9._@+-]{0,63}$/;

type WithActor = Request & { actor?: string; tokensRequired?: boolean };

/** Checks the bearer token (or `?token=`, for EventSource clients) on /api/v1 and sets `req.actor` to its name. */
export function bearerAuth(tokens: ReadonlyMap<string, string>): (request: Request, response: Response, next: NextFunction) => void {
  return (request, _response, next) => {
    // With tokens the token decides who is calling, on every path: a header must never stand in for it.
    (request as WithActor).tokensRequired = true;
    // Probes, /health and /metrics sit outside /api/v1 so kubelets and Prometheus can call them without a secret.
    if (!isApiPath(request.path)) return next();
    const header = request.headers.authorization ?? '';
    const secret = header.startsWith('Bearer ') ? header.slice(7).trim() : String(request.query.token ?? '');
    const name = tokens.get(secret);
    if (!name) return next(new UnauthorizedException('a valid token is required: pass --token or MAINTENANCE_TOKEN (Authorization: Bearer ...)'));
    (request as WithActor).actor = name;
    next();
  };
}

/** True for the routes tokens protect: /api/v1 and below. */
function isApiPath(path: string): boolean {
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
