/** GET /health: liveness with the essentials, outside /api/v1 and without a token. */
import { Requires } from './roles';
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthDto } from './dto/responses.dto';
import { ControlService } from '../state/control.service';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(private readonly control: ControlService) {}

  @Get('health')
  @Requires('public')
  @ApiOperation({ summary: 'Health with the essentials', description: 'Status, fleet size, uptime and the last reconcile pass.' })
  @ApiOkResponse({ type: HealthDto })
  health() {
    const status = this.control.status();
    return { status: 'ok', health: status.health, scenarios: status.totalScenarios, uptime: status.uptime, reconciler: status.reconciler };
  }
}
