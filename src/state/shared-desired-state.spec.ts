import { useReplicaDatabase } from '../store/testing/replica-database';
import { emptyDesiredState, type DesiredStateModel } from '../reconciler/desired';
import { DESIRED_STATE_KEY, SharedDesiredState } from './shared-desired-state';

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const withOverrides = (count: number): DesiredStateModel => ({
  ...emptyDesiredState(),
  overrides: Object.fromEntries(Array.from({ length: count }, (_, i) => [`scenario-${i}`, { state: 'active' as const, expiresAt: null, reason: 'test', actor: 'ops', setAt: 1 }])),
});

describe('SharedDesiredState on PostgreSQL', () => {
  const db = useReplicaDatabase();

  /** A replica: its own pool, its own holder; no poll (an hour), so only notifications can bring changes. */
  const replica = async () => {
    const store = await db.openStore();
    const holder = { model: emptyDesiredState() };
    const one = new SharedDesiredState(store, holder, 3_600_000);
    const replaced: number[] = [];
    one.onReplaced = () => replaced.push(Date.now());
    await one.start();
    db.stopAfter(one);
    return { one, holder, replaced, store };
  };

  it.each([
    ['a small model, carried in the notification', 3],
    ['a model too large for a notification, read back', 400],
  ])('brings %s to the other replica at once', async (_, count) => {
    const a = await replica();
    const b = await replica();
    const model = withOverrides(count);
    await a.one.save(model);
    await until(() => b.replaced.length === 1, 'the other replica replaced its model');
    expect(b.holder.model).toEqual(model);
    // The writer does not count its own write as news.
    expect(a.replaced).toEqual([]);
    expect(((await a.store.settings.get<{ model: DesiredStateModel }>(DESIRED_STATE_KEY))?.model)).toEqual(model);
  });

  it('gives a replica that starts later the stored model', async () => {
    const a = await replica();
    await a.one.save(withOverrides(2));
    const late = await replica();
    expect(Object.keys(late.holder.model.overrides)).toEqual(['scenario-0', 'scenario-1']);
  });
});
