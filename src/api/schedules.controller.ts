/** /api/v1/schedules: maintenance windows, their next openings, and the iCalendar export. */
import { Requires } from './roles';
import { Body, Controller, Delete, Get, Header, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiProduces, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors, BEARER_SCHEME } from './openapi';
import { ScheduleListDto, ScheduleViewDto } from './dto/responses.dto';
import { ScheduleService } from '../schedules/schedule.service';
import { Actor } from './auth';
import { ReplaceScheduleDto, ScheduleDto } from './dto/schedule.dto';
import { DomainError } from '../common/domain-error';

@ApiTags('schedules')
@ApiBearerAuth(BEARER_SCHEME)
@ApiErrors(401)
@Controller('api/v1')
export class SchedulesController {
  constructor(private readonly schedules: ScheduleService) {}

  @Get('schedules')
  @Requires('viewer')
  @ApiOperation({ summary: 'List schedules and calendar windows', description: 'Each with whether it is open and its next opening.' })
  @ApiOkResponse({ type: ScheduleListDto })
  list() {
    return { schedules: this.schedules.list() };
  }

  /** RFC 5545 feed of every stored window, for calendar applications to subscribe to. */
  @Get('schedules.ics')
  @Requires('viewer')
  @ApiOperation({ summary: 'Export the windows as iCalendar' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'An RFC 5545 feed.', schema: { type: 'string' } })
  @Header('content-type', 'text/calendar; charset=utf-8')
  ics() {
    return this.schedules.ics();
  }

  @Get('schedules/:name')
  @Requires('viewer')
  @ApiOperation({ summary: 'Show one schedule' })
  @ApiOkResponse({ type: ScheduleViewDto })
  @ApiErrors(404)
  get(@Param('name') name: string) {
    return this.schedules.view(name);
  }

  @Post('schedules')
  @Requires('operator')
  @ApiOperation({ summary: 'Create a schedule', description: 'Invalid cron or zone is refused.' })
  @ApiCreatedResponse({ type: ScheduleViewDto })
  @ApiErrors(400, 409)
  create(@Body() body: ScheduleDto, @Actor() actor: string) {
    return this.schedules.save(withDefaults(body), actor);
  }

  @Put('schedules/:name')
  @Requires('operator')
  @ApiOperation({ summary: 'Create or replace a schedule' })
  @ApiOkResponse({ type: ScheduleViewDto })
  @ApiErrors(400)
  replace(@Param('name') name: string, @Body() body: ReplaceScheduleDto, @Actor() actor: string) {
    if (body.name !== undefined && body.name !== name) throw new DomainError('Invalid', `the body names schedule "${body.name}" but the URL "${name}"`);
    return this.schedules.save({ ...withDefaults(body), name }, actor, true);
  }

  @Delete('schedules/:name')
  @Requires('operator')
  @ApiOperation({ summary: 'Delete a schedule' })
  @ApiOkResponse({ description: '{success, name}' })
  @ApiErrors(404)
  delete(@Param('name') name: string, @Actor() actor: string) {
    return this.schedules.delete(name, actor);
  }
}

/** The optional fields' defaults: UTC and allow. */
export function withDefaults(body: Partial<ScheduleDto> | ReplaceScheduleDto): Record<string, unknown> {
  return { ...body, timeZone: body.timeZone ?? 'UTC', kind: body.kind ?? 'allow' };
}
