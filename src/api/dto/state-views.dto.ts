/**
 * Response shapes of the declared-state routes (GET /desired-state, /history, /policy, POST /resume, /apply) and
 * of POST /presets/import, for the OpenAPI document and so the generated contract: the services return plain
 * objects of these shapes.
 */
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ChangePlanDto, EmergencyStopDto, FailedScenarioDto, OverrideViewDto, PresetDto } from './responses.dto';

const NULLABLE_NAME = { type: String, nullable: true } as const;

/** GET /desired-state: applied presets, per-scenario overrides and the emergency stop latch. */
@ApiExtraModels(OverrideViewDto)
export class DesiredStateViewDto {
  @ApiProperty({ type: [String] }) presets!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(OverrideViewDto) }, description: 'By scenario id.' }) overrides!: Record<string, OverrideViewDto>;
  @ApiProperty({ type: EmergencyStopDto, nullable: true }) emergencyStop!: EmergencyStopDto | null;
}

/** One sample of host load and fleet counts. */
export class HistorySampleDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() cpuLoadPercent!: number;
  @ApiProperty() memoryPercent!: number;
  @ApiPropertyOptional({ description: 'Which reading cpuLoadPercent is (see HostLoad).' }) cpuSignal?: string;
  @ApiPropertyOptional({ description: 'Which reading memoryPercent is (see HostLoad).' }) memorySignal?: string;
  @ApiProperty() active!: number;
  @ApiProperty() desiredActive!: number;
  @ApiProperty() blocked!: number;
}

/** GET /history: the last hour of samples. */
export class HistoryDto {
  @ApiProperty() intervalSeconds!: number;
  @ApiProperty({ type: [HistorySampleDto] }) samples!: HistorySampleDto[];
}

/** GET /policy: the gate policy in force and where it came from. */
export class PolicyViewDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The Policy spec (limits, conflicts, cooldown, ...).' }) policy!: Record<string, unknown>;
  @ApiProperty({ example: 'default' }) source!: string;
}

/** POST /resume. */
export class ResumeResultDto {
  @ApiProperty() success!: boolean;
  @ApiProperty({ enum: [false] }) emergencyStop!: boolean;
  @ApiProperty({ description: 'Whether an emergency stop was active.' }) wasStopped!: boolean;
}

/** One manifest's outcome in POST /apply. */
export class AppliedDocumentDto {
  @ApiProperty({ example: 'Preset', description: 'The manifest kind (Preset, Policy, MaintenanceState, Schedule, ...).' }) kind!: string;
  @ApiProperty(NULLABLE_NAME) name!: string | null;
  @ApiProperty({ example: 'created', description: 'What it did (or would do, with dryRun).' }) result!: string;
  @ApiPropertyOptional({ type: ChangePlanDto, description: 'MaintenanceState: the plan.' }) plan?: ChangePlanDto;
  @ApiPropertyOptional({ type: [FailedScenarioDto], description: 'MaintenanceState: scenarios whose call failed or did not acknowledge in time.' }) failed?: FailedScenarioDto[];
}

/** POST /apply. */
export class ApplyResultDto {
  @ApiProperty() success!: boolean;
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ type: [AppliedDocumentDto] }) documents!: AppliedDocumentDto[];
}

/** POST /presets/import. */
export class ImportResultDto {
  @ApiProperty() success!: boolean;
  @ApiProperty({ type: [PresetDto] }) imported!: PresetDto[];
}
