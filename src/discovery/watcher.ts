/**
 * File-change triggers for rescans. fs.watch is best effort: it is not recursive on every platform, can run
 * out of inotify watches, and fails on some network filesystems, so any failure is silent and the periodic
 * rescan stays the guarantee. Watched: the root (folders added or removed) and each candidate's `.vrooli`
 * folder (editors replace service.json by rename, which a watch on the file itself would lose).
 */
import { watch, type FSWatcher } from 'node:fs';
import type { Timers } from '../common/timers';
import { standaloneTimers } from '../schedules/scheduler-timers';

/** Above this many folders we stop adding watches: the periodic rescan covers the rest. */
export const MAX_WATCHED_PATHS = 1_000;

/** Debounced watches over a changing set of paths. */
export class ScenarioWatcher {
  private readonly watchers = new Map<string, FSWatcher>();
  private closed = false;

  constructor(
    private readonly onChange: () => void,
    private readonly debounceMs = 200,
    private readonly timers: Timers = standaloneTimers(),
    private readonly timerName = 'discovery.file-change',
  ) {}

  /** Watches exactly `paths` (first ones win when over the cap), opening and closing watches as needed. */
  sync(paths: readonly string[]): void {
    if (this.closed) return;
    const wanted = new Set(paths.slice(0, MAX_WATCHED_PATHS));
    for (const [path, watcher] of this.watchers) {
      if (!wanted.has(path)) this.unwatch(path, watcher);
    }
    for (const path of wanted) {
      if (!this.watchers.has(path)) this.tryWatch(path);
    }
  }

  /** How many paths are being watched (for tests and diagnostics). */
  get size(): number {
    return this.watchers.size;
  }

  /** Closes every watch and cancels a pending trigger. */
  close(): void {
    this.closed = true;
    this.timers.cancel(this.timerName);
    for (const [path, watcher] of this.watchers) this.unwatch(path, watcher);
  }

  private tryWatch(path: string): void {
    try {
      const watcher = watch(path, { persistent: false }, () => this.trigger());
      // A watched folder that disappears errors out on some platforms; the next sync re-creates what still exists.
      watcher.on('error', () => this.unwatch(path, watcher));
      this.watchers.set(path, watcher);
    } catch {
      // Unsupported here or out of watches: the periodic rescan covers it.
    }
  }

  private unwatch(path: string, watcher: FSWatcher): void {
    watcher.close();
    if (this.watchers.get(path) === watcher) this.watchers.delete(path);
  }

  private trigger(): void {
    if (this.closed) return;
    // Setting the name again restarts the wait: a burst of events gives one rescan.
    this.timers.once(this.timerName, this.debounceMs, () => this.onChange());
  }
}
