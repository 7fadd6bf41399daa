/**
 * Response shapes, for the OpenAPI document only: the services return plain objects of these shapes (SPEC 6),
 * and these classes describe them. Nothing validates responses against them at run time.
 */
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ACTIVITY_CATEGORIES } from '../../activity/activity';

const NULLABLE_STRING = { type: String, nullable: true } as const;
const NULLABLE_TIME = { type: String, format: 'date-time', nullable: true } as const;

/** The error body of every failure. */
export class ErrorResponseDto {
  @ApiProperty({ example: 404 }) statusCode!: number;
  @ApiProperty({ example: 'Not Found' }) error!: string;
  @ApiProperty({ example: 'scenario "nope" is not a discovered maintenance scenario' }) message!: string;
  @ApiPropertyOptional({ description: 'Machine-readable code (NotFound, Invalid, Refused, ConfirmationRequired, ...).' }) code?: string;
}

/** A Kubernetes-style condition of a scenario. */
export class ConditionDto {
  @ApiProperty({ enum: ['Ready', 'Progressing', 'Blocked', 'Stalled'] }) type!: string;
  @ApiProperty({ enum: ['True', 'False'] }) status!: string;
  @ApiProperty({ description: 'Converged, Idle, a gate name, or NoEndpoint, Unreachable, ActionFailed, ...' }) reason!: string;
  @ApiProperty() message!: string;
}

/** One scenario (SPEC 6). */
export class ScenarioDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ enum: ['light', 'heavy'] }) weight!: string;
  @ApiProperty(NULLABLE_STRING) endpoint!: string | null;
  @ApiProperty({ ...NULLABLE_STRING, enum: ['registration', 'maintenance.endpoint', 'port', 'resolver'] }) endpointSource!: string | null;
  @ApiProperty() canDeactivate!: boolean;
  @ApiProperty({ type: [String] }) conflictsWith!: string[];
  @ApiProperty({ description: 'Observed: what the scenario reports, or last acknowledged.' }) isActive!: boolean;
  @ApiProperty({ enum: ['active', 'inactive'] }) desiredState!: string;
  @ApiProperty({ enum: ['active', 'inactive'], description: 'What the loop drives it to after gates.' }) targetState!: string;
  @ApiProperty({ enum: ['active', 'inactive', 'unknown', 'unreachable'] }) observedState!: string;
  @ApiProperty({ description: 'Where the desired state comes from (default, override, preset, window).' }) desiredSource!: string;
  @ApiProperty({ ...NULLABLE_STRING, description: 'Why it is not converged or is blocked; null when converged.' }) reason!: string | null;
  @ApiProperty(NULLABLE_STRING) message!: string | null;
  @ApiProperty({ type: [ConditionDto] }) conditions!: ConditionDto[];
  @ApiProperty({ ...NULLABLE_TIME, description: 'When an override with a TTL lapses.' }) activeUntil!: string | null;
  @ApiProperty(NULLABLE_TIME) lastActive!: string | null;
  @ApiProperty({ ...NULLABLE_TIME, description: 'When its activation lease runs out, as the scenario last reported it (SPEC 12); null without a lease.' }) leaseExpiresAt!: string | null;
  @ApiProperty({ ...NULLABLE_STRING, enum: ['activate', 'deactivate'] }) inFlight!: string | null;
  @ApiProperty() failures!: number;
  @ApiProperty() gone!: boolean;
}

/** GET /scenarios. */
export class ScenarioListDto {
  @ApiProperty({ type: [ScenarioDto] }) scenarios!: ScenarioDto[];
  @ApiProperty({ description: 'Matches before paging.' }) total!: number;
}

/** POST /scenarios/{id}/activate and /deactivate (SPEC 6 shape plus details). */
export class ScenarioChangeDto {
  @ApiProperty() success!: boolean;
  @ApiProperty() scenario!: string;
  @ApiProperty({ enum: ['active', 'inactive'] }) newState!: string;
  @ApiProperty(NULLABLE_STRING) reason!: string | null;
  @ApiProperty(NULLABLE_STRING) message!: string | null;
  @ApiProperty(NULLABLE_TIME) activeUntil!: string | null;
  @ApiProperty({ type: ScenarioDto }) state!: ScenarioDto;
}

/** A preset's selector: names or tags pick scenarios, exclude takes some away. */
export class PresetSelectorViewDto {
  @ApiProperty({ type: [String] }) names!: string[];
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty({ type: [String] }) exclude!: string[];
}

/** One preset. */
export class PresetDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty() isDefault!: boolean;
  @ApiProperty({ description: 'In the applied set now.' }) isActive!: boolean;
  @ApiProperty({ type: [String] }) aliases!: string[];
  @ApiProperty({ type: PresetSelectorViewDto }) selector!: PresetSelectorViewDto;
  @ApiProperty({ type: [String], description: 'Ids it selects among the scenarios discovered now.' }) scenarios!: string[];
}

/** GET /presets. */
export class PresetListDto {
  @ApiProperty({ type: [PresetDto] }) presets!: PresetDto[];
}

