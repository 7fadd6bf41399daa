/** The presets module: the catalog of shipped and stored presets, loaded before anything reads it. */
import { Module } from '@nestjs/common';
import * as path from 'node:path';
import type { Config } from '../config/config';
import { CONFIG } from '../config/config.module';
import { STORE, StoreModule } from '../store/store.module';
import type { Store } from '../store/store.port';
import { loadDefaultPresets, PresetCatalog } from './preset-catalog';

/** Provides PresetCatalog (an async factory: it is loaded when built). */
@Module({
  imports: [StoreModule],
  providers: [
    {
      provide: PresetCatalog,
      useFactory: async (config: Config, store: Store) => {
        const catalog = new PresetCatalog(loadDefaultPresets(path.join(config.manifestsDir, 'presets')), store.presets);
        await catalog.load();
        return catalog;
      },
      inject: [CONFIG, STORE],
    },
  ],
  exports: [PresetCatalog],
})
export class PresetsModule {}
