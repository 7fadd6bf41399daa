/** GET /api/v1/whoami: the caller's actor and role, so the dashboard can disable what the role may not do. */
import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BEARER_SCHEME } from './openapi';
import { actorOf, type WithActor } from './auth';
import { Requires } from './roles';
import { CONFIG } from './tokens';
import type { Config } from '../config/config';

@ApiTags('access')
@ApiBearerAuth(BEARER_SCHEME)
@ApiErrors(401)
@Controller('api/v1')
export class WhoamiController {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  /** Any valid token may ask, a scenario's included; without tokens everyone is `admin` (anonymous). */
  @Get('whoami')
  @Requires('authenticated')
  @ApiOperation({ summary: 'Who the caller is', description: 'The actor recorded for its changes and the role it holds; anonymous when no tokens are configured.' })
  @ApiOkResponse({ description: '{actor, role, anonymous}' })
  whoami(@Req() request: WithActor) {
    const anonymous = this.config.tokens.length === 0;
    return { actor: actorOf(request), role: anonymous ? 'admin' : request.role, anonymous };
  }
}
