/**
 * Who is calling. With MAINTENANCE_TOKENS set, every /api/v1 request needs `Authorization: Bearer <secret>`
 * and the token's name is the actor recorded in the activity log; without tokens (loopback use) it is `local`.
 */
import { CanActivate, createParamDecorator, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { CONFIG } from './tokens';
import type { Config } from '../config/config';

type WithActor = Request & { actor?: string };

/** Checks the bearer token when tokens are configured and sets `req.actor`. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<WithActor>();
    // Probes, /health and /metrics sit outside /api/v1 so kubelets and Prometheus can call them without a secret.
    if (this.config.tokens.size === 0 || !isApiPath(request.path)) {
      request.actor = 'local';
      return true;
    }
    const header = request.headers.authorization ?? '';
    const secret = header.startsWith('Bearer ') ? header.slice(7).trim() : String(request.query.token ?? '');
    const name = this.config.tokens.get(secret);
    if (!name) throw new UnauthorizedException('a valid token is required: pass --token or MAINTENANCE_TOKEN (Authorization: Bearer ...)');
    request.actor = name;
    return true;
  }
}

/** True for the routes tokens protect: /api/v1 and below. */
function isApiPath(path: string): boolean {
  return path === '/api/v1' || path.startsWith('/api/v1/');
}

/** The caller's name for the activity log. */
export const Actor = createParamDecorator((_: unknown, context: ExecutionContext): string => context.switchToHttp().getRequest<WithActor>().actor ?? 'local');
