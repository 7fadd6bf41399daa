/**
 * Request logging (pino-http through nestjs-pino) and Nest's own log calls on the same logger. Requests
 * are `api` lines; successful ones only at debug, since the activity log already records every intent and
 * a scrape every 15 s or a dashboard poll is not an event. Tokens never reach a log line.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Logger as NestJsPinoLogger, PARAMS_PROVIDER_TOKEN, PinoLogger, type Params } from 'nestjs-pino';
import type { Options } from 'pino-http';
import type { Logger } from './logger';

/** Probes and scrapes: frequent and uneventful, logged only when they fail. */
const QUIET_PATHS = new Set(['/metrics', '/healthz', '/readyz', '/health']);

/** The pino-http options of the app, over the orchestrator's logger. */
export function httpLoggingOptions(logger: Logger): Options {
  return {
    logger,
    quietReqLogger: true,
    autoLogging: { ignore: (request) => QUIET_PATHS.has(pathOf(request.url)) },
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'info' : 'debug'),
    customSuccessMessage: (request, response, ms) => `${request.method} ${redactUrl(request.url)} ${response.statusCode} in ${ms} ms`,
    customErrorMessage: (request, response) => `${request.method} ${redactUrl(request.url)} failed with ${response.statusCode}`,
    customSuccessObject: (_request, _response, value: Record<string, unknown>) => ({ category: 'api', ...value }),
    customErrorObject: (_request, _response, _error, value: Record<string, unknown>) => ({ category: 'api', ...value }),
    serializers: {
      // Only what identifies the call: headers carry bearer tokens and cookies.
      req: (request: { id?: unknown; method?: string; url?: string }) => ({ id: request.id, method: request.method, url: redactUrl(request.url) }),
      res: (response: ServerResponse | { statusCode?: number }) => ({ statusCode: response.statusCode }),
    },
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
