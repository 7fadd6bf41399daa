/** The store module: opens the store before any other module's factory reads it, and closes it last but one. */
import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Config } from '../config/config';
import { CONFIG, EDGES, type EdgeOverrides } from '../config/config.module';
import { openSqliteStore } from './open-store';
import type { Store } from './store.port';

/** The Store port: the SQLite adapter under DATA_DIR unless an edge replaced it. */
export const STORE = Symbol('STORE');

/** Provides STORE (an async factory: modules that read it are built after it opened). */
@Module({
  providers: [{ provide: STORE, useFactory: async (config: Config, edges: EdgeOverrides): Promise<Store> => edges.store ?? openSqliteStore(config.dataDir), inject: [CONFIG, EDGES] }],
  exports: [STORE],
})
export class StoreModule implements OnApplicationShutdown {
  constructor(@Inject(STORE) private readonly store: Store) {}

  /** After the activity log flushed its last entries (ActivityModule sits above this one, so it stops first). */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
