/**
 * Starts a whole orchestrator: the Nest application (whose modules start the parts in their lifecycle
 * hooks), then the HTTP server. Used by `serve`, `npm start`, the bench and, through configureApp, the tests.
 */
import 'reflect-metadata';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { setupOpenApi } from './api/openapi';
import { PrototypedExpressAdapter } from './api/express-adapter';
import { requestLogging } from './logging/http-logging';
import { NestPinoLogger } from './logging/http-logging';
import { bodyParserLimit } from './api/exception.filter';
import { bearerAuth } from './api/auth';
import { requestBodies } from './api/body-parsing';
import * as fs from 'node:fs';
import express, { type Request, type Response } from 'express';
import * as path from 'node:path';
import { packageRoot, type Config } from './config/config';
import { CONFIG, LOGGER, type EdgeOverrides } from './config/config.module';
import type { Logger } from './logging/logger';
import { orchestratorOf, type Orchestrator } from './orchestrator';

/** Edges startServer's callers may replace (the bench moves the clock); tests use overrideProvider instead. */
export type OrchestratorOverrides = EdgeOverrides;

/** A running server. */
export interface RunningServer {
  app: INestApplication;
  orchestrator: Orchestrator;
  /** Base URL such as http://127.0.0.1:3250. */
  url: string;
  close(): Promise<void>;
}

/** How the application is created, by NestFactory here and by a testing module in the tests. */
export const APP_OPTIONS = {
  // Held until the pino logger below takes over, so even start-up messages are JSON lines.
  bufferLogs: true,
  bodyParser: false,
} as const;

/** Builds the HTTP app for a configuration (not initialized, not listening yet). */
export async function createApp(config: Config, edges: EdgeOverrides = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, edges), new PrototypedExpressAdapter(), APP_OPTIONS);
  return configureApp(app);
}

/** Logging, middleware, validation and the OpenAPI document of an application built from AppModule. */
export function configureApp(app: NestExpressApplication): NestExpressApplication {
  const config = app.get<Config>(CONFIG, { strict: false });
  const logger = app.get<Logger>(LOGGER, { strict: false });
  app.useLogger(app.get(NestPinoLogger, { strict: false }));
  // API answers change with every pass; hashing each body for an ETag costs more than it ever saves.
  app.set('etag', false);
  app.disable('x-powered-by');
  // One Express layer for all four: each layer costs every request a step through the router.
  app.use(
    inSequence([
      requestLogging(logger),
      ...(config.tokens.size > 0 ? [bearerAuth(config.tokens)] : []),
      jsonBodies(),
      dashboardFiles(),
    ]),
  );
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  setupOpenApi(app);
  return app;
}

/**
 * JSON bodies, parsed only for the methods that carry one: GETs, most of the traffic, skip the parser's
 * content-type checks. `curl -X POST .../activate` with no body is how the original API was used: it is {}.
 */
function jsonBodies(): Middleware {
  const parse = requestBodies(bodyParserLimit);
  return (request, response, next) => {
    if (request.method === 'GET' || request.method === 'HEAD') return next();
    parse(request, response, (error?: unknown) => {
      if (error) return next(error);
      request.body ??= {};
      next();
    });
  };
}

/** Where `npm run build` puts the dashboard's compiled assets. */
export const DASHBOARD_DIR = path.join(packageRoot(), 'dist', 'web');

/** Paths the server itself answers; the dashboard's file lookup must never stand in front of them. */
const SERVER_PATHS = /^\/(api\/|metrics$|health$|healthz$|readyz$)/;

/** Serves the dashboard at / from the same port; a missing build says how to make it. */
function dashboardFiles(): Middleware {
  const built = fs.existsSync(path.join(DASHBOARD_DIR, 'index.html'));
  const files = express.static(DASHBOARD_DIR, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml });
  // Runs before Nest's routes, so it steps aside at once for API calls instead of stat()ing a file each time.
  return (request, response, next) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || SERVER_PATHS.test(request.path)) return next();
    if (built) return files(request, response, next);
    if (request.path !== '/') return next();
    response.status(503).type('text/plain').send('The dashboard is not built: run `npm run build` (npm start does it for you).\n');
  };
}

/** Express middleware, as these functions write it. */
type Middleware = (request: Request, response: Response, next: (error?: unknown) => void) => void;

/** Runs `handlers` one after the other as one middleware; an error (or an answer sent) ends the sequence. */
function inSequence(handlers: readonly Middleware[]): Middleware {
  return (request, response, next) => {
    let index = 0;
    const step = (error?: unknown) => {
      if (error !== undefined && error !== null) return next(error);
      const handler = handlers[index++];
      if (handler) handler(request, response, step);
      else next();
    };
    step();
  };
}

/** index.html must not be cached: it names the hashed assets of the current build. */
function noCacheForHtml(response: { setHeader(name: string, value: string): void }, file: string): void {
  if (file.endsWith('.html')) response.setHeader('cache-control', 'no-cache');
}

/** Builds the application, starts it (the modules' init and bootstrap hooks: store, scan, loop) and listens. */
export async function startServer(config: Config, overrides: OrchestratorOverrides = {}): Promise<RunningServer> {
  return listen(await createApp(config, overrides), config);
}

/** Initializes `app` (its lifecycle hooks start every part, in order) and listens; close() runs the shutdown hooks. */
export async function listen(app: NestExpressApplication, config: Config): Promise<RunningServer> {
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closed = false;
  return {
    app,
    orchestrator: orchestratorOf(app),
    url: `http://${host}:${address.port}`,
    async close() {
      if (closed) return;
      closed = true;
      // Live event streams would hold the server open; end them first.
      app.getHttpServer().closeAllConnections?.();
      // The shutdown hooks: writes refused, loop and timers stopped, activity flushed, store closed, log flushed.
      await app.close();
    },
  };
}
