/** Requests and answers of explain, plan --at and the timeline (SPEC 10). Answers describe the OpenAPI document only. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ChangePlanDto } from './responses.dto';
import { HealthCheckResultDto } from './notify.dto';
import { DesiredStateDto } from './state.dto';

const NULLABLE_STRING = { type: String, nullable: true } as const;
const NULLABLE_TIME = { type: String, format: 'date-time', nullable: true } as const;
const AT_DESCRIPTION = 'ISO time, or "now", "+3h", "02:00", "tomorrow 02:00", "sat 02:00"; read in `tz` (default: the server\'s zone).';
const SOURCE_KINDS = ['preset', 'override', 'window', 'breakGlass', 'default'];

/** Query of GET /scenarios/{id}/explain. */
export class ExplainQuery {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ description: AT_DESCRIPTION, example: '2026-12-12T02:00:00Z' })
  at?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ description: 'IANA zone that `at` is read in.', example: 'Europe/Berlin' })
  tz?: string;
}

/** Query of GET /timeline. */
export class TimelineQuery {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ description: `Start (default now). ${AT_DESCRIPTION}` })
  from?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ description: `End (default from + 7 days, at most 92 days after from). ${AT_DESCRIPTION}` })
  to?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ description: 'IANA zone that `from` and `to` are read in.' })
  tz?: string;
}

/** Body of POST /plan: a declared state to plan (presets, overrides), or today's declarations at an instant (`at`). */
export class PlanRequestDto extends DesiredStateDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ description: `Plan the whole fleet at this instant under today's declarations. ${AT_DESCRIPTION}` })
  at?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  @ApiPropertyOptional({ description: 'IANA zone that `at` is read in.' })
  tz?: string;
}

/** Where a desired state comes from. */
export class ExplainSourceDto {
  @ApiProperty({ enum: SOURCE_KINDS }) kind!: string;
  @ApiProperty({ ...NULLABLE_STRING, description: 'The preset, the window\'s schedule or the override\'s reason.' }) name!: string | null;
  @ApiPropertyOptional() preset?: string;
  @ApiPropertyOptional(NULLABLE_STRING) reason?: string | null;
  @ApiPropertyOptional(NULLABLE_TIME) expiresAt?: string | null;
}

/** The desired state and its source. */
export class ExplainDesiredDto {
  @ApiProperty({ enum: ['active', 'inactive'] }) state!: string;
  @ApiProperty({ type: ExplainSourceDto }) source!: ExplainSourceDto;
}

/** One gate's verdict. */
export class GateVerdictDto {
  @ApiProperty({ example: 'WindowClosed' }) gate!: string;
  @ApiProperty({ enum: ['pass', 'block'] }) verdict!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ description: 'Whether the loop holds this scenario to the gate now (gates 2 and 5-8 hold back new activations only).' }) applied!: boolean;
}

/** What the loop observed of the scenario. */
export class ObservedViewDto {
  @ApiProperty({ enum: ['active', 'inactive', 'unknown', 'unreachable'] }) state!: string;
  @ApiProperty({ enum: ['active', 'inactive'], nullable: true }) lastAck!: string | null;
  @ApiProperty({ enum: ['activate', 'deactivate'], nullable: true }) inFlight!: string | null;
  @ApiProperty(NULLABLE_TIME) lastActivatedAt!: string | null;
  @ApiProperty() failures!: number;
  @ApiProperty(NULLABLE_TIME) retryAt!: string | null;
  @ApiProperty(NULLABLE_STRING) lastError!: string | null;
  @ApiPropertyOptional({ ...NULLABLE_TIME, description: 'When the activation lease runs out, when the scenario reports one.' }) leaseExpiresAt?: string | null;
}

/** The next instant something changes for the scenario, and why. */
export class TransitionDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'deny window business-hours closes at 18:00 Europe/Berlin' }) cause!: string;
}

/** GET /scenarios/{id}/explain. */
export class ExplanationDto {
  @ApiProperty() scenario!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timeZone!: string;
  @ApiProperty({ type: ExplainDesiredDto }) desired!: ExplainDesiredDto;
  @ApiProperty({ type: [GateVerdictDto], description: 'Every gate, in SPEC order.' }) gates!: GateVerdictDto[];
  @ApiProperty({ enum: ['active', 'inactive'] }) target!: string;
  @ApiProperty(NULLABLE_STRING) reason!: string | null;
  @ApiProperty(NULLABLE_STRING) message!: string | null;
  @ApiProperty({ type: ObservedViewDto }) observed!: ObservedViewDto;
  @ApiProperty({ type: [HealthCheckResultDto], description: 'Each health check\'s last result and when it was read.' }) healthChecks!: HealthCheckResultDto[];
  @ApiProperty({ type: TransitionDto, nullable: true }) nextTransition!: TransitionDto | null;
}

/** One scenario of the fleet as planned at an instant. */
export class PlannedScenarioDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['active', 'inactive'] }) desired!: string;
  @ApiProperty({ type: ExplainSourceDto }) source!: ExplainSourceDto;
  @ApiProperty({ enum: ['active', 'inactive'] }) target!: string;
  @ApiProperty(NULLABLE_STRING) reason!: string | null;
  @ApiProperty(NULLABLE_STRING) message!: string | null;
}

/** POST /plan: with `at`, the change from now to then and every scenario as planned then. */
export class FleetPlanDto extends ChangePlanDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'With `at` only.' }) at?: string;
  @ApiPropertyOptional({ description: 'With `at` only.' }) timeZone?: string;
  @ApiPropertyOptional({ type: [PlannedScenarioDto], description: 'With `at` only: every scenario, by id.' }) scenarios?: PlannedScenarioDto[];
}

/** One bar of the timeline. */
export class TimelineEntryDto {
  @ApiProperty({ format: 'date-time' }) start!: string;
  @ApiProperty(NULLABLE_TIME) end!: string | null;
  @ApiProperty({ enum: ['allow', 'deny', 'blackout', 'override', 'breakGlass'] }) kind!: string;
  @ApiPropertyOptional() schedule?: string;
  @ApiPropertyOptional() preset?: string;
  @ApiPropertyOptional({ enum: ['store', 'calendar', 'blackout-feed'] }) source?: string;
  @ApiPropertyOptional() timeZone?: string;
  @ApiPropertyOptional({ enum: ['active', 'inactive'] }) state?: string;
  @ApiPropertyOptional(NULLABLE_STRING) reason?: string | null;
  @ApiProperty({ type: [String], description: 'The scenarios it touches (the first 20, by id).' }) scenarios!: string[];
  @ApiProperty() scenarioCount!: number;
}

/** GET /timeline. */
export class TimelineDto {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ format: 'date-time' }) now!: string;
  @ApiProperty() timeZone!: string;
  @ApiProperty({ type: [TimelineEntryDto] }) entries!: TimelineEntryDto[];
}
