/** /api/v1/scenarios: the list, one scenario, and the activate/deactivate overrides. */
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { parseDuration } from '../config/duration';
import { ControlService } from '../state/control.service';
import { Actor } from './auth.guard';
import { ActivateDto, DeactivateDto, ListScenariosQuery } from './dto/scenario.dto';

@Controller('api/v1/scenarios')
export class ScenariosController {
  constructor(private readonly control: ControlService) {}

  /** Every scenario sorted by id; `?state=&tag=&q=&offset=&limit=` filter and page. */
  @Get()
  list(@Query() query: ListScenariosQuery) {
    return this.control.listScenarios(query);
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.control.getScenario(id);
  }

  /** Answers once the scenario acknowledged, failed, or was blocked (bounded wait). */
  @Post(':id/activate')
  @HttpCode(200)
  activate(@Param('id') id: string, @Body() body: ActivateDto, @Actor() actor: string) {
    return this.control.setScenarioState(id, 'active', { actor, ttlMs: body.ttl ? parseDuration(body.ttl) : null, reason: body.reason });
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  deactivate(@Param('id') id: string, @Body() body: DeactivateDto, @Actor() actor: string) {
    return this.control.setScenarioState(id, 'inactive', { actor, reason: body.reason });
  }
}
