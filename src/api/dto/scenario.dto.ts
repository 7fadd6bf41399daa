/** Request shapes of the scenario routes. */
import { Type } from 'class-transformer';
import { parseTtl } from '../../config/duration';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, MaxLength, Min, Max, ValidateBy, type ValidationOptions } from 'class-validator';

/** A duration such as 90s, 2m, 1h30m, or a plain number of seconds. */
export const DURATION_PATTERN = /^\s*(\d+(\.\d+)?|((\d+(\.\d+)?)(ms|s|m|h|d))+)\s*$/i;

/** True for a TTL: a duration string (`30m`, `1h30m`, `90`) or a number of seconds, at least 1 s (see parseTtl). */
export function isDurationValue(value: unknown): value is string | number {
  if (typeof value !== 'number' && typeof value !== 'string') return false;
  try {
    parseTtl(value);
    return true;
  } catch {
    return false;
  }
}

/** A TTL: a duration string or a number of seconds (the original's clients and `{"ttl":600}` send numbers). */
export function IsDuration(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isDuration', validator: { validate: isDurationValue, defaultMessage: () => '$property must be a duration such as 30m, 2h, 1h30m or a number of seconds, at least 1s (leave it out for DEFAULT_TIMEOUT)' } }, options);
}

/** OpenAPI schema of a TTL: either form. */
export const TTL_SCHEMA: SchemaObject = {
  oneOf: [
    { type: 'string', example: '2h', pattern: DURATION_PATTERN.source },
    { type: 'number', minimum: 1, example: 600, description: 'seconds' },
  ],
};

/** Body of POST /scenarios/{id}/activate. */
export class ActivateDto {
  /** How long the activation lasts, at least 1s; default from DEFAULT_TIMEOUT or the policy. */
  @IsOptional()
  @IsDuration()
  @ApiPropertyOptional({ oneOf: TTL_SCHEMA.oneOf, description: 'How long the activation lasts: a duration (30m, 2h, 1h30m) or a number of seconds, at least 1s. Default from DEFAULT_TIMEOUT or the policy.' })
  ttl?: string | number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  @ApiPropertyOptional({ maxLength: 500, description: 'Why, recorded in the activity log; required with breakGlass.' })
  reason?: string;

  /** Break-glass (SPEC 10): admin only, with a reason and a ttl of at most BREAK_GLASS_MAX_TTL. */
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({
    description:
      'Break-glass: passes WindowClosed, ResourcePressure, HealthCheck, FailureBudget and Cooldown (never EmergencyStop, Conflict or ConcurrencyLimit). Admin role; reason and ttl (at most BREAK_GLASS_MAX_TTL) required.',
  })
  breakGlass?: boolean;
}

/** Body of POST /scenarios/{id}/deactivate. */
export class DeactivateDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @ApiPropertyOptional({ maxLength: 500 })
  reason?: string;
}

/** Query of GET /scenarios: filters and paging. */
export class ListScenariosQuery {
  @IsOptional()
  @IsIn(['active', 'inactive', 'blocked', 'unreachable', 'progressing'])
  @ApiPropertyOptional({ enum: ['active', 'inactive', 'blocked', 'unreachable', 'progressing'] })
  state?: 'active' | 'inactive' | 'blocked' | 'unreachable' | 'progressing';

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ maxLength: 100 })
  tag?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ maxLength: 100, description: 'Matches id, display name or tags.' })
  q?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @ApiPropertyOptional({ type: 'integer', minimum: 0 })
  offset?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 10000 })
  limit?: number;
}

/** Options shared by bulk changes: confirmation and dry run. */
export class BulkOptionsDto {
  /** Required when the change touches more scenarios than bulkConfirmThreshold. */
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'Required when the change touches more scenarios than bulkConfirmThreshold.' })
  confirm?: boolean;

  /** Only compute and return the plan. */
  @IsOptional()
  @IsBoolean()
  @ApiPropertyOptional({ description: 'Only compute and return the plan.' })
  dryRun?: boolean;
}
