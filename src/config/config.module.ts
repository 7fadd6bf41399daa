/**
 * The configuration module (global): the validated Config, the clock, the structured logger, and the edges
 * an embedding replaced when it built the application (startServer's overrides). Its shutdown hook runs
 * last of all, so the log lines of every other module's shutdown are flushed.
 */
import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { ActivityEntry } from '../activity/activity';
import { createLogger, flushLogger, type Logger } from '../logging/logger';
import type { HostLoadProbe } from '../reconciler/host-load';
import type { ReconcilerObserver } from '../reconciler/reconciler';
import type { ScenarioClient } from '../reconciler/scenario-client';
import type { WindowSource } from '../state/declared-state';
import type { Store } from '../store/store.port';
import type { Config } from './config';

/** The validated Config. */
export const CONFIG = Symbol('CONFIG');
/** The clock every part reads (epoch ms); tests move it. */
export const CLOCK = Symbol('CLOCK');
/** The structured logger (activity entries, requests, framework messages). */
export const LOGGER = Symbol('LOGGER');
/** The edges given to AppModule.forRoot; each owning module's factory uses one when present. */
export const EDGES = Symbol('EDGES');

/** Edges an embedding may replace without @nestjs/testing (tests use overrideProvider on the tokens instead). */
export interface EdgeOverrides {
  hostProbe?: HostLoadProbe;
  client?: ScenarioClient;
  clock?: () => number;
  store?: Store;
  windows?: WindowSource;
  /** Watches the loop alongside the metrics (it does not replace them). */
  observer?: Partial<ReconcilerObserver>;
  /** Receives every activity entry as it is stored, besides the structured log. */
  log?: (entry: ActivityEntry) => void;
  /** The structured logger; by default built from LOG_LEVEL, on stdout. */
  logger?: Logger;
}

/** Provides CONFIG, CLOCK, LOGGER and EDGES to every module. */
@Global()
@Module({})
export class ConfigModule implements OnApplicationShutdown {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  /** The module for one configuration, with the edges replaced by `edges`. */
  static forRoot(config: Config, edges: EdgeOverrides = {}): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: EDGES, useValue: edges },
        { provide: CLOCK, useValue: edges.clock ?? Date.now },
        { provide: LOGGER, useFactory: () => edges.logger ?? createLogger({ level: config.logLevel }) },
      ],
      exports: [CONFIG, EDGES, CLOCK, LOGGER],
    };
  }

  /** Last: every other module has stopped and logged. */
  async onApplicationShutdown(): Promise<void> {
    await flushLogger(this.logger);
  }
}
