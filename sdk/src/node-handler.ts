/**
 * The state route for a plain node:http server: `handler(req, res)` answers and returns true when the path is a
 * state route, and returns false (touching nothing) otherwise, so it slots in front of any other routing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MaintenanceSwitch, StateReply } from './maintenance-switch';
import { MAX_BODY_BYTES, STATE_PATHS } from './protocol';

/** A node:http request handler that reports whether it took the request. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Where the state route is served. */
export interface StateRouteOptions {
  /** Paths answered; default both `/api/maintenance/state` and `/api/v1/maintenance/state`. */
  paths?: readonly string[];
}

/** Builds the node:http handler for `maintenance` on the given paths. */
export function createNodeHandler(maintenance: MaintenanceSwitch, options: StateRouteOptions = {}): NodeHandler {
  const paths = statePaths(options);
  return (req, res) => {
    if (!paths.has(pathOf(req.url))) return false;
    void serveStateCall(maintenance, req, res);
    return true;
  };
}

/** The set of paths to answer, each checked to be absolute. */
export function statePaths(options: StateRouteOptions): ReadonlySet<string> {
  const paths = options.paths ?? STATE_PATHS;
  for (const path of paths) if (!path.startsWith('/')) throw new RangeError(`state path ${JSON.stringify(path)} must start with "/"`);
  return new Set(paths);
}

/** The path of a request URL, without query. */
export function pathOf(url: string | undefined): string {
  const text = url ?? '/';
  const query = text.indexOf('?');
  return query === -1 ? text : text.slice(0, query);
}

/** Reads the body (unless `body` is given), lets the switch answer, and sends the reply; never rejects. */
export async function serveStateCall(maintenance: MaintenanceSwitch, req: IncomingMessage, res: ServerResponse, body?: string | null): Promise<void> {
  try {
    const text = body !== undefined ? body : req.method?.toUpperCase() === 'POST' ? await readBody(req) : '';
    sendReply(res, await maintenance.handle({ method: req.method ?? 'GET', headers: req.headers, body: text }));
  } catch (error: unknown) {
    sendReply(res, { status: 500, body: { success: false, error: 'InternalError', message: error instanceof Error ? error.message : String(error) } });
  }
}

/** Collects a request body as UTF-8, or null when it exceeds `limit` bytes (the switch answers 413). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining rather than destroying the socket, so a keep-alive connection survives the 413.
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Sends a JSON reply with an explicit length, which keeps keep-alive connections reusable. */
export function sendReply(res: ServerResponse, reply: StateReply): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
