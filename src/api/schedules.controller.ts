/** /api/v1/schedules: maintenance windows, their next openings, and the iCalendar export. */
import { Body, Controller, Delete, Get, Header, Param, Post, Put } from '@nestjs/common';
import { ScheduleService } from '../schedules/schedule.service';
import { Actor } from './auth.guard';
import { ScheduleDto } from './dto/schedule.dto';

@Controller('api/v1')
export class SchedulesController {
  constructor(private readonly schedules: ScheduleService) {}

  @Get('schedules')
  list() {
    return { schedules: this.schedules.list() };
  }

  /** RFC 5545 feed of every stored window, for calendar applications to subscribe to. */
  @Get('schedules.ics')
  @Header('content-type', 'text/calendar; charset=utf-8')
  ics() {
    return this.schedules.ics();
  }

  @Get('schedules/:name')
  get(@Param('name') name: string) {
    return this.schedules.view(name);
  }

  @Post('schedules')
  create(@Body() body: ScheduleDto, @Actor() actor: string) {
    return this.schedules.save(withDefaults(body), actor);
  }

  @Put('schedules/:name')
  replace(@Param('name') name: string, @Body() body: ScheduleDto, @Actor() actor: string) {
    return this.schedules.save({ ...withDefaults(body), name }, actor, true);
  }

  @Delete('schedules/:name')
  delete(@Param('name') name: string, @Actor() actor: string) {
    return this.schedules.delete(name, actor);
  }
}

/** The optional fields' defaults: UTC and allow. */
export function withDefaults(body: Partial<ScheduleDto>): Record<string, unknown> {
  return { ...body, timeZone: body.timeZone ?? 'UTC', kind: body.kind ?? 'allow' };
}
