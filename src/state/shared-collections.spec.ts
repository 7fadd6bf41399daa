/**
 * Two replicas on one real PostgreSQL database, each with its own pool and its own holders: a write of a custom
 * preset, a schedule, the policy or a notifier through one is held by the other at once, deletions included.
 * The poll is an hour here, so only the notifications can bring the changes.
 */
import { NotifierRegistry } from '../notify/notifier-registry';
import { PresetCatalog } from '../presets/preset-catalog';
import { ScheduleService } from '../schedules/schedule.service';
import type { SharedKind } from '../store/channels';
import { useReplicaDatabase } from '../store/testing/replica-database';
import { PolicyService } from './policy.service';
import { SharedCollections } from './shared-collections';

async function until(check: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const NO_ACTIVITY = { record: () => undefined };

describe('SharedCollections on PostgreSQL', () => {
  const db = useReplicaDatabase();

  const replica = async () => {
    const store = await db.openStore();
    const presets = new PresetCatalog([], store.presets);
    const schedules = new ScheduleService(store.schedules, presets, NO_ACTIVITY, null);
    const policy = new PolicyService(store.settings, NO_ACTIVITY);
    const notifiers = new NotifierRegistry(store.settings, NO_ACTIVITY);
    await Promise.all([presets.load(), schedules.load(), policy.load(null, '/nonexistent'), notifiers.load()]);
    const shared = new SharedCollections(store.changes, { presets, schedules, policy, notifiers }, 3_600_000);
    const replaced: SharedKind[] = [];
    shared.onReplaced = (kind) => replaced.push(kind);
    await shared.start();
    db.stopAfter(shared);
    return { presets, schedules, policy, notifiers, replaced };
  };

  it('brings each write to the other replica, and never counts the writer\'s own', async () => {
    const a = await replica();
    const b = await replica();

    await a.presets.create({ id: 'nightly-jobs', description: '', aliases: ['nj'], selector: { names: [], tags: ['batch'], exclude: [] }, isDefault: false });
    await until(() => b.presets.has('nj'), 'the preset on the other replica');

    await a.schedules.save({ name: 'weekly', kind: 'allow', preset: 'nightly-jobs', cron: '0 2 * * 0', duration: '1h', timeZone: 'UTC' }, 'ops');
    await until(() => b.schedules.list().some((view) => view.name === 'weekly'), 'the schedule on the other replica');

    await a.policy.replace({ maxActive: 3 }, 'ops');
    await until(() => b.policy.current().maxActive === 3, 'the policy on the other replica');

    await a.notifiers.save({ name: 'hook', type: 'webhook', url: 'http://127.0.0.1:9/hook', events: ['window.opened'], secret: null }, 'ops');
    await until(() => b.notifiers.list().length === 1, 'the notifier on the other replica');

    await a.schedules.delete('weekly', 'ops');
    await a.presets.delete('nightly-jobs');
    await a.notifiers.delete('hook', 'ops');
    await until(() => !b.presets.has('nightly-jobs') && b.schedules.list().length === 0 && b.notifiers.list().length === 0, 'the deletions on the other replica');

    // Each write above was awaited on the other replica, so those came in order; the three deletions were sent
    // together on three channels, each followed on its own, and may land in any order.
    expect(b.replaced.slice(0, 4)).toEqual(['presets', 'schedules', 'policy', 'notifiers']);
    expect([...b.replaced.slice(4)].sort()).toEqual(['notifiers', 'presets', 'schedules']);
    // The writer heard its own notices too, and read nothing new from them.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a.replaced).toEqual([]);
  });
});
