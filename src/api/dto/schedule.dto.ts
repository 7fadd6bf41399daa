/** Bodies of POST /schedules and PUT /schedules/{name}; the schedule module checks cron, zone and duration. */
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';

export class ScheduleDto {
  @IsString()
  @MaxLength(63)
  @ApiProperty({ maxLength: 63, example: 'sunday-night' })
  name!: string;

  @IsString()
  @MaxLength(63)
  @ApiProperty({ maxLength: 63, example: 'off-hours' })
  preset!: string;

  /** Five cron fields in the schedule's zone, e.g. `0 2 * * 0`. */
  @IsString()
  @MaxLength(200)
  @ApiProperty({ example: '0 2 * * 0', description: 'Five cron fields in the schedule\'s zone.' })
  cron!: string;

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

  /** `allow` (default) adds the preset while open; `deny` blocks activations while open. */
  @IsOptional()
  @IsIn(['allow', 'deny'])
  @ApiPropertyOptional({ enum: ['allow', 'deny'], default: 'allow', description: 'allow adds the preset while open; deny blocks activations while open.' })
  kind?: 'allow' | 'deny';

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
