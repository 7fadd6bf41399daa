/**
 * The Prometheus side of the orchestrator (n8n style): the domain calls small observer interfaces, and this
 * one class implements them over its own prom-client Registry (never the global one, so two orchestrators
 * in one process, as in tests, never collide). Counters and histograms are updated as events happen;
 * per-scenario gauges are computed at scrape time from one fleet snapshot (see fleet-gauges.ts).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ScanReport } from '../discovery/registry';
import type { HealthCheckResult, HealthObserver } from '../health/health-check.service';
import type { DeliveryResult, NotificationObserver } from '../notify/notification';
import type { ActionOutcome } from '../reconciler/executor';
import type { ReconcilerObserver } from '../reconciler/reconciler';
import { GATES, type Gate } from '../reconciler/types';
import { registerFleetGauges } from './fleet-gauges';
import type { FleetSnapshot, FleetSnapshotSource } from './fleet-snapshot';

/** Reconcile passes are in-memory planning: sub-millisecond for a few scenarios, tens of ms at 10,000. */
const PASS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
/** Actions are HTTP calls bounded by ACTION_TIMEOUT (5 s by default). */
const ACTION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** A scan reads one small file per candidate folder, plus a resolver process per scenario without a port. */
const SCAN_BUCKETS = [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** prom-client default metrics that break Prometheus naming rules (a gauge with the counter suffix). */
const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** How an action ended, as a bounded label value. */
export type ActionResult = 'success' | 'failure' | 'aborted';

/** Implements the reconciler's and discovery's observers and renders the exposition for GET /metrics. */
export class PrometheusMetrics implements ReconcilerObserver, HealthObserver, NotificationObserver {
  /** This orchestrator's registry; exposed for tests and for an embedding that wants to add its own. */
  readonly registry = new Registry();
  private source: FleetSnapshotSource | null = null;
  private leadership: (() => { leading: boolean; epoch: number }) | null = null;
  private snapshot: FleetSnapshot | null = null;
  private readonly reconciles: Counter<'result'>;
  private readonly reconcileErrors: Counter;
  private readonly reconcileDuration: Histogram;
  private readonly retries: Counter;
  private readonly transitions: Counter<'action' | 'result'>;
  private readonly actionDuration: Histogram<'action'>;
  private readonly gateBlocks: Counter<'gate'>;
  private readonly discoveryDuration: Histogram;
  private readonly discoveryErrors: Counter;
  private readonly healthUp: Gauge<'check'>;
  private readonly healthFailing: Gauge<'check'>;
  private readonly notifications: Counter<'notifier' | 'result'>;
  private readonly leaseRenewals: Counter<'result'>;

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.defaultMetrics !== false) {
      collectDefaultMetrics({ register: this.registry });
      // Gauges named *_total fail `promtool check metrics`; the same counts stay available per type in nodejs_active_*{type}.
      for (const name of LINT_FAILING_DEFAULTS) this.registry.removeSingleMetric(name);
    }
    this.reconciles = new Counter({ name: 'maintenance_reconcile_total', help: 'Reconcile passes, by result (success|error).', labelNames: ['result'], registers });
    this.reconcileErrors = new Counter({ name: 'maintenance_reconcile_errors_total', help: 'Reconcile passes that failed.', registers });
    this.reconcileDuration = new Histogram({ name: 'maintenance_reconcile_duration_seconds', help: 'Time one reconcile pass takes to plan and dispatch.', buckets: PASS_BUCKETS, registers });
    this.retries = new Counter({ name: 'maintenance_workqueue_retries_total', help: 'Failed actions that will be retried after a backoff.', registers });
    // Bounded labels only: which scenarios fail is maintenance_scenario_consecutive_failures, a scrape-time
    // gauge that leaves with the scenario, not a counter series per scenario that never does.
    this.transitions = new Counter({
      name: 'maintenance_scenario_transitions_total',
      help: 'Activate and deactivate calls to scenarios, by action and result (success|failure|aborted).',
      labelNames: ['action', 'result'],
      registers,
    });
    this.actionDuration = new Histogram({ name: 'maintenance_scenario_action_duration_seconds', help: 'Duration of activate and deactivate calls that reached a scenario.', labelNames: ['action'], buckets: ACTION_BUCKETS, registers });
    this.gateBlocks = new Counter({ name: 'maintenance_gate_blocked_total', help: 'Times a scenario became blocked by a gate.', labelNames: ['gate'], registers });
    this.discoveryDuration = new Histogram({ name: 'maintenance_discovery_duration_seconds', help: 'Time one scan of the scenarios directory takes.', buckets: SCAN_BUCKETS, registers });
    this.discoveryErrors = new Counter({ name: 'maintenance_discovery_errors_total', help: 'Scans of the scenarios directory that failed.', registers });
    // One series per configured check or notifier: names come from the policy and manifests, a bounded set.
    this.healthUp = new Gauge({ name: 'maintenance_health_check_up', help: 'Whether the last read of a health check reached its server and got a usable answer (1) or not (0).', labelNames: ['check'], registers });
    this.healthFailing = new Gauge({ name: 'maintenance_health_check_failing', help: 'Whether a health check holds new activations back (1) or not (0).', labelNames: ['check'], registers });
    this.notifications = new Counter({
      name: 'maintenance_notifications_total',
      help: 'Notification deliveries, by notifier and result (success|failure|dropped).',
      labelNames: ['notifier', 'result'],
      registers,
    });
    this.leaseRenewals = new Counter({
      name: 'maintenance_lease_renewals_total',
      help: 'Activation lease renewals sent to active scenarios, by result (success|failure|aborted).',
      labelNames: ['result'],
      registers,
    });
    for (const result of ['success', 'failure', 'aborted'] as const) this.leaseRenewals.inc({ result }, 0);
    // Read at scrape time: a leader past its renew deadline is a follower from that instant, event or not.
    const leadership = () => this.leadership?.() ?? { leading: false, epoch: 0 };
    new Gauge({
      name: 'leader_election_master_status',
      help: 'Whether this replica leads (1) or follows (0), as controller-runtime names it.',
      labelNames: ['name'],
      registers,
      collect() {
        this.set({ name: 'maintenance-orchestrator' }, leadership().leading ? 1 : 0);
      },
    });
    new Gauge({
      name: 'maintenance_leader_epoch',
      help: 'The epoch of the leader this replica knows (its own while it leads); grows at each acquisition.',
      registers,
      collect() {
        this.set(leadership().epoch);
      },
    });
    registerFleetGauges(this.registry, () => this.snapshot);
    // Known label values start at 0, so rate() and "by gate" panels show them before the first event.
    for (const result of ['success', 'error'] as const) this.reconciles.inc({ result }, 0);
    for (const gate of GATES) this.gateBlocks.inc({ gate }, 0);
    for (const action of ['activate', 'deactivate'] as const) {
      this.actionDuration.zero({ action });
      for (const result of ['success', 'failure', 'aborted'] as const) this.transitions.inc({ action, result }, 0);
    }
  }

  /** The Content-Type of the exposition. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Connects leadership, read at scrape time (src/leader attaches it). */
  attachLeadership(read: () => { leading: boolean; epoch: number }): void {
    this.leadership = read;
  }

  /** Connects the fleet read at scrape time (the fleet is composed after the loop that reports here). */
  attach(source: FleetSnapshotSource): void {
    this.source = source;
  }

  /** The text exposition: one snapshot of the fleet, read by every scrape-time gauge. */
  async render(): Promise<string> {
    this.snapshot = this.source ? this.source() : null;
    try {
      return await this.registry.metrics();
    } finally {
      this.snapshot = null;
    }
  }

  /** ReconcilerObserver: one pass finished. */
  passCompleted(result: 'success' | 'error', durationSeconds: number): void {
    this.reconciles.inc({ result });
    if (result === 'error') this.reconcileErrors.inc();
    this.reconcileDuration.observe(durationSeconds);
  }

  /** ReconcilerObserver: one action finished; failures that will be retried count as retries. */
  actionCompleted(outcome: ActionOutcome, retrying: boolean): void {
    const result: ActionResult = outcome.result.ok ? 'success' : outcome.result.aborted ? 'aborted' : 'failure';
    this.transitions.inc({ action: outcome.action, result });
    // An activation abandoned in the queue never reached the scenario: its zero duration would skew the histogram.
    if (result !== 'aborted') this.actionDuration.observe({ action: outcome.action }, outcome.durationMs / 1000);
    if (retrying) this.retries.inc();
  }

  /** LeaseRenewalObserver: one renewal finished (aborted: a deactivation or stop-all superseded it). */
  renewalCompleted(result: 'success' | 'failure' | 'aborted'): void {
    this.leaseRenewals.inc({ result });
  }

  /** ReconcilerObserver: a scenario became blocked by a gate. */
  gateBlocked(gate: Gate): void {
    this.gateBlocks.inc({ gate });
  }

  /** HealthObserver: a check was read (up: its server answered usably). */
  healthCheckRead(result: HealthCheckResult, up: boolean): void {
    this.healthUp.set({ check: result.check }, up ? 1 : 0);
    this.healthFailing.set({ check: result.check }, result.ok ? 0 : 1);
  }

  /** HealthObserver: a check left the policy; its series go with it. */
  healthCheckRemoved(check: string): void {
    this.healthUp.remove({ check });
    this.healthFailing.remove({ check });
  }

  /** NotificationObserver: a delivery ended (delivered, given up after its retries, or dropped from a full queue). */
  notificationFinished(notifier: string, result: DeliveryResult): void {
    this.notifications.inc({ notifier, result });
  }

  /** Discovery hook: one scan finished. */
  scanCompleted(report: ScanReport): void {
    this.discoveryDuration.observe(report.durationSeconds);
    if (!report.ok) this.discoveryErrors.inc();
  }
}

