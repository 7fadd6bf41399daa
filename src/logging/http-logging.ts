/**
 * Request logging (pino-http through nestjs-pino) and Nest's own log calls on the same logger. Requests
 * are `api` lines; successful ones only at debug, since the activity log already records every intent and
 * a scrape every 15 s or a dashboard poll is not an event. Tokens never reach a log line.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Logger as NestJsPinoLogger, PARAMS_PROVIDER_TOKEN, PinoLogger, type Params } from 'nestjs-pino';
import type { Options } from 'pino-http';
import type { Logger } from './logger';

/** Probes and scrapes: frequent and uneventful, logged only when they fail. */
const QUIET_PATHS = new Set(['/metrics', '/healthz', '/readyz', '/health']);

/** The pino-http options: only the logger, since requests are logged by `requestLogging` below. */
export function httpLoggingOptions(logger: Logger): Options {
  return { logger, autoLogging: false, quietReqLogger: true };
}

/**
 * One line per finished request, at the level its status deserves, or nothing. A plain `finish` listener
 * instead of pino-http's per-request child logger and serializers: those cost a tenth of the CPU of a busy
 * API even when nothing was logged.
 */
export function requestLogging(logger: Logger): (request: IncomingMessage, response: ServerResponse, next: () => void) => void {
  return (request, response, next) => {
    const started = Date.now();
    response.once('finish', () => {
      const status = response.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 ? 'info' : 'debug';
      if (!logger.isLevelEnabled(level) || (status < 400 && QUIET_PATHS.has(pathOf(request.url)))) return;
      const url = redactUrl(request.url);
      const ms = Date.now() - started;
      logger[level]({ category: 'api', req: { method: request.method, url }, res: { statusCode: status }, responseTime: ms }, `${request.method} ${url} ${status} in ${ms} ms`);
    });
    next();
  };
}

/**
 * Nest's logger on pino. Nest's own `log` calls (route mapping, module init) are start-up chatter, so they
 * go out at debug; warnings and errors keep their level.
 */
@Injectable()
export class NestPinoLogger extends NestJsPinoLogger {
  constructor(logger: PinoLogger, @Inject(PARAMS_PROVIDER_TOKEN) params: Params) {
    super(logger, params);
  }

  /** Nest `log` is lifecycle chatter: debug. */
  override log(message: unknown, ...optionalParams: unknown[]): void {
    super.debug(message, ...optionalParams);
  }
}

/** The path of a request URL, without its query. */
function pathOf(url: string | undefined): string {
  const at = (url ?? '').indexOf('?');
  return at < 0 ? url ?? '' : (url ?? '').slice(0, at);
}

/** The URL with a `token` query parameter masked (the API accepts one for EventSource clients). */
export function redactUrl(url: string | undefined): string {
  return (url ?? '').replace(/([?&]token=)[^&]*/gi, '$1[redacted]');
}
