/**
 * The wire shapes of the orchestrator's REST API, as the CLI reads them: names for the schemas of the
 * generated contract (contract/api.d.ts, from the OpenAPI document the server's DTOs describe; `npm run
 * contract` regenerates it). The CLI is a client of that JSON contract (SPEC 6), not of the server's internals.
 */
import type { components, operations } from '../contract/api';

type Schemas = components['schemas'];

/** Observed state of a scenario. */
export type ObservedState = Schemas['ScenarioDto']['observedState'];
/** One Kubernetes-style condition. */
export type Condition = Schemas['ConditionDto'];
/** A scenario as GET /scenarios returns it. */
export type Scenario = Schemas['ScenarioDto'];
/** GET /scenarios. */
export type ScenarioList = Schemas['ScenarioListDto'];
/** Filters of GET /scenarios. */
export type ScenarioQuery = NonNullable<operations['Scenarios_list']['parameters']['query']>;
/** A blocked scenario in a plan: the gate and its message. */
export type BlockedScenario = Schemas['BlockedScenarioDto'];
/** What a change of declared state would do (or does). */
export type ChangePlan = Schemas['ChangePlanDto'];
/** POST /scenarios/:id/activate|deactivate. */
export type ScenarioChangeResult = Schemas['ScenarioChangeDto'];
/** A preset as GET /presets returns it. */
export type Preset = Schemas['PresetDto'];
/** GET /presets/active. */
export type ActivePresets = Schemas['ActivePresetsDto'];
/** POST /presets: the preset, and again under `preset` with the scenarios it selects as `states`. */
export type CreatedPreset = Schemas['CreatedPresetDto'];
/** POST /presets/:id/apply and /remove. */
export type PresetChangeResult = Schemas['PresetChangeDto'];
/** Body of POST /presets. */
export type CreatePresetInput = Schemas['CreatePresetDto'];
/** One activity log entry. */
export type ActivityEntry = Schemas['ActivityEntryDto'];
/** GET /activity. */
export type ActivityPage = Schemas['ActivityPageDto'];
/** Filters of GET /activity and GET /events; the category is the user's text, which the server checks (400 if unknown). */
export type ActivityQuery = Omit<NonNullable<operations['Activity_list']['parameters']['query']>, 'category'> & { category?: string };
/** The latch set by stop-all. */
export type EmergencyStop = Schemas['EmergencyStopDto'];
/** GET /status (SPEC 6 fields first, then details). */
export type Status = Schemas['StatusDto'];
/** POST /stop-all. */
export type StopAllResult = Schemas['StopAllResultDto'];
/** A maintenance window with its state (GET /schedules). */
export type Schedule = Schemas['ScheduleViewDto'];
/** Body of POST /schedules. */
export type CreateScheduleInput = Schemas['ScheduleDto'];

/** POST /resume. */
export type ResumeResult = Schemas['ResumeResultDto'];
/** GET /policy. */
export type PolicyView = Schemas['PolicyViewDto'];
/** GET /desired-state. */
export type DesiredState = Schemas['DesiredStateViewDto'];
/** Every error body: `{statusCode, error, message, code?}`, with the details some errors add. */
export type ApiErrorBody = Schemas['ErrorResponseDto'] & {
  /** The gate that refused (409). */
  reason?: string;
  scenario?: string;
  /** The plan awaiting confirmation (428). */
  plan?: ChangePlan;
  [key: string]: unknown;
};

/** POST /presets/import. */
export type ImportResult = Schemas['ImportResultDto'];
/** One document's outcome in POST /apply. */
export type AppliedDocument = Schemas['AppliedDocumentDto'];
/** POST /apply. */
export type ApplyResult = Schemas['ApplyResultDto'];
/** A notifier as GET /notifiers shows it (never its secret). */
export type NotifierView = Schemas['NotifierViewDto'];
/** POST /notifiers/{name}/test: how the one test delivery ended. */
export type NotifierTestResult = Schemas['NotifierTestResultDto'];

/** GET /scenarios/{id}/explain: desired state and source, every gate, target, observed, health checks, next transition. */
export type Explanation = Schemas['ExplanationDto'];
/** POST /plan {at}: the change from now and every scenario at that instant. */
export type FleetPlan = Schemas['FleetPlanDto'];
/** GET /timeline. */
export type Timeline = Schemas['TimelineDto'];
