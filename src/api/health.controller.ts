/** GET /health: liveness with the essentials, outside /api/v1 and without a token. */
import { Controller, Get } from '@nestjs/common';
import { ControlService } from '../state/control.service';

@Controller()
export class HealthController {
  constructor(private readonly control: ControlService) {}

  @Get('health')
  health() {
    const status = this.control.status();
    return { status: 'ok', health: status.health, scenarios: status.totalScenarios, uptime: status.uptime, reconciler: status.reconciler };
  }
}
