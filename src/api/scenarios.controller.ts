/** /api/v1/scenarios: the list, one scenario, and the activate/deactivate overrides. */
import { adminForBreakGlass, Requires } from './roles';
import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BEARER_SCHEME, JSON_CONTENT_TYPE } from './openapi';
import { ScenarioChangeDto, ScenarioDto, ScenarioListDto } from './dto/responses.dto';
import { parseTtl } from '../config/duration';
import { ControlService } from '../state/control.service';
import { Actor } from './auth';
import { ActivateDto, DeactivateDto, ListScenariosQuery } from './dto/scenario.dto';

@ApiTags('scenarios')
@ApiBearerAuth(BEARER_SCHEME)
@ApiErrors(401)
@Controller('api/v1/scenarios')
export class ScenariosController {
  constructor(private readonly control: ControlService) {}

  /** Every scenario sorted by id; `?state=&tag=&q=&offset=&limit=` filter and page. */
  @Get()
  @Requires('viewer')
  @ApiOperation({ summary: 'List scenarios', description: 'Every maintenance scenario sorted by id, with observed and desired state and why it is not converged.' })
  @ApiOkResponse({ type: ScenarioListDto })
  @ApiErrors(400)
  list(@Query() query: ListScenariosQuery) {
    return this.control.listScenarios(query);
  }

  @Get(':id')
  @Requires('viewer')
  @ApiOperation({ summary: 'Show one scenario' })
  @ApiOkResponse({ type: ScenarioDto })
  @ApiErrors(404)
  @Header('Content-Type', JSON_CONTENT_TYPE)
  get(@Param('id') id: string): string {
    return this.control.scenarioJson(id);
  }

  /** Answers once the scenario acknowledged, failed, or was blocked (bounded wait). */
  @Post(':id/activate')
  @Requires('operator', { escalate: adminForBreakGlass })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Activate a scenario',
    description: 'Sets an override (optionally with a TTL) and answers once the scenario acknowledged, failed, or was blocked. With breakGlass (admin), the override passes the gates an incident must get through.',
  })
  @ApiOkResponse({ type: ScenarioChangeDto })
  @ApiErrors(400, 403, 404, 409)
  @ApiBody({ type: ActivateDto, required: false })
  activate(@Param('id') id: string, @Body() body: ActivateDto, @Actor() actor: string) {
    // `ttl: null` passes the DTO's @IsOptional as absent does, and means the same: the default TTL.
    return this.control.setScenarioState(id, 'active', { actor, ttlMs: body.ttl === undefined || body.ttl === null ? null : parseTtl(body.ttl), reason: body.reason, breakGlass: body.breakGlass });
  }

  @Post(':id/deactivate')
  @Requires('operator')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivate a scenario', description: 'Deactivation is never blocked by a gate.' })
  @ApiOkResponse({ type: ScenarioChangeDto })
  @ApiErrors(400, 404)
  @ApiBody({ type: DeactivateDto, required: false })
  deactivate(@Param('id') id: string, @Body() body: DeactivateDto, @Actor() actor: string) {
    return this.control.setScenarioState(id, 'inactive', { actor, reason: body.reason });
  }
}