/** GET /presets/active. */
export class ActivePresetsDto {
  @ApiProperty({ type: [PresetDto], description: 'The presets in the applied set.' }) activePresets!: PresetDto[];
}

/** The created preset as the original's Go CLI reads it. */
export class CreatedPresetSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'boolean' }, description: 'The scenarios it selects now, each true.' }) states!: Record<string, boolean>;
}

/** POST /presets: the preset, and again under `preset`. */
export class CreatedPresetDto extends PresetDto {
  @ApiProperty({ type: CreatedPresetSummaryDto }) preset!: CreatedPresetSummaryDto;
}

/** A scenario a gate holds back. */
export class BlockedScenarioDto {
  @ApiProperty() scenario!: string;
  @ApiProperty({ description: 'The gate.' }) reason!: string;
  @ApiProperty() message!: string;
}

/** A scenario whose action failed. */
export class FailedScenarioDto {
  @ApiProperty() scenario!: string;
  @ApiProperty() message!: string;
}

/** What a change of declared state does. */
export class ChangePlanDto {
  @ApiProperty({ type: [String] }) activate!: string[];
  @ApiProperty({ type: [String] }) deactivate!: string[];
  @ApiProperty({ type: [BlockedScenarioDto] }) blocked!: BlockedScenarioDto[];
  @ApiProperty({ type: [String], description: 'Scenarios whose declared state the change alters.' }) touched!: string[];
}

/** POST /presets/{id}/apply and /remove (SPEC 6 shape plus details). */
export class PresetChangeDto {
  @ApiProperty() success!: boolean;
  @ApiProperty() preset!: string;
  @ApiProperty({ type: [String] }) activated!: string[];
  @ApiProperty({ type: [String] }) deactivated!: string[];
  @ApiProperty({ type: [BlockedScenarioDto] }) blocked!: BlockedScenarioDto[];
  @ApiProperty({ type: [FailedScenarioDto] }) failed!: FailedScenarioDto[];
  @ApiProperty({ type: ChangePlanDto }) plan!: ChangePlanDto;
  @ApiPropertyOptional({ description: 'On a follower replica (HA): the change is stored and the leader carries it out, so nothing is reported as done here.' }) message?: string;
}

/** One activity log entry. */
export class ActivityEntryDto {
  @ApiProperty() id!: number;
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty({ enum: ACTIVITY_CATEGORIES }) category!: string;
  @ApiProperty({ enum: ['info', 'warn', 'error'] }) level!: string;
  @ApiProperty({ example: 'activated', description: 'What happened, as one word: activate, deactivate, activated, deactivated, activate-failed, apply-preset, stop-all, resume, blocked, or the category.' }) action!: string;
  @ApiProperty() message!: string;
  @ApiProperty(NULLABLE_STRING) scenario!: string | null;
  @ApiProperty(NULLABLE_STRING) preset!: string | null;
  @ApiProperty(NULLABLE_STRING) actor!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) data!: Record<string, unknown> | null;
}

/** GET /activity. */
export class ActivityPageDto {
  @ApiProperty({ type: [ActivityEntryDto] }) entries!: ActivityEntryDto[];
  @ApiProperty({ type: Number, nullable: true, description: 'Pass as `before` for the next page.' }) nextBefore!: number | null;
}

