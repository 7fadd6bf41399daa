/**
 * Delivers notifications without ever delaying the caller: `notify` and `enqueue` only push onto a bounded
 * queue (the oldest delivery is dropped and counted when it is full); a few sends run at a time; a failed
 * send is retried with exponential backoff and jitter; the final outcome goes to the activity log
 * (category `notification`) and to `maintenance_notifications_total{notifier,result}`.
 */
import { randomUUID } from 'node:crypto';
import type { ActivitySink } from '../activity/activity';
import { expectSuccess, send } from '../health/outbound';
import { BoundedQueue } from './bounded-queue';
import { TEST_EVENT, type DeliveryOutcome, type DeliveryResult, type NotificationEvent, type NotificationObserver, type NotificationSink } from './notification';
import type { NotifierSpec } from './notifier-manifest';
import { requestFor, testRequest, type PreparedRequest } from './payloads';

/** One delivery to one notifier; retried as it is (same id, same body, same signature). */
export interface Delivery {
  notifier: string;
  /** The event, or what the delivery is for (`alerts` for the alertmanager notifier's alert posts). */
  event: string;
  id: string;
  /**
   * The request, or how to build it: events are built (JSON, HMAC) when first sent, not when emitted, so
   * emitting costs the loop a queue push and a delivery dropped from a full queue costs nothing more.
   */
  request: PreparedRequest | (() => PreparedRequest);
  /** Attempts for this delivery, when not the dispatcher's maxAttempts (a test makes one). */
  maxAttempts?: number;
  /** Called once with how it ended (delivered, given up, or dropped). */
  onSettled?: (outcome: DeliveryOutcome) => void;
}

/** Timers, so tests and Nest can supply their own. */
export interface RetryTimer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of the dispatcher; the defaults suit production. */
export interface DispatcherOptions {
  activity: ActivitySink;
  /** Extra hosts off the machine notifiers may call (ALLOWED_NOTIFY_HOSTS); loopback always may. */
  allowedHosts: readonly string[];
  observer?: NotificationObserver;
  /** Deliveries waiting at most; default 1,000. */
  capacity?: number;
  /** Sends in flight at once; default 4. */
  concurrency?: number;
  /** Attempts per delivery, the first included; default 5. */
  maxAttempts?: number;
  /** Backoff before the second attempt, doubled each time up to maxDelayMs; defaults 1 s and 60 s. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Bound of one send; default 5 s. */
  timeoutMs?: number;
  random?: () => number;
  clock?: () => number;
  timer?: RetryTimer;
}

const NODE_TIMER: RetryTimer = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface Attempting extends Delivery {
  attempt: number;
  /** performance.now() when first queued: durations come from the monotonic clock, not the (replaceable) wall clock. */
  queuedAt: number;
}

/** The NotificationSink the domain emits into. */
export class NotificationDispatcher implements NotificationSink {
  private readonly queue: BoundedQueue<Attempting>;
  /** Deliveries waiting for their next attempt, by timer handle. */
  private readonly retries = new Map<unknown, Attempting>();
  private readonly waiters: (() => void)[] = [];
  private inFlight = 0;
  private droppedCount = 0;
  private overflowing = false;
  private stopped = false;
  private transportReady = false;

  constructor(
    private readonly notifiers: () => readonly NotifierSpec[],
    private readonly options: DispatcherOptions,
  ) {
    this.queue = new BoundedQueue(options.capacity ?? 1_000);
  }

  /** Deliveries dropped because the queue was full, since start. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Deliveries waiting, sending or waiting for a retry. */
  get pending(): number {
    return this.queue.size + this.inFlight + this.retries.size;
  }

  /** NotificationSink: one delivery per notifier that wants this event. Synchronous; never throws. */
  notify(event: NotificationEvent): void {
    const stamped = { ...event, at: event.at ?? this.now() };
    const id = randomUUID();
    for (const notifier of this.notifiers()) {
      if (!notifier.events.includes(event.event) || notifier.type === 'alertmanager') continue;
      this.enqueue({ notifier: notifier.name, event: event.event, id, request: () => requestFor(notifier, stamped, id) as PreparedRequest });
    }
  }

  /** Queues a prepared delivery (the alertmanager notifier's alert posts come this way). Synchronous, O(1). */
  enqueue(delivery: Delivery): void {
    this.push({ ...delivery, attempt: 1, queuedAt: performance.now() });
  }

  /**
   * `notifier test`: one `notifier.test` delivery to this notifier through the same queue, allowed-hosts
   * rule, signature, activity log and metrics as every event, and resolves with how it ended. It makes a
   * single attempt: whoever runs the test waits for the answer, which should be the receiver's own, not
   * the outcome of a minute of backoff.
   */
  test(notifier: NotifierSpec, actor: string): Promise<DeliveryOutcome> {
    const id = randomUUID();
    const request = testRequest(notifier, actor, this.now(), id);
    return new Promise((resolve) => this.enqueue({ notifier: notifier.name, event: TEST_EVENT, id, request, maxAttempts: 1, onSettled: resolve }));
  }

