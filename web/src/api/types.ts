/**
 * The shapes the dashboard reads from /api/v1: names for the schemas of the generated contract
 * (contract/api.d.ts, from the OpenAPI document the server's DTOs describe; `npm run contract` regenerates it).
 */
import type { components } from '../../../contract/api';

type Schemas = components['schemas'];

/** A Kubernetes-style condition of a scenario. */
export type Condition = Schemas['ConditionDto'];
/** One scenario as GET /scenarios returns it. */
export type Scenario = Schemas['ScenarioDto'];
/** GET /scenarios. */
export type ScenarioList = Schemas['ScenarioListDto'];
/** One preset of GET /presets. */
export type Preset = Schemas['PresetDto'];
/** What a change would do: the body of a dry run, and of a 428. */
export type ChangePlan = Schemas['ChangePlanDto'];
/** POST /presets/{id}/apply. */
export type PresetChangeResult = Schemas['PresetChangeDto'];
/** One activity log entry. */
export type ActivityEntry = Schemas['ActivityEntryDto'];
/** The closed set of activity categories. */
export type ActivityCategory = ActivityEntry['category'];
/** GET /status. */
export type Status = Schemas['StatusDto'];
/** One schedule of GET /schedules (calendar-fed windows may lack the cron fields). */
export type Schedule = Schemas['ScheduleViewDto'];

/** The categories, as a value for the filter's options; `Exhaustive` below fails the typecheck if the contract gains one. */
export const ACTIVITY_CATEGORIES = ['discovery', 'reconcile', 'action', 'gate', 'schedule', 'api', 'system', 'notification', 'leader'] as const satisfies readonly ActivityCategory[];
type Exhaustive<Missing extends never> = Missing;
/** Compile-time proof that ACTIVITY_CATEGORIES lists every category of the contract. */
export type CategoriesListed = Exhaustive<Exclude<ActivityCategory, (typeof ACTIVITY_CATEGORIES)[number]>>;

/** GET /schedules, or the honest answer of a server that has no such route yet. */
export type ScheduleList = { available: true; schedules: Schedule[] } | { available: false };

/** One sample of GET /history. */
export type HistorySample = Schemas['HistorySampleDto'];
/** GET /history. */
export type History = Schemas['HistoryDto'];

/** GET /scenarios/{id}/explain: why a scenario is where it is, and what changes that next. */
export type Explanation = Schemas['ExplanationDto'];
/** POST /plan {at}: every scenario at an instant. */
export type FleetPlan = Schemas['FleetPlanDto'];
/** GET /timeline. */
export type Timeline = Schemas['TimelineDto'];
/** One bar of the timeline. */
export type TimelineEntry = Schemas['TimelineEntryDto'];
