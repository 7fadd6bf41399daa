/** Query shapes of the activity routes. */
import { Transform, Type } from 'class-transformer';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ACTIVITY_CATEGORIES, type ActivityCategory } from '../../activity/activity';

/** The filter both activity routes share. */
export class ActivityFilterDto {
  @IsOptional()
  @IsIn(ACTIVITY_CATEGORIES as unknown as string[])
  @ApiPropertyOptional({ enum: ACTIVITY_CATEGORIES })
  category?: ActivityCategory;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  @ApiPropertyOptional({ description: 'Scenario id.', maxLength: 128 })
  scenario?: string;
}

/** GET /activity. */
export class ActivityQueryDto extends ActivityFilterDto {
  /** ISO time, or a duration back from now such as 1h. */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @ApiPropertyOptional({ description: 'ISO time, or a duration back from now such as 1h.', example: '1h' })
  since?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Paging: entries with an id below this.' })
  before?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1000, default: 100 })
  limit?: number;
}

/** GET /events. */
export class EventsQueryDto extends ActivityFilterDto {
  /** Only activity entries, no state-change events (the CLI's logs --follow). */
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean, description: 'Only activity entries, no state-change events.' })
  activityOnly?: boolean;

  /** EventSource cannot send headers, so the dashboard passes its token here; the guard reads it. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @ApiPropertyOptional({ description: 'API token, for clients that cannot send an Authorization header (EventSource).' })
  token?: string;
}