  /**
   * Loads Node's fetch machinery ahead of the first delivery, a second from now. Its first call loads undici
   * synchronously (about 85 ms measured here): paid inside a stop-all, that is the loop delayed. Called
   * when there are notifiers (at boot with stored ones, and when one is applied), never at a bare start.
   */
  prepareTransport(): void {
    if (this.transportReady) return;
    this.transportReady = true;
    setTimeout(() => void fetch('data:,').then((response) => response.arrayBuffer(), () => undefined), 1_000).unref();
  }

  /** Resolves once nothing waits, sends or waits for a retry (for tests and a graceful shutdown). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Cancels waiting retries and sends nothing more; what is in flight finishes. */
  stop(): void {
    this.stopped = true;
    for (const [handle, delivery] of this.retries) {
      (this.options.timer ?? NODE_TIMER).clearTimeout(handle);
      this.finish(delivery, 'dropped', null, 'the dispatcher stopped');
    }
    this.retries.clear();
    while (this.queue.size > 0) this.finish(this.queue.shift() as Attempting, 'dropped', null, 'the dispatcher stopped');
    this.settle();
  }

  private push(delivery: Attempting): void {
    if (this.stopped) {
      this.finish(delivery, 'dropped', null, 'the dispatcher stopped');
      return;
    }
    const dropped = this.queue.push(delivery);
    if (dropped) this.drop(dropped);
    this.pump();
  }

  private drop(delivery: Attempting): void {
    this.droppedCount++;
    this.options.observer?.notificationFinished(delivery.notifier, 'dropped');
    this.finish(delivery, 'dropped', null, `the notification queue was full (${this.queue.capacity})`);
    // One entry per overflow episode, not one per dropped delivery: a flood must not flood the log too.
    if (this.overflowing) return;
    this.overflowing = true;
    this.options.activity.record({
      category: 'notification',
      level: 'warn',
      actor: 'system',
      message: `notification queue full (${this.queue.capacity}): dropping the oldest deliveries, first ${delivery.event} to ${delivery.notifier}`,
      data: { notifier: delivery.notifier, event: delivery.event, result: 'dropped' },
    });
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 4;
    while (this.inFlight < limit && this.queue.size > 0) {
      const delivery = this.queue.shift() as Attempting;
      this.inFlight++;
      void this.attempt(delivery).finally(() => {
        this.inFlight--;
        this.pump();
        this.settle();
      });
    }
    if (this.queue.size < this.queue.capacity / 2) this.overflowing = false;
  }

  private async attempt(delivery: Attempting): Promise<void> {
    // Built once, on the first attempt; retries send the same body and signature.
    if (typeof delivery.request === 'function') delivery.request = delivery.request();
    const { url, headers, body } = delivery.request;
    let status: number | null = null;
    try {
      const reply = await send({ method: 'POST', url, headers, body, timeoutMs: this.options.timeoutMs ?? 5_000 }, this.options.allowedHosts);
      status = reply.status;
      expectSuccess(reply, url);
    } catch (error) {
      this.failed(delivery, status, (error as Error).message);
      return;
    }
    this.options.observer?.notificationFinished(delivery.notifier, 'success');
    this.finish(delivery, 'success', status, null);
    this.options.activity.record(
      { category: 'notification', actor: 'system', message: `${delivery.event} delivered to ${delivery.notifier}${delivery.attempt > 1 ? ` (attempt ${delivery.attempt})` : ''}`, data: { notifier: delivery.notifier, event: delivery.event, result: 'success', attempts: delivery.attempt } },
      { batch: true },
    );
  }

  private failed(delivery: Attempting, status: number | null, error: string): void {
    const maxAttempts = delivery.maxAttempts ?? this.options.maxAttempts ?? 5;
    if (delivery.attempt < maxAttempts && !this.stopped) {
      const timer = this.options.timer ?? NODE_TIMER;
      const handle = timer.setTimeout(() => {
        this.retries.delete(handle);
        this.push({ ...delivery, attempt: delivery.attempt + 1 });
      }, this.backoff(delivery.attempt));
      this.retries.set(handle, delivery);
      return;
    }
    this.options.observer?.notificationFinished(delivery.notifier, 'failure');
    this.finish(delivery, 'failure', status, error);
    this.options.activity.record({
      category: 'notification',
      level: 'error',
      actor: 'system',
      message: `${delivery.event} to ${delivery.notifier} not delivered after ${delivery.attempt} attempt${delivery.attempt > 1 ? 's' : ''}: ${error}`,
      data: { notifier: delivery.notifier, event: delivery.event, result: 'failure', attempts: delivery.attempt },
    });
  }

  /** Exponential from baseDelayMs, capped, with jitter over its upper half so that retries of a burst spread out. */
  private backoff(attempt: number): number {
    const base = this.options.baseDelayMs ?? 1_000;
    const ceiling = Math.min(this.options.maxDelayMs ?? 60_000, base * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + (ceiling / 2) * (this.options.random ?? Math.random)());
  }

  /** Tells the delivery's onSettled, if any, how it ended. */
  private finish(delivery: Attempting, result: DeliveryResult, status: number | null, error: string | null): void {
    // A dropped delivery never got its current attempt; the others did.
    delivery.onSettled?.({ result, attempts: result === 'dropped' ? delivery.attempt - 1 : delivery.attempt, status, error, durationMs: Math.round(performance.now() - delivery.queuedAt) });
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  private settle(): void {
    if (this.pending > 0) return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
