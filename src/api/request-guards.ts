/**
 * What a web page the operator happens to open must not be able to do (SPEC 8), in every mode, anonymous
 * loopback included. One middleware, before the body parser:
 * - 421 when `Host` is not loopback, the address the request came in on, the bind address, or listed in
 *   ALLOWED_HOSTNAMES: a DNS-rebinding page reaches us under its own name, and is refused here.
 * - 415 when a POST/PUT/PATCH/DELETE carries a body that is not JSON (or YAML on the routes that take it):
 *   a page can send `text/plain` cross-origin without a preflight; JSON it cannot. No body at all is fine
 *   (the original clients send none).
 * - 403 when a POST/PUT/PATCH/DELETE names an `Origin` other than our own (covers the bodiless requests).
 */
import { isIP } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config/config';
import { YAML_MEDIA_TYPES } from './body-parsing';

/** Routes documented to take a YAML body besides JSON. */
const YAML_ROUTES = [/^\/api\/v1\/presets\/import\/?$/i];
/** YAML media types the 415 rule accepts there (`text/x-yaml` stays readable by the parser, as before). */
const YAML_TYPES = new Set(YAML_MEDIA_TYPES);
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/** Answers `status` with the API's JSON error shape. */
export function refuse(response: Response, status: number, message: string, details: Record<string, unknown> = {}): void {
  if (status === 401) response.setHeader('www-authenticate', 'Bearer');
  response.status(status).json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, ...details });
}

/** The middleware, for a server bound to `config.host`. */
export function requestGuards(config: Pick<Config, 'host' | 'allowedHostnames'>): (request: Request, response: Response, next: NextFunction) => void {
  const bindHost = bare(config.host);
  const named = new Set(config.allowedHostnames.map(bare));
  return (request, response, next) => {
    const host = request.headers.host;
    if (!host || !isOurHost(host, request.socket.localAddress, bindHost, named)) {
      return refuse(response, 421, `Host "${host ?? ''}" is not this orchestrator's: use 127.0.0.1, localhost or the bind address, or add the name to ALLOWED_HOSTNAMES`);
    }
    if (!MUTATING.has(request.method)) return next();
    if (hasBody(request) && !isAcceptedType(request)) {
      return refuse(response, 415, `a ${request.method} body must be application/json${YAML_ROUTES.some((route) => route.test(request.path)) ? ' or application/yaml' : ''}`);
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) {
      return refuse(response, 403, `cross-origin ${request.method} refused: Origin ${origin} is not this orchestrator's`);
    }
    next();
  };
}

/** `Host` as a bare lower-case name or address, without port or IPv6 brackets. */
function hostname(host: string): string {
  const value = host.trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') === -1 ? undefined : value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  return colon === -1 ? value : value.slice(0, colon);
}

function bare(name: string): string {
  return name.trim().toLowerCase().replace(/^\[|\]$/g, '');
}

/**
 * True for loopback names, the bind address, the address the connection arrived on (an IP literal cannot be
 * rebound to a page's name), and ALLOWED_HOSTNAMES (`name`, any port; or `name:port`, that one).
 */
function isOurHost(host: string, localAddress: string | undefined, bindHost: string, named: ReadonlySet<string>): boolean {
  const name = hostname(host);
  if (LOOPBACK_NAMES.has(name) || name === bindHost) return true;
  if (localAddress && isIP(name) && name === bare(localAddress).replace(/^::ffff:/, '')) return true;
  return named.has(name) || named.has(host.trim().toLowerCase());
}

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

function isAcceptedType(request: Request): boolean {
  const media = (request.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase();
  if (media === 'application/json') return true;
  return YAML_TYPES.has(media) && YAML_ROUTES.some((route) => route.test(request.path));
}
