/** Bodies of POST /schedules and PUT /schedules/{name}; the schedule module checks cron, at, dates, zone and duration. */
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';

export class ScheduleDto {
  @IsString()
  @MaxLength(63)
  @ApiProperty({ maxLength: 63, example: 'sunday-night' })
  name!: string;

  /** Required for allow and deny; refused on a blackout, which blocks every scenario. */
  @IsOptional()
  @IsString()
  @MaxLength(63)
  @ApiPropertyOptional({ maxLength: 63, example: 'off-hours', description: 'Required for allow and deny; refused on a blackout (it blocks every scenario).' })
  preset?: string;

  /** Five cron fields in the schedule's zone, e.g. `0 2 * * 0`; exactly one of cron and at. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @ApiPropertyOptional({ example: '0 2 * * 0', description: 'Five cron fields in the schedule\'s zone. Exactly one of cron and at.' })
  cron?: string;

  /** A one-off window: ISO date-time, wall clock of timeZone unless it has Z or an offset. */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @ApiPropertyOptional({ example: '2026-12-24T18:00', description: 'One-off window instead of cron: an ISO date-time, read on the wall clock of timeZone unless it ends in Z or an offset like +01:00.' })
  at?: string;

  /** First day (YYYY-MM-DD, in timeZone) a cron occurrence may start on, from 00:00. */
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'validFrom must be a date like 2026-12-24' })
  @ApiPropertyOptional({ example: '2026-01-01', format: 'date', description: 'Cron schedules only: occurrences start on or after 00:00 of this day in timeZone.' })
  validFrom?: string;

  /** Last day (YYYY-MM-DD, in timeZone) a cron occurrence may start on, up to 24:00. */
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'validUntil must be a date like 2026-12-24' })
  @ApiPropertyOptional({ example: '2026-12-31', format: 'date', description: 'Cron schedules only: the last day (inclusive, up to 24:00 in timeZone) an occurrence may start on; it then runs its full duration.' })
  validUntil?: string;

  /** Whole days added to each cron match, -27..27, keeping its wall-clock time. */
  @IsOptional()
  @IsInt()
  @Min(-27)
  @Max(27)
  @ApiPropertyOptional({ minimum: -27, maximum: 27, example: 2, description: 'Cron schedules only: whole days added to each match ("second Tuesday + 2 days"), keeping its wall-clock time in timeZone.' })
  offsetDays?: number;

  /** How long each window lasts, e.g. `2h`. */
  @IsString()
  @MaxLength(40)
  @ApiProperty({ example: '2h' })
  duration!: string;

  /** IANA zone, default UTC. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @ApiPropertyOptional({ example: 'Europe/Berlin', default: 'UTC', description: 'IANA zone.' })
  timeZone?: string;

  /** `allow` (default) adds the preset while open; `deny` blocks its activations; `blackout` blocks every activation. */
  @IsOptional()
  @IsIn(['allow', 'deny', 'blackout'])
  @ApiPropertyOptional({ enum: ['allow', 'deny', 'blackout'], default: 'allow', description: 'allow adds the preset while open; deny blocks activations of its scenarios while open; blackout blocks activations of every scenario while open (no preset).' })
  kind?: 'allow' | 'deny' | 'blackout';

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @ApiPropertyOptional({ maxLength: 500 })
  description?: string;
}

/** Body of PUT /schedules/{name}: the URL names the schedule; a `name` in the body, if any, must agree. */
export class ReplaceScheduleDto extends OmitType(ScheduleDto, ['name'] as const) {
  @IsOptional()
  @IsString()
  @MaxLength(63)
  @ApiPropertyOptional({ maxLength: 63, description: 'The name in the URL; may be left out.' })
  name?: string;
}
