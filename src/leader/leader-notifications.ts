/**
 * The `leader.changed` notification (SPEC 11): sent by the replica that takes the lead, once per
 * acquisition, so on-call hears of a failover from one replica rather than from every one that noticed.
 * HA only: a single SQLite orchestrator leads from every start, and a page per restart would be noise.
 */
import type { NotificationSink } from '../notify/notification';
import type { LeaderElector } from './leader-elector';

/** Registers the announcement on `elector`; `previous` is the leader this replica knew before, if any. */
export function notifyLeaderChanges(elector: Pick<LeaderElector, 'onLeadership' | 'onChange' | 'id'>, sink: NotificationSink): void {
  let previous: { id: string; epoch: number } | null = null;
  elector.onChange(({ leader }) => {
    if (leader && leader.id !== elector.id) previous = { id: leader.id, epoch: leader.epoch };
  });
  elector.onLeadership({
    lead: ({ epoch, leader }) => {
      const after = previous ? ` (after ${previous.id}, epoch ${previous.epoch})` : '';
      sink.notify({
        event: 'leader.changed',
        actor: 'system',
        message: `${leader} leads at epoch ${epoch}${after}`,
        data: { leader, epoch, ...(previous ? { previousLeader: previous.id, previousEpoch: previous.epoch } : {}) },
      });
    },
  });
}
