/** Body of POST /schedules and PUT /schedules/{name}; the schedule module checks cron, zone and duration. */
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export class ScheduleDto {
  @IsString()
  @MaxLength(63)
  name!: string;

  @IsString()
  @MaxLength(63)
  preset!: string;

  /** Five cron fields in the schedule's zone, e.g. `0 2 * * 0`. */
  @IsString()
  @MaxLength(200)
  cron!: string;

  /** How long each window lasts, e.g. `2h`. */
  @IsString()
  @MaxLength(40)
  duration!: string;

  /** IANA zone, default UTC. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  /** `allow` (default) adds the preset while open; `deny` blocks activations while open. */
  @IsOptional()
  @IsIn(['allow', 'deny'])
  kind?: 'allow' | 'deny';

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}
