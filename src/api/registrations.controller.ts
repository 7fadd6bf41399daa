/** /api/v1/registrations: scenarios announce their endpoint and renew it by heartbeat (SPEC 2). */
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ScenarioRegistry } from '../discovery/registry';
import { RegistrationDto } from './dto/registration.dto';

@Controller('api/v1/registrations')
export class RegistrationsController {
  constructor(private readonly registry: ScenarioRegistry) {}

  @Get()
  list() {
    return { registrations: this.registry.listRegistrations().map(toView) };
  }

  /** Registers or renews; the endpoint must be on an allowed host. */
  @Post()
  @HttpCode(200)
  register(@Body() body: RegistrationDto) {
    return { success: true, registration: toView(this.registry.register(body)) };
  }

  @Delete(':id')
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
