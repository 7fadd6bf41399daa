/**
 * The security parts Nest has to know about (SPEC 8): the rate limiter's module, GET /whoami, the
 * anonymous-mode flag in /status and its start-up warning. The middlewares live in src/api/access.ts.
 * (ThrottlerModule is global, so `@Requires`'s guard resolves in every controller's module.)
 */
import { Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Config } from '../config/config';
import { StateModule } from '../state/state.module';
import { ControlService } from '../state/control.service';
import { CONFIG } from './tokens';
import { WhoamiController } from './whoami.controller';

/** Marks /status anonymous and warns at every start when ALLOW_ANONYMOUS let the server skip tokens. */
class AnonymousModeNotice implements OnModuleInit {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly control: ControlService,
  ) {}

  onModuleInit(): void {
    const { config, control } = this;
    control.anonymous = config.tokens.length === 0;
    if (config.tokens.length === 0 && config.allowAnonymous) {
      new Logger('Security').warn(
        `ALLOW_ANONYMOUS=true: serving ${config.host} without tokens; anyone who can reach the port can stop-all, resume, change the policy and register. Set MAINTENANCE_TOKENS.`,
      );
    }
  }
}

/** Imported by the API module; CONFIG comes from the global ConfigModule, ControlService from StateModule. */
@Module({
  imports: [
    StateModule,
    ThrottlerModule.forRootAsync({
      useFactory: (config: Config) => ({ throttlers: [{ ttl: config.rateLimit.windowMs, limit: config.rateLimit.limit }] }),
      inject: [CONFIG],
    }),
  ],
  controllers: [WhoamiController],
  providers: [AnonymousModeNotice],
})
export class SecurityModule {}
