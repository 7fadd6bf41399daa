/** Starts a whole orchestrator: the parts, then the HTTP server. Used by `serve`, `npm start` and the e2e tests. */
import 'reflect-metadata';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { bodyParserLimit } from './api/exception.filter';
import type { Config } from './config/config';
import { createOrchestrator, type Orchestrator, type OrchestratorOverrides } from './orchestrator';
import { ManifestApplier } from './state/manifest-applier';
import { PresetService } from './state/preset.service';

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
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forOrchestrator(orchestrator, { presets, applier }), {
    logger: orchestrator.config.logLevel === 'debug' ? ['log', 'error', 'warn', 'debug'] : ['error', 'warn'],
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: bodyParserLimit });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  return app;
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
