/** GET /api/v1/timers: the named timers of the server and when each fires next, so an operator sees what the loop waits for. */
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TIMERS, type Timers } from '../common/timers';
import { TimerListDto } from './dto/timers.dto';
import { ApiErrors, BEARER_SCHEME } from './openapi';

@ApiTags('state')
@ApiBearerAuth(BEARER_SCHEME)
@ApiErrors(401)
@Controller('api/v1')
export class TimersController {
  constructor(@Inject(TIMERS) private readonly timers: Timers) {}

  @Get('timers')
  @ApiOperation({ summary: 'Named timers', description: 'Every pending timer of the server (rescans, resyncs, the wake timer for TTLs and window edges, retention, sampling, calendar refresh), soonest first.' })
  @ApiOkResponse({ type: TimerListDto })
  list(): TimerListDto {
    const now = Date.now();
    return { timers: this.timers.list().map((timer) => ({ ...timer, nextAt: new Date(timer.nextAt).toISOString(), inMs: Math.max(0, timer.nextAt - now) })) };
  }
}
