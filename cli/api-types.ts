/**
 * The wire shapes of the orchestrator's REST API, as the CLI reads them. Declared here rather than imported
 * from src/ because the CLI is a client of the JSON contract (SPEC 6), not of the server's internals; the
 * e2e test keeps the two honest.
 */

/** Observed state of a scenario. */
export type ObservedState = 'active' | 'inactive' | 'unknown' | 'unreachable';

/** One Kubernetes-style condition. */
export interface Condition {
  type: 'Ready' | 'Progressing' | 'Blocked' | 'Stalled';
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** A scenario as GET /scenarios returns it. */
export interface Scenario {
  id: string;
  name: string;
  displayName: string;
  description: string;
  tags: string[];
  weight: 'light' | 'heavy';
  endpoint: string | null;
  isActive: boolean;
  desiredState: 'active' | 'inactive';
  targetState?: 'active' | 'inactive';
  observedState: ObservedState;
  desiredSource?: string;
  reason: string | null;
  message: string | null;
  conditions: Condition[];
  activeUntil: string | null;
  lastActive: string | null;
  inFlight?: 'activate' | 'deactivate' | null;
  gone?: boolean;
}

/** GET /scenarios. */
export interface ScenarioList {
  scenarios: Scenario[];
  total: number;
}

/** Filters of GET /scenarios. */
export interface ScenarioQuery {
  state?: 'active' | 'inactive' | 'blocked' | 'unreachable' | 'progressing';
  tag?: string;
  q?: string;
  offset?: number;
  limit?: number;
}

/** A blocked scenario in a plan: the gate and its message. */
export interface BlockedScenario {
  scenario: string;
  reason: string;
  message: string;
}

/** What a change of declared state would do (or does). */
export interface ChangePlan {
  activate: string[];
  deactivate: string[];
  blocked: BlockedScenario[];
  touched: string[];
}

/** POST /scenarios/:id/activate|deactivate. */
export interface ScenarioChangeResult {
  success: boolean;
  scenario: string;
  newState: 'active' | 'inactive';
  reason: string | null;
  message: string | null;
  activeUntil: string | null;
  state: Scenario;
}

/** A preset as GET /presets returns it. */
export interface Preset {
  id: string;
  name: string;
  description: string;
  isDefault: boolean;
  isActive: boolean;
  aliases: string[];
  selector: { names: string[]; tags: string[]; exclude: string[] };
  scenarios: string[];
}

/** GET /presets/active. */
export interface ActivePresets {
  activePresets: Preset[];
}

/** POST /presets: the preset, and again under `preset` with the scenarios it selects as `states`. */
export interface CreatedPreset extends Preset {
  preset?: { id: string; name: string; description: string; states: Record<string, boolean> };
}

/** POST /presets/:id/apply and /remove. */
export interface PresetChangeResult {
  success: boolean;
  preset: string;
  activated: string[];
  deactivated: string[];
  blocked: BlockedScenario[];
  failed: { scenario: string; message: string }[];
  plan: ChangePlan;
}

/** Body of POST /presets. */
export interface CreatePresetInput {
  name: string;
  description?: string;
  names?: string[];
  tags?: string[];
  exclude?: string[];
  aliases?: string[];
}

/** POST /presets/import. */
export interface ImportResult {
  success: boolean;
  imported: Preset[];
}

/** One document's outcome in POST /apply. */
export interface AppliedDocument {
  kind: string;
  name: string | null;
  result: string;
  plan?: ChangePlan;
  /** MaintenanceState: scenarios whose call failed or did not acknowledge in time. */
  failed?: { scenario: string; message: string }[];
}

/** POST /apply. */
export interface ApplyResult {
  success: boolean;
  dryRun: boolean;
  documents: AppliedDocument[];
}

/** One activity log entry. */
export interface ActivityEntry {
  id: number;
  timestamp: string;
  category: string;
  level: 'info' | 'warn' | 'error';
  scenario: string | null;
  preset: string | null;
  actor: string | null;
  message: string;
  data: Record<string, unknown> | null;
  /** What happened, as one word (activate, activated, apply-preset, stop-all, blocked, or the category). */
  action?: string;
}

/** GET /activity. */
export interface ActivityPage {
  entries: ActivityEntry[];
  nextBefore: number | null;
}

/** Filters of GET /activity and GET /events. */
export interface ActivityQuery {
  category?: string;
  scenario?: string;
  since?: string;
  limit?: number;
  before?: number;
}

/** The latch set by stop-all. */
export interface EmergencyStop {
  reason: string;
  actor: string;
  at: string;
}

/** GET /status (SPEC 6 fields first, then details). */
export interface Status {
  health: string;
  maintenanceState: string;
  totalScenarios: number;
  activeScenarios: number;
  inactiveScenarios: number;
  recentActivity: ActivityEntry[];
  uptime: number;
  blockedScenarios?: number;
  unreachableScenarios?: number;
  emergencyStop?: EmergencyStop | null;
  appliedPresets?: string[];
  overrides?: Record<string, { state: string; reason: string | null; actor: string; setAt: string; expiresAt: string | null }>;
  reconciler?: { lastPassAt: string; lastPassMs: number; lastError: string | null } | null;
}

/** POST /stop-all. */
export interface StopAllResult {
  success: boolean;
  emergencyStop: boolean;
  reason: string;
  actor: string;
  deactivated: string[];
  stillActive: string[];
  /** Applied presets the stop cleared. */
  clearedPresets?: string[];
  /** Scenarios whose overrides the stop cleared. */
  clearedOverrides?: string[];
}

/** POST /resume. */
export interface ResumeResult {
  success: boolean;
  emergencyStop: boolean;
  wasStopped: boolean;
}

/** GET /policy. */
export interface PolicyView {
  policy: Record<string, unknown>;
  source: string;
}

/** GET /desired-state. */
export interface DesiredState {
  presets: string[];
  overrides: Record<string, { state: string; reason: string | null; actor: string; setAt: string; expiresAt: string | null }>;
  emergencyStop: EmergencyStop | null;
}

/** Every error body: `{statusCode, error, message, code?, ...details}`. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  /** The gate that refused (409). */
  reason?: string;
  scenario?: string;
  /** The plan awaiting confirmation (428). */
  plan?: ChangePlan;
  [key: string]: unknown;
}

/** A maintenance window with its state (GET /schedules). */
export interface Schedule {
  name: string;
  /** Absent on blackouts, which block every scenario. */
  preset?: string;
  cron?: string;
  /** A one-off window's opening, instead of cron. */
  at?: string;
  validFrom?: string;
  validUntil?: string;
  offsetDays?: number;
  duration?: string;
  timeZone?: string;
  kind: 'allow' | 'deny' | 'blackout';
  description?: string;
  summary?: string;
  source: 'store' | 'calendar' | 'blackout-feed';
  readOnly: boolean;
  open: boolean;
  openedAt: string | null;
  closesAt: string | null;
  nextOpen: string | null;
  nextClose: string | null;
  nextOpenLocal: string | null;
  nextCloseLocal: string | null;
}

/** Body of POST /schedules. */
export interface CreateScheduleInput {
  name: string;
  preset?: string;
  cron?: string;
  at?: string;
  validFrom?: string;
  validUntil?: string;
  offsetDays?: number;
  duration: string;
  timeZone?: string;
  kind?: 'allow' | 'deny' | 'blackout';
  description?: string;
}

/** A notifier as GET /api/v1/notifiers shows it (never its secret). */
export interface NotifierView {
  name: string;
  type: 'webhook' | 'slack' | 'alertmanager';
  url: string;
  events: string[];
  signed: boolean;
}
