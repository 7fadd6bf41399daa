/**
 * Who is calling. With MAINTENANCE_TOKENS set, every /api/v1 request needs `Authorization: Bearer <secret>`
 * and the token's name is the actor recorded in the activity log; without tokens (loopback use) it is `local`.
 *
 * A middleware in front of the router, not a Nest guard: a global guard put an execution context and an
 * asynchronous step on every request, a tenth of what a `GET /status` costs, and without tokens there is
 * nothing to check at all, so then nothing is installed.
 */
import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

type WithActor = Request & { actor?: string };

/** Checks the bearer token (or `?token=`, for EventSource clients) on /api/v1 and sets `req.actor` to its name. */
export function bearerAuth(tokens: ReadonlyMap<string, string>): (request: Request, response: Response, next: NextFunction) => void {
  return (request, _response, next) => {
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

/** The caller's name for the activity log: the token's, or `local` when no tokens are configured. */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<WithActor>().actor ?? 'local');
