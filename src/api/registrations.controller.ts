/** /api/v1/registrations: scenarios announce their endpoint and renew it by heartbeat (SPEC 2). */
import { Requires, registrationIdInPath, registrationIdInBody } from './roles';
import { Body, Controller, Delete, Get, HttpCode, HttpException, Inject, Param, Post } from '@nestjs/common';
import { DomainError } from '../common/domain-error';
import type { Config } from '../config/config';
import { CONFIG } from './tokens';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BEARER_SCHEME } from './openapi';
import { ScenarioRegistry } from '../discovery/registry';
import { SharedRegistrations } from '../discovery/shared-registrations';
import type { RegistrationRefusal } from '../store/store.port';
import { RegistrationDto } from './dto/registration.dto';

@ApiTags('registrations')
@ApiBearerAuth(BEARER_SCHEME)
@ApiErrors(401)
@Controller('api/v1/registrations')
export class RegistrationsController {
  constructor(
    private readonly registry: ScenarioRegistry,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(SharedRegistrations) private readonly shared: SharedRegistrations | null,
  ) {}

  @Get()
  @Requires('viewer')
  @ApiOperation({ summary: 'List live registrations' })
  @ApiOkResponse({ description: '{registrations: [...]}' })
  list() {
    return { registrations: this.registry.listRegistrations().map(toView) };
  }

  /** Registers or renews; the endpoint must be on an allowed host. */
  @Post()
  @Requires('admin', { scenarioOwns: registrationIdInBody })
  @HttpCode(200)
  @ApiOperation({ summary: 'Register or renew (heartbeat)', description: 'A scenario announces its endpoint; it expires after ttlSeconds without renewal.' })
  @ApiOkResponse({ description: '{success, registration}' })
  @ApiErrors(400, 403, 409, 429)
  async register(@Body() body: RegistrationDto) {
    const id = body.id.trim();
    // HA: stored before it is acknowledged; the database counts the limit and knows every file-discovered id.
    if (this.shared) {
      const outcome = await this.shared.register(body);
      if ('refused' in outcome) this.refuse(id, outcome.refused);
      return { success: true, registration: toView(outcome.registration) };
    }
    this.admit(id);
    return { success: true, registration: toView(this.registry.register(body)) };
  }

  @Delete(':id')
  @Requires('admin', { scenarioOwns: registrationIdInPath })
  @ApiOperation({ summary: 'Unregister' })
  @ApiOkResponse({ description: '{success, id}' })
  async unregister(@Param('id') id: string) {
    return { success: this.shared ? await this.shared.unregister(id) : this.registry.unregister(id), id };
  }

  /**
   * SPEC 8: a registration cannot take over a scenario discovered from a file (409), and a new id beyond
   * MAX_REGISTRATIONS is 429 (retry later; renewing a live registration is never refused).
   */
  private admit(id: string): void {
    if (this.registry.get(id)?.sourceFile) this.refuse(id, 'FileDiscovered');
    const live = this.registry.listRegistrations();
    if (live.length >= this.config.maxRegistrations && !live.some((registration) => registration.id === id)) this.refuse(id, 'Full');
  }

  private refuse(id: string, why: RegistrationRefusal): never {
    if (why === 'FileDiscovered') throw new DomainError('Conflict', `scenario ${id} is discovered from a file; a registration cannot take it over`);
    throw new HttpException({ message: `registrations are at MAX_REGISTRATIONS (${this.config.maxRegistrations}); retry when one expires` }, 429);
  }
}

function toView(registration: ReturnType<ScenarioRegistry['register']>) {
  return { ...registration, registeredAt: iso(registration.registeredAt), renewedAt: iso(registration.renewedAt), expiresAt: iso(registration.expiresAt) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
