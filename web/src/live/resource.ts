/**
 * One piece of server state (the scenario list, the status, ...) with at most one request in flight.
 * Refreshes asked for while a request runs collapse into a single follow-up, so a burst of events costs
 * two requests at most, never a storm, and the follow-up still sees the latest change.
 */
import { useEffect, useState } from 'preact/hooks';

/** What a view renders: the last good data (kept on error, so a blip does not blank the screen) and the last error. */
export interface ResourceState<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  /** `mark()` taken when the request that brought `data` started; 0 before any data. */
  requestedAt: number;
}

let lastMark = 0;

/**
 * A number larger than every one handed out before: orders "this request started" against "this
 * answer arrived" without trusting two clock readings in the same millisecond to differ.
 */
export function mark(): number {
  lastMark += 1;
  return lastMark;
}

/** A subscribable, single-flight loader. */
export class Resource<T> {
  private state: ResourceState<T> = { data: null, error: null, loading: false, requestedAt: 0 };
  private inFlight = false;
  private again = false;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly load: () => Promise<T>) {}

  /** The current state. */
  get current(): ResourceState<T> {
    return this.state;
  }

  /** Calls `listener` on every change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fetches now, or once more right after the request in flight. */
  refresh(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    const requestedAt = mark();
    this.set({ ...this.state, loading: true });
    this.load()
      .then(
        (data) => this.set({ data, error: null, loading: false, requestedAt }),
        (error: unknown) => this.set({ ...this.state, error: error instanceof Error ? error : new Error(String(error)), loading: false }),
      )
      .finally(() => {
        this.inFlight = false;
        if (this.again) {
          this.again = false;
          this.refresh();
        }
      });
  }

  /** Changes the data locally, e.g. to add an entry that arrived over SSE without a round trip. */
  update(change: (data: T | null) => T): void {
    this.set({ ...this.state, data: change(this.state.data) });
  }

  private set(next: ResourceState<T>): void {
    this.state = next;
    this.listeners.forEach((listener) => listener());
  }
}

/** Re-renders the calling component whenever the resource changes. */
export function useResource<T>(resource: Resource<T>): ResourceState<T> {
  const [, setTick] = useState(0);
  useEffect(() => resource.subscribe(() => setTick((tick) => tick + 1)), [resource]);
  return resource.current;
}

/** A plain observable value (connection state, filters shared across panels). */
export class Cell<T> {
  private readonly listeners = new Set<() => void>();

  constructor(private value: T) {}

  get current(): T {
    return this.value;
  }

  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    this.listeners.forEach((listener) => listener());
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Re-renders the calling component whenever the cell changes. */
export function useCell<T>(cell: Cell<T>): T {
  const [, setTick] = useState(0);
  useEffect(() => cell.subscribe(() => setTick((tick) => tick + 1)), [cell]);
  return cell.current;
}
