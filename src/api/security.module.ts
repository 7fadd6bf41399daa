/**
 * The security parts Nest has to know about (SPEC 8): the rate limiter's module, GET /whoami, the
 * anonymous-mode flag in /status and its start-up warning. The middlewares live in src/api/access.ts.
 * (ThrottlerModule is global, so `@Requires`'s guard resolves in every controller's module.)
 */
import { DynamicModule, Inject, Logger, Module, type OnModuleInit } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import type { Config } from '../config/config';
import type { ControlService } from '../state/control.service';
import { CONFIG } from './tokens';
import { WhoamiController } from './whoami.controller';

const SECURITY_SETTINGS = Symbol('SECURITY_SETTINGS');

/** Marks /status anonymous and warns at every start when ALLOW_ANONYMOUS let the server skip tokens. */
class AnonymousModeNotice implements OnModuleInit {
  constructor(@Inject(SECURITY_SETTINGS) private readonly settings: { config: Config; control: ControlService }) {}

  onModuleInit(): void {
    const { config, control } = this.settings;
    control.anonymous = config.tokens.length === 0;
    if (config.tokens.length === 0 && config.allowAnonymous) {
      new Logger('Security').warn(
        `ALLOW_ANONYMOUS=true: serving ${config.host} without tokens; anyone who can reach the port can stop-all, resume, change the policy and register. Set MAINTENANCE_TOKENS.`,
      );
    }
  }
}

@Module({})
export class SecurityModule {
  /** The module for one orchestrator's settings and control service. */
  static forOrchestrator(orchestrator: { config: Config; control: ControlService }): DynamicModule {
    const { limit, windowMs } = orchestrator.config.rateLimit;
    return {
      module: SecurityModule,
      imports: [ThrottlerModule.forRoot({ throttlers: [{ ttl: windowMs, limit }] })],
      controllers: [WhoamiController],
      providers: [{ provide: CONFIG, useValue: orchestrator.config }, { provide: SECURITY_SETTINGS, useValue: { config: orchestrator.config, control: orchestrator.control } }, AnonymousModeNotice],
    };
  }
}
