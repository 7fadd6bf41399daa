/** The shapes the dashboard reads from /api/v1 (mirrors src/state/views.ts and the controllers; only what is shown). */

/** A Kubernetes-style condition of a scenario. */
export interface Condition {
  type: 'Ready' | 'Progressing' | 'Blocked' | 'Stalled';
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** One scenario as GET /scenarios returns it. */
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
  targetState: 'active' | 'inactive';
  observedState: 'active' | 'inactive' | 'unknown' | 'unreachable';
  desiredSource: string;
  reason: string | null;
  message: string | null;
  conditions: Condition[];
  activeUntil: string | null;
  lastActive: string | null;
  inFlight: 'activate' | 'deactivate' | null;
  failures: number;
  gone: boolean;
}

/** GET /scenarios. */
export interface ScenarioList {
  scenarios: Scenario[];
  total: number;
}

/** One preset of GET /presets. */
export interface Preset {
  id: string;
  name: string;
  description: string;
  isDefault: boolean;
  isActive: boolean;
  aliases?: string[];
  scenarios?: string[];
}

/** What a change would do: the body of a dry run, and of a 428. */
export interface ChangePlan {
  activate: string[];
  deactivate: string[];
  blocked: { scenario: string; reason: string; message: string }[];
  touched: string[];
}

/** POST /presets/{id}/apply. */
export interface PresetChangeResult {
  success: boolean;
  preset: string;
  activated: string[];
  deactivated: string[];
  blocked: ChangePlan['blocked'];
  failed?: { scenario: string; message: string }[];
  plan: ChangePlan;
}

/** One activity log entry. */
export interface ActivityEntry {
  id: number;
  timestamp: string;
  category: ActivityCategory;
  level: 'info' | 'warn' | 'error';
  scenario: string | null;
  preset: string | null;
  actor: string;
  message: string;
}

/** The closed set of activity categories. */
export const ACTIVITY_CATEGORIES = ['discovery', 'reconcile', 'action', 'gate', 'schedule', 'api', 'system'] as const;
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];

/** GET /status. */
export interface Status {
  health: 'healthy' | 'degraded' | string;
  maintenanceState: 'active' | 'inactive' | 'stopped';
  totalScenarios: number;
  activeScenarios: number;
  inactiveScenarios: number;
  blockedScenarios?: number;
  unreachableScenarios?: number;
  uptime: number;
  emergencyStop: { reason: string; actor: string; at: string } | null;
  appliedPresets?: string[];
  reconciler: { lastPassAt: string; lastPassMs: number; lastError: string | null } | null;
}

/** One sample of GET /history. */
export interface HistorySample {
  at: string;
  cpuLoadPercent: number;
  memoryPercent: number;
  active: number;
  desiredActive: number;
  blocked: number;
}

/** GET /history. */
export interface History {
  intervalSeconds: number;
  samples: HistorySample[];
}

/** One schedule of GET /schedules (calendar-fed windows may lack the cron fields). */
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
  description?: string;
  /** The event summary of a calendar or blackout-feed window. */
  summary?: string;
  kind: 'allow' | 'deny' | 'blackout';
  open: boolean;
  openedAt: string | null;
  closesAt: string | null;
  nextOpen: string | null;
  nextClose: string | null;
  /** The same instants as wall-clock text in the schedule's zone, e.g. `2026-11-29 02:00 CET`. */
  nextOpenLocal?: string | null;
  nextCloseLocal?: string | null;
  source: 'store' | 'calendar' | 'blackout-feed';
  readOnly: boolean;
}

/** GET /schedules, or the honest answer of a server that has no such route yet. */
export type ScheduleList = { available: true; schedules: Schedule[] } | { available: false };
