/** Starts a whole orchestrator: the parts, then the HTTP server. Used by `serve`, `npm start` and the e2e tests. */
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
import { accessControl } from './api/access'; // security (SPEC 8)
import { requestBodies } from './api/body-parsing';
import * as fs from 'node:fs';
import express, { type Request, type Response } from 'express';
import * as path from 'node:path';
import { packageRoot, type Config } from './config/config';
import { createOrchestrator, type Orchestrator, type OrchestratorOverrides } from './orchestrator';
import { ManifestApplier } from './state/manifest-applier';
import { PresetService } from './state/preset.service';
import { scheduleKindHandler } from './schedules/schedule-manifest';

/** A running server. */
export interface RunningServer {
  app: INestApplication;
  orchestrator: Orchestrator;
  /** Base URL such as http://127.0.0.1:3250. */
  url: string;
  close(): Promise<void>;
}

/** Builds the HTTP app around an orchestrator (not listening yet). */
export async function createApp(orchestrator: Orchestrator): Promise<NestExpressApplication> {
  const presets = new PresetService(orchestrator.presets, orchestrator.registry, orchestrator.state, orchestrator.control, orchestrator.activity);
  const applier = new ManifestApplier(orchestrator.state, orchestrator.control, orchestrator.presets, orchestrator.policy);
  applier.register('Schedule', scheduleKindHandler(orchestrator.schedules));
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forOrchestrator(orchestrator, { presets, applier }), new PrototypedExpressAdapter(), {
    // Held until the pino logger below takes over, so even start-up messages are JSON lines.
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(NestPinoLogger));
  // API answers change with every pass; hashing each body for an ETag costs more than it ever saves.
  app.set('etag', false);
  app.disable('x-powered-by');
  // One Express layer for all of them: each layer costs every request a step through the router.
  const access = accessControl(app, orchestrator.config); // security (SPEC 8): Host/type/Origin guards; tokens and roles
  app.use(
    inSequence([
      requestLogging(orchestrator.logger),
      ...access.beforeBody, // security: before the body is read
      jsonBodies(),
      ...access.afterBody, // security: the checks that depend on the body
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

/** Composes, starts the loop, and listens. */
export async function startServer(config: Config, overrides: OrchestratorOverrides = {}): Promise<RunningServer> {
  const orchestrator = await createOrchestrator(config, overrides);
  const app = await createApp(orchestrator);
  await orchestrator.start();
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  let closed = false;
  return {
    app,
    orchestrator,
    url: `http://${host}:${address.port}`,
    async close() {
      if (closed) return;
      closed = true;
      // Live event streams would hold the server open; end them first.
      app.getHttpServer().closeAllConnections?.();
      await app.close();
      await orchestrator.stop();
    },
  };
}
