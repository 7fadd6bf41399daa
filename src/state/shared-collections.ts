/**
 * What replicas share besides the desired state (SPEC 9): custom presets, schedules, the policy and the
 * notifiers. Each is written through any replica with a notice on its channel (src/store/channels.ts); this
 * follows all four, one ChangeFollower each, so a write elsewhere is held here within a second.
 */
import type { Timers } from '../common/timers';
import { standaloneTimers } from '../schedules/scheduler-timers';
import { CHANNELS, type SharedKind } from '../store/channels';
import type { ChangeFeed } from '../store/store.port';
import { ChangeFollower, type Replicated } from './change-follower';

/** The holder of each shared thing: PresetCatalog, ScheduleService, PolicyService, NotifierRegistry. */
export type SharedSources = { [K in SharedKind]: Replicated<unknown> };

/** The poll timer's name of a shared thing, as GET /api/v1/timers lists it. */
export const pollTimerOf = (kind: SharedKind): string => `${kind}.poll`;

/** Follows the four shared collections; `onReplaced` names the one another replica changed. */
export class SharedCollections {
  private readonly followers: { start(): Promise<void>; stop(): void; refresh(announce: boolean): Promise<void> }[];

  constructor(feed: Pick<ChangeFeed, 'listen'>, sources: SharedSources, pollMs = 1_000, timers: Timers = standaloneTimers()) {
    this.followers = (Object.keys(CHANNELS) as SharedKind[]).map((kind) => {
      const follower = new ChangeFollower(feed, { channel: CHANNELS[kind], pollTimer: pollTimerOf(kind) }, sources[kind], pollMs, timers);
      follower.onReplaced = () => this.onReplaced(kind);
      return follower;
    });
  }

  /** Called after another replica's write replaced one of them here. */
  onReplaced: (kind: SharedKind) => void = () => undefined;

  /** One after another: their LISTENs share one connection, which takes one statement at a time. */
  async start(): Promise<void> {
    for (const follower of this.followers) await follower.start();
  }

  stop(): void {
    for (const follower of this.followers) follower.stop();
  }

  /** Reads all four now (a replica about to lead), telling of any news. */
  async refresh(): Promise<void> {
    await Promise.all(this.followers.map((follower) => follower.refresh(true)));
  }
}
