/** Request shapes of the scenario routes. */
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min, Max } from 'class-validator';

/** A duration such as 90s, 2m, 1h30m, or a plain number of seconds. */
export const DURATION_PATTERN = /^\s*(\d+(\.\d+)?|((\d+(\.\d+)?)(ms|s|m|h|d))+)\s*$/i;

/** Body of POST /scenarios/{id}/activate. */
export class ActivateDto {
  /** How long the activation lasts; default from DEFAULT_TIMEOUT or the policy. */
  @IsOptional()
  @IsString()
  @Matches(DURATION_PATTERN, { message: 'ttl must be a duration such as 30m, 2h, 1h30m or a number of seconds' })
  ttl?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/** Body of POST /scenarios/{id}/deactivate. */
export class DeactivateDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

/** Query of GET /scenarios: filters and paging. */
export class ListScenariosQuery {
  @IsOptional()
  @IsIn(['active', 'inactive', 'blocked', 'unreachable', 'progressing'])
  state?: 'active' | 'inactive' | 'blocked' | 'unreachable' | 'progressing';

  @IsOptional()
  @IsString()
  @MaxLength(100)
  tag?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;
}

/** Options shared by bulk changes: confirmation and dry run. */
export class BulkOptionsDto {
  /** Required when the change touches more scenarios than bulkConfirmThreshold. */
  @IsOptional()
  @IsBoolean()
  confirm?: boolean;

  /** Only compute and return the plan. */
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}
