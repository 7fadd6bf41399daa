/** /api/v1/registrations: scenarios announce their endpoint and renew it by heartbeat (SPEC 2). */
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BEARER_SCHEME } from './openapi';
import { ScenarioRegistry } from '../discovery/registry';
import { RegistrationDto } from './dto/registration.dto';

@ApiTags('registrations')
@ApiBearerAuth(BEARER_SCHEME)
@ApiErrors(401)
@Controller('api/v1/registrations')
export class RegistrationsController {
  constructor(private readonly registry: ScenarioRegistry) {}

  @Get()
  @ApiOperation({ summary: 'List live registrations' })
  @ApiOkResponse({ description: '{registrations: [...]}' })
  list() {
    return { registrations: this.registry.listRegistrations().map(toView) };
  }

  /** Registers or renews; the endpoint must be on an allowed host. */
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Register or renew (heartbeat)', description: 'A scenario announces its endpoint; it expires after ttlSeconds without renewal.' })
  @ApiOkResponse({ description: '{success, registration}' })
  @ApiErrors(400)
  register(@Body() body: RegistrationDto) {
    return { success: true, registration: toView(this.registry.register(body)) };
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Unregister' })
  @ApiOkResponse({ description: '{success, id}' })
  unregister(@Param('id') id: string) {
    return { success: this.registry.unregister(id), id };
  }
}

function toView(registration: ReturnType<ScenarioRegistry['register']>) {
  return { ...registration, registeredAt: iso(registration.registeredAt), renewedAt: iso(registration.renewedAt), expiresAt: iso(registration.expiresAt) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
