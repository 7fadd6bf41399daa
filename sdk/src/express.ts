/**
 * The state route as Express middleware, typed structurally so the SDK needs no express dependency: the
 * returned function is assignable to Express 4 and 5 `RequestHandler`. Mount it at the root (`app.use(...)`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MaintenanceSwitch } from './maintenance-switch';
import { type StateRouteOptions, pathOf, serveStateCall, statePaths } from './node-handler';

/** The request shape Express passes: a node request, perhaps with a body a body parser already read. */
export type ExpressLikeRequest = IncomingMessage & { body?: unknown };

/** An Express-compatible middleware. */
export type ExpressLikeMiddleware = (req: ExpressLikeRequest, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Middleware answering the state route and passing every other request to `next()`. */
export function expressMiddleware(maintenance: MaintenanceSwitch, options: StateRouteOptions = {}): ExpressLikeMiddleware {
  const paths = statePaths(options);
  return (req, res, next) => {
    if (!paths.has(pathOf(req.url))) return next();
    void serveStateCall(maintenance, req, res, parsedBody(req));
  };
}

/**
 * The body as text when `express.json()` (or another parser) already consumed the stream, else undefined so the
 * stream is read here. Re-serialising a parsed object loses nothing the protocol reads.
 */
function parsedBody(req: ExpressLikeRequest): string | undefined {
  if (!req.readableEnded) return undefined;
  // A stream already read with nothing parsed from it: an empty body (reading it again would wait forever).
  if (req.body === undefined) return '';
  return typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
}
