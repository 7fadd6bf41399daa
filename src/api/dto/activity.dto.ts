/** Query shapes of the activity routes. */
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ACTIVITY_CATEGORIES, type ActivityCategory } from '../../activity/activity';

/** GET /activity. */
export class ActivityQueryDto {
  @IsOptional()
  @IsIn(ACTIVITY_CATEGORIES as unknown as string[])
  category?: ActivityCategory;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  scenario?: string;

  /** ISO time, or a duration back from now such as 1h. */
  @IsOptional()
  @IsString()
  @MaxLength(40)
  since?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

/** GET /events. */
export class EventsQueryDto {
  @IsOptional()
  @IsIn(ACTIVITY_CATEGORIES as unknown as string[])
  category?: ActivityCategory;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  scenario?: string;

  /** Only activity entries, no state-change events (the CLI's logs --follow). */
  @IsOptional()
  @Transform(({ value }) => value === true || value === 'true' || value === '1')
  @IsBoolean()
  activityOnly?: boolean;
}
