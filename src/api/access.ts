/** The access middlewares in the order src/server.ts installs them around the body parser (SPEC 8). */
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config/config';
import { TokenVerifier } from './auth';
import { requestGuards } from './request-guards';
import { roleChecks } from './roles';

type Middleware = (request: Request, response: Response, next: NextFunction) => void;

/**
 * Browser-attack guards always; token and role checks only when tokens are configured (anonymous mode
 * installs nothing more, so its requests pay nothing more).
 */
export function accessControl(app: INestApplication, config: Config): { beforeBody: Middleware[]; afterBody: Middleware[] } {
  const guards = requestGuards(config);
  if (config.tokens.length === 0) return { beforeBody: [guards], afterBody: [] };
  const checks = roleChecks(app, new TokenVerifier(config.tokens));
  return { beforeBody: [guards, checks.beforeBody], afterBody: [checks.afterBody] };
}
