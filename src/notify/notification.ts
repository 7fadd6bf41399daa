/**
 * Notification events (SPEC 11) and the small port the domain emits them through. Emitting is synchronous
 * and never waits for a delivery: the dispatcher queues, the loop goes on.
 */

/** Every event a notifier may subscribe to. */
export const NOTIFICATION_EVENTS = [
  'window.opened',
  'window.closed',
  'emergency.stop',
  'emergency.resume',
  'override.expiring',
  'override.expired',
  'action.failed',
  'budget.exhausted',
  'healthcheck.blocked',
  'leader.changed',
] as const;
export type NotificationEventName = (typeof NOTIFICATION_EVENTS)[number];

/** The event `notifier test` sends: to the one notifier named, whatever events it subscribed to. */
export const TEST_EVENT = 'notifier.test';

/** An event as it is delivered: a subscribable one, or the test event. */
export type DeliveredEvent = Omit<NotificationEvent, 'event'> & { event: NotificationEventName | typeof TEST_EVENT; at: number };

/** One thing that happened, as the domain reports it. */
export interface NotificationEvent {
  event: NotificationEventName;
  /** The scenario it concerns, if one. */
  scenario?: string | null;
  /** Who caused it: a token name, or `system` for the loop itself. */
  actor?: string | null;
  reason?: string | null;
  /** One line for people. */
  message: string;
  /** Epoch ms; the dispatcher stamps it when absent. */
  at?: number;
  /** Small structured details (schedule, preset, check); never large payloads. */
  data?: Record<string, string | number | boolean | null>;
}

/** Where the domain emits events; never blocks and never throws. */
export interface NotificationSink {
  notify(event: NotificationEvent): void;
}

/** Drops every event: the default where no dispatcher is wired. */
export const NO_NOTIFICATIONS: NotificationSink = { notify: () => undefined };

/** How a delivery ended, as a bounded label value. */
export type DeliveryResult = 'success' | 'failure' | 'dropped';

/** How one delivery ended, for `notifier test`. */
export interface DeliveryOutcome {
  result: DeliveryResult;
  /** Sends made (0 when it was dropped before any). */
  attempts: number;
  /** The HTTP status of the last answer; null when none came (refused, timed out, dropped). */
  status: number | null;
  /** Why it was not delivered; null when it was. */
  error: string | null;
  /** From queueing to the outcome. */
  durationMs: number;
}

/** Hooks for metrics; the notify module never imports a metrics library. */
export interface NotificationObserver {
  notificationFinished(notifier: string, result: DeliveryResult): void;
}