/** The latch set by stop-all. */
export class EmergencyStopDto {
  @ApiProperty() reason!: string;
  @ApiProperty() actor!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

/** One declared per-scenario override. */
export class OverrideViewDto {
  @ApiProperty({ enum: ['active', 'inactive'] }) state!: string;
  @ApiProperty(NULLABLE_STRING) reason!: string | null;
  @ApiProperty() actor!: string;
  @ApiProperty({ format: 'date-time' }) setAt!: string;
  @ApiProperty(NULLABLE_TIME) expiresAt!: string | null;
  @ApiPropertyOptional({ description: 'True for a break-glass activation (SPEC 10).' }) breakGlass?: boolean;
}

/** A break-glass activation in force (SPEC 10): who broke the glass, why, and until when. */
export class BreakGlassDto {
  @ApiProperty() scenario!: string;
  @ApiProperty() actor!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) setAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

/** The reconciler's last pass. */
export class ReconcilerPassDto {
  @ApiProperty({ format: 'date-time' }) lastPassAt!: string;
  @ApiProperty() lastPassMs!: number;
  @ApiProperty(NULLABLE_STRING) lastError!: string | null;
}

/** The replica that leads (SPEC 9). */
export class LeaderDto {
  @ApiProperty({ description: 'REPLICA_ID of the leader.' }) id!: string;
  @ApiProperty({ description: 'Grows at every acquisition of the lease; every scenario call carries it (X-Maintenance-Epoch).' }) epoch!: number;
  @ApiProperty({ ...NULLABLE_TIME, description: "When it acquired the lease (the database's clock)." }) since!: string | null;
}

/** GET /status (SPEC 6). */
@ApiExtraModels(OverrideViewDto)
export class StatusDto {
  @ApiProperty({ enum: ['leader', 'follower'], description: 'This replica: only the leader calls scenarios. A single SQLite orchestrator always leads.' }) role!: string;
  @ApiProperty({ type: LeaderDto, nullable: true, description: 'The leader as this replica knows it; null while none holds the lease.' }) leader!: LeaderDto | null;
  @ApiProperty({ enum: ['healthy', 'degraded'] }) health!: string;
  @ApiProperty({ enum: ['active', 'inactive', 'stopped'] }) maintenanceState!: string;
  @ApiProperty() totalScenarios!: number;
  @ApiProperty() activeScenarios!: number;
  @ApiProperty() inactiveScenarios!: number;
  @ApiProperty() blockedScenarios!: number;
  @ApiProperty() unreachableScenarios!: number;
  @ApiProperty({ type: [ActivityEntryDto] }) recentActivity!: ActivityEntryDto[];
  @ApiProperty({ description: 'Seconds since start.' }) uptime!: number;
  @ApiProperty({ type: EmergencyStopDto, nullable: true, description: 'The stop-all latch, or null.' }) emergencyStop!: EmergencyStopDto | null;
  @ApiProperty({ type: [String] }) appliedPresets!: string[];
  @ApiProperty({ type: 'object', additionalProperties: { $ref: getSchemaPath(OverrideViewDto) }, description: 'Per-scenario overrides, by scenario id.' }) overrides!: Record<string, OverrideViewDto>;
  @ApiProperty({ type: ReconcilerPassDto, nullable: true, description: 'The last reconcile pass, or null before the first.' }) reconciler!: ReconcilerPassDto | null;
  @ApiProperty({ type: [BreakGlassDto], description: 'Break-glass activations in force, soonest to expire first; empty when none.' }) breakGlass!: BreakGlassDto[];
  @ApiPropertyOptional({ description: 'True when the server accepts requests without a token (no MAINTENANCE_TOKENS): the dashboard warns.' }) anonymous?: boolean;
}

/** GET /health. */
export class HealthDto {
  @ApiProperty({ example: 'ok' }) status!: string;
  @ApiProperty({ enum: ['healthy', 'degraded'] }) health!: string;
  @ApiProperty() scenarios!: number;
  @ApiProperty() uptime!: number;
  @ApiProperty({ type: ReconcilerPassDto, nullable: true }) reconciler!: ReconcilerPassDto | null;
}

/** A schedule or calendar window with its state. */
export class ScheduleViewDto {
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ description: 'Absent on blackouts: they block every scenario.' }) preset?: string;
  @ApiProperty({ enum: ['allow', 'deny', 'blackout'] }) kind!: string;
  @ApiProperty({ enum: ['store', 'calendar', 'blackout-feed'] }) source!: string;
  @ApiProperty() readOnly!: boolean;
  @ApiPropertyOptional({ description: 'Recurring windows; exactly one of cron and at.' }) cron?: string;
  @ApiPropertyOptional({ example: '2026-12-24T18:00', description: 'One-off windows: when it opens (wall clock of timeZone unless it has Z or an offset).' }) at?: string;
  @ApiPropertyOptional({ format: 'date', example: '2026-01-01' }) validFrom?: string;
  @ApiPropertyOptional({ format: 'date', example: '2026-12-31' }) validUntil?: string;
  @ApiPropertyOptional({ minimum: -27, maximum: 27 }) offsetDays?: number;
  @ApiPropertyOptional() description?: string;
  @ApiPropertyOptional({ description: 'The event summary of a calendar or blackout-feed window.' }) summary?: string;
  @ApiPropertyOptional() duration?: string;
  @ApiPropertyOptional() timeZone?: string;
  @ApiProperty() open!: boolean;
  @ApiProperty(NULLABLE_TIME) openedAt!: string | null;
  @ApiProperty(NULLABLE_TIME) closesAt!: string | null;
  @ApiProperty(NULLABLE_TIME) nextOpen!: string | null;
  @ApiProperty(NULLABLE_TIME) nextClose!: string | null;
  @ApiProperty({ ...NULLABLE_STRING, example: '2026-11-29 02:00 CET' }) nextOpenLocal!: string | null;
  @ApiProperty(NULLABLE_STRING) nextCloseLocal!: string | null;
}

/** GET /schedules. */
export class ScheduleListDto {
  @ApiProperty({ type: [ScheduleViewDto] }) schedules!: ScheduleViewDto[];
}

/** POST /stop-all. */
export class StopAllResultDto {
  @ApiProperty() success!: boolean;
  @ApiProperty() emergencyStop!: boolean;
  @ApiProperty() reason!: string;
  @ApiProperty() actor!: string;
  @ApiProperty({ type: [String] }) deactivated!: string[];
  @ApiProperty({ type: [String] }) stillActive!: string[];
  @ApiProperty({ type: [String], description: 'Applied presets the stop cleared (not restored by resume).' }) clearedPresets!: string[];
  @ApiProperty({ type: [String], description: 'Scenarios whose overrides the stop cleared (not restored by resume).' }) clearedOverrides!: string[];
}
