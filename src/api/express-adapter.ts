/**
 * Nest's Express adapter with one change: the HTTP server builds each request and response on Express's
 * own prototypes from the start.
 *
 * Express gives every request its prototypes with `Object.setPrototypeOf(req, app.request)` (and the same
 * for the response). In V8 that per-object prototype change keeps request garbage alive past young
 * collections: under a 50-connection load a bare Express route promoted ~30 % of what it allocated, and the
 * full collections that follow have to walk the orchestrator's whole live set (10,000 scenarios). Built on
 * the right prototype, Express's own `setPrototypeOf` finds nothing to change: nothing is promoted and the
 * same route answers about twice as fast (bench/FINDINGS.md, session 4).
 */
import { Logger, type INestApplication, type NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import * as http from 'node:http';

/** The two prototypes an Express app hands to `setPrototypeOf` (`app.request`, `app.response`). */
interface ExpressPrototypes {
  request: object;
  response: object;
}

/** Node's request and response classes, which this server calls as plain functions. */
export interface NodeMessageClasses {
  IncomingMessage: Function;
  ServerResponse: Function;
}

const NODE_MESSAGE_CLASSES: NodeMessageClasses = { IncomingMessage: http.IncomingMessage, ServerResponse: http.ServerResponse };

/** What the launch log says of each server the adapter can set up. */
export const HTTP_SERVER_KINDS = {
  prototyped: "Express on requests built on its own prototypes (Node's request classes called as functions)",
  notCallable: "plain Express (fallback: Node's request classes cannot be called as functions on this Node)",
  nestOwn: "plain Express (Nest's own server, for HTTPS or connection tracking)",
} as const;

/** An ExpressAdapter whose plain-HTTP server creates requests and responses on the app's prototypes. */
export class PrototypedExpressAdapter extends ExpressAdapter {
  private kind: string | null = null;

  /** `classes`: Node's own, unless a test stands in a Node whose classes cannot be called. */
  constructor(private readonly classes: NodeMessageClasses = NODE_MESSAGE_CLASSES) {
    super();
  }

  /** Which server the adapter set up (one of HTTP_SERVER_KINDS), or null before Nest asked for one. */
  get httpServerKind(): string | null {
    return this.kind;
  }

  override initHttpServer(options: NestApplicationOptions): void {
    const serverOptions = expressServerOptions(this.getInstance<ExpressPrototypes>(), this.classes);
    if (!serverOptions) new Logger(PrototypedExpressAdapter.name).warn("Node's HTTP classes cannot be called as functions here: Express swaps request prototypes per request again (about half the API throughput)");
    // HTTPS and connection tracking stay with Nest's own server set-up; the orchestrator uses neither.
    if (!serverOptions || options?.httpsOptions || options?.forceCloseConnections) {
      this.kind = serverOptions ? HTTP_SERVER_KINDS.nestOwn : HTTP_SERVER_KINDS.notCallable;
      return super.initHttpServer(options);
    }
    this.kind = HTTP_SERVER_KINDS.prototyped;
    this.httpServer = http.createServer(serverOptions, this.getInstance<http.RequestListener>());
  }
}

/** The HTTP server an application runs on, in words for the launch log. */
export function describeHttpServer(app: INestApplication): string {
  const adapter = app.getHttpAdapter();
  if (adapter instanceof PrototypedExpressAdapter) return adapter.httpServerKind ?? 'not set up yet';
  return `${adapter.constructor.name} (Nest's own)`;
}

/**
 * Server options whose request and response classes construct their objects on `app`'s prototypes, or
 * null where Node's classes cannot be called as plain functions (they are functions in Node 20-24).
 */
export function expressServerOptions(app: ExpressPrototypes, classes: NodeMessageClasses = NODE_MESSAGE_CLASSES): http.ServerOptions | null {
  if (isClass(classes.IncomingMessage) || isClass(classes.ServerResponse)) return null;
  return {
    IncomingMessage: constructingOn(classes.IncomingMessage, app.request) as typeof http.IncomingMessage,
    ServerResponse: constructingOn(classes.ServerResponse, app.response) as typeof http.ServerResponse,
  };
}

/**
 * A constructor that runs `base` on a new object whose prototype is `prototype`. A plain call: built with
 * `Reflect.construct(base, args, newTarget)` instead, the route allocated 36 KB per request and answered
 * at a fifth to a quarter of this one's rate (a one-off script, bench/FINDINGS.md).
 */
function constructingOn(base: Function, prototype: object): Function {
  // Both of Node's constructors take at most two arguments: (socket) and (request, options).
  function Constructed(this: object, first: unknown, second: unknown): void {
    base.call(this, first, second);
  }
  Constructed.prototype = prototype;
  return Constructed;
}

function isClass(constructor: Function): boolean {
  return Function.prototype.toString.call(constructor).startsWith('class');
}
