/**
 * The alertmanager notifier (SPEC 11): keeps `MaintenanceActive{scenario}` firing in Alertmanager while a
 * scenario is active, and `MaintenanceEmergencyStop` while the stop is latched, so operators can inhibit
 * pages during maintenance. Each alert is posted with an `endsAt` a few re-post periods ahead and re-posted
 * before then; when the state ends it is posted once more with `endsAt` = now, which resolves it. Should
 * the orchestrator die, its alerts resolve by themselves at their `endsAt`.
 */
import { randomUUID } from 'node:crypto';
import { endpointUrl } from '../health/check-readers';
import type { Delivery } from './notification-dispatcher';
import type { NotifierSpec } from './notifier-manifest';

/** What the alerts mirror: the scenarios active now and the emergency stop, if latched. */
export interface MaintenanceStatus {
  active: readonly string[];
  emergencyStop: { actor: string; reason: string } | null;
}

/** Where the posts go: the dispatcher's queue, so retries and the bound apply. */
export interface DeliveryQueue {
  enqueue(delivery: Delivery): void;
}

/** Options; the defaults suit production. */
export interface MaintenanceAlertOptions {
  /** How often firing alerts are posted again; default 60 s. */
  repostMs?: number;
  /** How far ahead each post sets `endsAt`; default 4 re-post periods, so a few lost posts resolve nothing. */
  holdMs?: number;
  clock?: () => number;
}

/** One alert as Alertmanager's API v2 takes it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

interface Firing {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
}

/** Keeps the maintenance alerts of every alertmanager notifier in step with the fleet. */
export class MaintenanceAlertPublisher {
  private readonly firing = new Map<string, Firing>();
  private lastPostAt = Number.NEGATIVE_INFINITY;
  private readonly repostMs: number;
  private readonly holdMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly notifiers: () => readonly NotifierSpec[],
    private readonly queue: DeliveryQueue,
    options: MaintenanceAlertOptions = {},
  ) {
    this.repostMs = options.repostMs ?? 60_000;
    this.holdMs = options.holdMs ?? this.repostMs * 4;
    this.clock = options.clock ?? Date.now;
  }

  /** Whether some alertmanager notifier is configured: without one there is nothing to keep in step. */
  get enabled(): boolean {
    return this.notifiers().some((notifier) => notifier.type === 'alertmanager');
  }

  /**
   * Synchronous: posts what started or ended now, and re-posts what still fires once repostMs has passed.
   * `status` may be a function: the loop calls this after every pass, and gathering 10,000 active scenarios
   * is then only paid for when an alertmanager notifier is there to receive them. Without one, what was
   * firing is forgotten, so a notifier added later is sent every alert at once.
   */
  update(status: MaintenanceStatus | (() => MaintenanceStatus)): void {
    if (!this.enabled) {
      this.firing.clear();
      this.lastPostAt = Number.NEGATIVE_INFINITY;
      return;
    }
    const now = this.clock();
    const wanted = wantedAlerts(typeof status === 'function' ? status() : status);
    const resolved = [...this.firing.keys()].filter((key) => !wanted.has(key));
    const started = [...wanted.keys()].filter((key) => !this.firing.has(key));
    const changedAnnotations = [...wanted].some(([key, alert]) => this.firing.has(key) && JSON.stringify(this.firing.get(key)?.annotations) !== JSON.stringify(alert.annotations));
    if (resolved.length === 0 && started.length === 0 && !changedAnnotations && now - this.lastPostAt < this.repostMs) return;

    const alerts: PostableAlert[] = [];
    for (const key of resolved) {
      const alert = this.firing.get(key) as Firing;
      alerts.push(postable(alert, now));
      this.firing.delete(key);
    }
    for (const [key, alert] of wanted) {
      const startsAt = this.firing.get(key)?.startsAt ?? now;
      this.firing.set(key, { ...alert, startsAt });
      alerts.push(postable({ ...alert, startsAt }, now + this.holdMs));
    }
    this.lastPostAt = now;
    if (alerts.length > 0) this.post(alerts);
  }

  private post(alerts: PostableAlert[]): void {
    const body = JSON.stringify(alerts);
    for (const notifier of this.notifiers()) {
      if (notifier.type !== 'alertmanager') continue;
      const url = endpointUrl(notifier.url, 'api/v2/alerts').toString();
      this.queue.enqueue({ notifier: notifier.name, event: 'alerts', id: randomUUID(), request: { url, headers: { 'content-type': 'application/json' }, body } });
    }
  }
}

function wantedAlerts(status: MaintenanceStatus): Map<string, Omit<Firing, 'startsAt'>> {
  const wanted = new Map<string, Omit<Firing, 'startsAt'>>();
  for (const scenario of status.active) {
    wanted.set(`active/${scenario}`, {
      labels: { alertname: 'MaintenanceActive', scenario, source: 'maintenance-orchestrator' },
      annotations: { summary: `maintenance scenario ${scenario} is active` },
    });
  }
  if (status.emergencyStop) {
    wanted.set('emergency-stop', {
      labels: { alertname: 'MaintenanceEmergencyStop', source: 'maintenance-orchestrator' },
      annotations: { summary: `emergency stop by ${status.emergencyStop.actor}: ${status.emergencyStop.reason}` },
    });
  }
  return wanted;
}

function postable(alert: Firing, endsAt: number): PostableAlert {
  return { labels: alert.labels, annotations: alert.annotations, startsAt: new Date(alert.startsAt).toISOString(), endsAt: new Date(endsAt).toISOString() };
}
