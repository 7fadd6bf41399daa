/**
 * The root module: configuration and timers (global), then the API, which imports every module that owns a
 * running part. Bootstrap only; the README's Architecture section gives the start and stop order.
 */
import { Module, type DynamicModule } from '@nestjs/common';
import { ApiModule } from './api/api.module';
import type { Config } from './config/config';
import { ConfigModule, type EdgeOverrides } from './config/config.module';
import { TimersModule } from './schedules/timers.module';

/** The application: AppModule.forRoot(config) is what NestFactory and the testing module build. */
@Module({})
export class AppModule {
  /** The application for one configuration; `edges` replace parts at the edge (startServer's callers). */
  static forRoot(config: Config, edges: EdgeOverrides = {}): DynamicModule {
    return { module: AppModule, imports: [ConfigModule.forRoot(config, edges), TimersModule, ApiModule] };
  }
}
