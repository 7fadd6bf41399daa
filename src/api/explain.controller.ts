/** /api/v1 explain and timeline (SPEC 10); plan --at is POST /plan in the state controller. */
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ExplainService } from '../explain/explain.service';
import { ExplainQuery, ExplanationDto, TimelineDto, TimelineQuery } from './dto/explain.dto';
import { ApiErrors, BEARER_SCHEME } from './openapi';
import { Requires } from './roles';

@ApiTags('explain')
@ApiBearerAuth(BEARER_SCHEME)
@ApiErrors(401)
@Controller('api/v1')
export class ExplainController {
  constructor(private readonly explainer: ExplainService) {}

  @Get('scenarios/:id/explain')
  @Requires('viewer')
  @ApiOperation({ summary: 'Explain a scenario', description: 'Its desired state and source, every gate in order, its target, what is observed, the health checks, and the next transition with its cause; at any instant with `at`.' })
  @ApiOkResponse({ type: ExplanationDto })
  @ApiErrors(400, 404)
  explain(@Param('id') id: string, @Query() query: ExplainQuery) {
    return this.explainer.explain(id, query.at, query.tz);
  }

  @Get('timeline')
  @Requires('viewer')
  @ApiOperation({ summary: 'Windows, blackouts and override expiries ahead', description: 'Default: the next 7 days.' })
  @ApiOkResponse({ type: TimelineDto })
  @ApiErrors(400)
  timeline(@Query() query: TimelineQuery) {
    return this.explainer.timeline(query.from, query.to, query.tz);
  }
}
