/**
 * The behaviour every Store adapter owes its callers, as one jest suite. sqlite.contract.spec.ts and
 * postgres.contract.spec.ts run it against each adapter, so the two cannot disagree on what the port means.
 */
import type { ActivityInput } from '../activity/activity';
import type { ActivityQuery, Store } from './store.port';
import { StoreError } from './store.port';
import { describeSharedContract } from './store.shared.contract';

/** One place a store lives (a SQLite directory, a PostgreSQL database) for the length of one test. */
export interface StoreLocation {
  /** Opens the store there, again after a close if asked; `now` pins the clock of document timestamps. */
  open(options?: { now?: () => Date }): Promise<Store>;
  /** Deletes the location. */
  dispose(): Promise<void>;
}

/** A clock the test moves by hand. */
const clockAt = (iso: string) => {
  let now = new Date(iso);
  return { now: () => now, set: (next: string) => (now = new Date(next)) };
};

/** Declares the contract suite for one adapter; `fresh` makes a new, empty location for each test. */
export function describeStoreContract(name: string, fresh: () => Promise<StoreLocation>): void {
  describe(`Store contract: ${name}`, () => {
    let location: StoreLocation;
    let store: Store;
    const clock = clockAt('2025-03-01T10:00:00.000Z');
    beforeEach(async () => {
      location = await fresh();
      clock.set('2025-03-01T10:00:00.000Z');
      store = await location.open({ now: clock.now });
    });
    afterEach(async () => {
      await store.close();
      await location.dispose();
    });

    describe('documents', () => {
      it('creates, reads, lists, replaces and deletes', async () => {
        expect(await store.presets.create('drain', { scenarios: ['a'] })).toEqual({
          id: 'drain', body: { scenarios: ['a'] }, createdAt: '2025-03-01T10:00:00.000Z', updatedAt: '2025-03-01T10:00:00.000Z',
        });
        await store.presets.create('backup', { scenarios: [] });
        expect((await store.presets.list()).map((d) => d.id)).toEqual(['backup', 'drain']);

        clock.set('2025-03-01T11:00:00.000Z');
        expect(await store.presets.put('drain', { scenarios: ['b'] })).toEqual({
          id: 'drain', body: { scenarios: ['b'] }, createdAt: '2025-03-01T10:00:00.000Z', updatedAt: '2025-03-01T11:00:00.000Z',
        });
        expect(await store.presets.get('drain')).toMatchObject({ body: { scenarios: ['b'] } });
        expect(await store.presets.put('fresh', 1)).toMatchObject({ createdAt: '2025-03-01T11:00:00.000Z' });

        expect(await store.presets.delete('drain')).toBe(true);
        expect(await store.presets.delete('drain')).toBe(false);
        expect(await store.presets.get('drain')).toBeNull();
      });

      it('refuses to create an existing id with Conflict and keeps the original', async () => {
        await store.schedules.create('nightly', { cron: '0 2 * * *' });
        const again = store.schedules.create('nightly', { cron: 'other' });
        await expect(again).rejects.toBeInstanceOf(StoreError);
        await expect(again).rejects.toMatchObject({ code: 'Conflict' });
        expect((await store.schedules.get('nightly'))?.body).toEqual({ cron: '0 2 * * *' });
      });

      it('treats ids as exact, case-sensitive keys, listed in byte order', async () => {
        await store.presets.create('full', { n: 1 });
        await store.presets.create('FULL', { n: 2 });
        await store.presets.create('b', { n: 3 });
        expect((await store.presets.get('full'))?.body).toEqual({ n: 1 });
        expect((await store.presets.get('FULL'))?.body).toEqual({ n: 2 });
        expect(await store.presets.get('Full')).toBeNull();
        // Byte order puts every capital before every lower-case letter, whatever the server's locale says.
        expect((await store.presets.list()).map((d) => d.id)).toEqual(['FULL', 'b', 'full']);
        await store.presets.delete('FULL');
        expect((await store.presets.list()).map((d) => d.id)).toEqual(['b', 'full']);
      });

      it('keeps collections apart', async () => {
        await store.presets.create('x', 'preset');
        await store.schedules.create('x', 'schedule');
        expect((await store.presets.get('x'))?.body).toBe('preset');
        expect((await store.schedules.list()).map((d) => d.body)).toEqual(['schedule']);
      });

      it('keeps a body exactly as written, key order included', async () => {
        await store.presets.put('ordered', { zeta: 1, alpha: { b: 2, a: [3, null, 'x'] } });
        expect(JSON.stringify((await store.presets.get('ordered'))?.body)).toBe('{"zeta":1,"alpha":{"b":2,"a":[3,null,"x"]}}');
      });

      it('refuses a body that is not JSON and writes nothing', async () => {
        await expect(store.presets.put('bad', undefined)).rejects.toThrow(TypeError);
        expect(await store.presets.list()).toEqual([]);
      });
    });

    it('round-trips settings as JSON', async () => {
      expect(await store.settings.get('policy')).toBeNull();
      await store.settings.set('policy', { maxConcurrent: 2, gates: ['error-rate'] });
      await store.settings.set('policy', { maxConcurrent: 3, gates: [] });
      expect(await store.settings.get('policy')).toEqual({ maxConcurrent: 3, gates: [] });
      await store.settings.set('flag', false);
      expect(await store.settings.get<boolean>('flag')).toBe(false);
    });

    it('sends a write\'s notice once the write is stored, and none for a write that changed nothing', async () => {
      const heard: string[] = [];
      // What a listener reads back when it hears: the write must already be visible then.
      const readBack = new Map<string, Promise<unknown>>();
      const stop = await store.changes.listen('contract_changes', (payload) => {
        heard.push(payload);
        readBack.set(payload, store.presets.get('drain').then((document) => document?.body ?? null));
      });
      const notice = (payload: string) => ({ channel: 'contract_changes', payload });
      // Each write waits for its notice, so what the listener reads back is that write, not a later one.
      const heardAfter = async (write: Promise<unknown>, count: number) => {
        await write;
        await waitUntil(() => heard.length >= count);
        await readBack.get(heard[count - 1]);
      };
      await heardAfter(store.presets.create('drain', { v: 1 }, notice('created')), 1);
      await expect(store.presets.create('drain', { v: 2 }, notice('refused'))).rejects.toMatchObject({ code: 'Conflict' });
      expect(await store.presets.delete('absent', notice('nothing deleted'))).toBe(false);
      await heardAfter(store.presets.put('drain', { v: 3 }, notice('replaced')), 2);
      await store.presets.create('other', { v: 0 });
      await heardAfter(store.settings.set('policy', { maxActive: 1 }, notice('setting')), 3);
      expect(await store.presets.delete('drain', notice('deleted'))).toBe(true);
      await waitUntil(() => heard.length >= 4);
      await new Promise((resolve) => setTimeout(resolve, 100)); // room for a notice that should not come
      stop();
      expect(heard).toEqual(['created', 'replaced', 'setting', 'deleted']);
      expect(await readBack.get('created')).toEqual({ v: 1 });
      expect(await readBack.get('replaced')).toEqual({ v: 3 });
    });

    describeActivityContract(() => store);
    describeSharedContract(() => store, (ms) => clock.set(new Date(clock.now().getTime() + ms).toISOString()));

    it('keeps everything across close and reopen', async () => {
      await store.presets.create('drain', { a: 1 });
      await store.schedules.put('nightly', { cron: '0 2 * * *' });
      await store.settings.set('policy', { maxConcurrent: 1 });
      const entry = await store.activity.append({ category: 'api', message: 'hi', actor: 'cli', data: { n: 1 } }, '2025-03-01T10:00:00.000Z');
      await store.close();

      store = await location.open();
      expect(await store.presets.get('drain')).toMatchObject({ body: { a: 1 }, createdAt: '2025-03-01T10:00:00.000Z' });
      expect((await store.schedules.list()).map((d) => d.id)).toEqual(['nightly']);
      expect(await store.settings.get('policy')).toEqual({ maxConcurrent: 1 });
      expect(await store.activity.query({ limit: 10 })).toEqual([entry]);
    });

    it('answers Unavailable once closed, and closes twice without harm', async () => {
      await store.close();
      await expect(store.presets.list()).rejects.toMatchObject({ code: 'Unavailable' });
      await expect(store.activity.append({ category: 'api', message: 'late' }, '2025-03-01T10:00:00.000Z')).rejects.toMatchObject({ code: 'Unavailable' });
      await store.close();
    });
  });
}

/** Resolves once `check` holds; fails the test after five seconds. */
async function waitUntil(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a notification');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The activity log's part of the contract: ids, filters, paging, pruning, timestamps. */
function describeActivityContract(current: () => Store): void {
  describe('activity', () => {
    const input = (over: Partial<ActivityInput> = {}): ActivityInput => ({ category: 'reconcile', message: 'm', ...over });
    const at = (minute: number) => new Date(Date.UTC(2025, 2, 1, 10, minute)).toISOString();

    it('appends with defaults and returns what a query returns', async () => {
      const entry = await current().activity.append(input({ data: { ms: 12 } }), '2025-03-01T10:00:00Z');
      expect(entry).toEqual({
        id: 1, timestamp: '2025-03-01T10:00:00.000Z', category: 'reconcile', level: 'info',
        scenario: null, preset: null, actor: null, message: 'm', data: { ms: 12 },
      });
      expect(await current().activity.query({ limit: 5 })).toEqual([entry]);
    });

    it('appends many in order in one transaction, and none when one is bad', async () => {
      const { activity } = current();
      expect(await activity.appendMany([])).toEqual([]);
      const entries = await activity.appendMany([{ input: input({ message: 'one' }), timestamp: at(0) }, { input: input({ message: 'two' }), timestamp: at(1) }]);
      expect(entries.map((entry) => [entry.id, entry.message])).toEqual([[1, 'one'], [2, 'two']]);
      await expect(activity.appendMany([{ input: input({ message: 'three' }), timestamp: at(2) }, { input: input(), timestamp: 'not a time' }])).rejects.toThrow();
      expect((await activity.query({ limit: 10 })).map((entry) => entry.message)).toEqual(['two', 'one']);
    });

    it('gives ids that grow with append order, even when the clock steps back', async () => {
      const { activity } = current();
      const batch = await activity.appendMany(Array.from({ length: 50 }, (_, i) => ({ input: input({ message: `b${i}` }), timestamp: at(50 - i) })));
      const single = await activity.append(input({ message: 'last' }), at(0));
      const ids = [...batch.map((entry) => entry.id), single.id];
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      expect((await activity.query({ limit: 2 })).map((entry) => entry.message)).toEqual(['last', 'b49']);
    });

    it('filters by category, scenario and since, newest first', async () => {
      const { activity } = current();
      await activity.append(input({ category: 'action', scenario: 'cart', message: 'a' }), at(0));
      await activity.append(input({ category: 'gate', scenario: 'cart', message: 'b' }), at(1));
      await activity.append(input({ category: 'action', scenario: 'checkout', message: 'c' }), at(2));
      await activity.append(input({ category: 'action', scenario: 'cart', message: 'd' }), at(3));
      const messages = async (q: Omit<ActivityQuery, 'limit'>) => (await activity.query({ limit: 10, ...q })).map((e) => e.message);

      expect(await messages({})).toEqual(['d', 'c', 'b', 'a']);
      expect(await messages({ category: 'action' })).toEqual(['d', 'c', 'a']);
      expect(await messages({ scenario: 'cart' })).toEqual(['d', 'b', 'a']);
      expect(await messages({ category: 'action', scenario: 'cart' })).toEqual(['d', 'a']);
      // since is inclusive and compares instants, whatever ISO spelling the caller used.
      expect(await messages({ since: '2025-03-01T10:02:00Z' })).toEqual(['d', 'c']);
      expect(await messages({ since: '2025-03-01T11:01:00+01:00', category: 'gate' })).toEqual(['b']);
    });

    it('pages with beforeId and limit without gaps or repeats', async () => {
      const { activity } = current();
      for (let i = 0; i < 7; i++) await activity.append(input({ message: `e${i}` }), at(i));
      const seen: string[] = [];
      let beforeId: number | undefined;
      for (;;) {
        const page = await activity.query({ limit: 3, beforeId });
        if (page.length === 0) break;
        seen.push(...page.map((e) => e.message));
        beforeId = page[page.length - 1].id;
      }
      expect(seen).toEqual(['e6', 'e5', 'e4', 'e3', 'e2', 'e1', 'e0']);
      expect(await activity.query({ limit: 0 })).toEqual([]);
      expect(await activity.query({ limit: -5 })).toEqual([]);
    });

    it('prunes by age', async () => {
      const { activity } = current();
      for (let i = 0; i < 5; i++) await activity.append(input({ message: `e${i}` }), at(i));
      expect(await activity.prune(at(2), 100)).toBe(2);
      expect((await activity.query({ limit: 10 })).map((e) => e.message)).toEqual(['e4', 'e3', 'e2']);
    });

    it('prunes by count, keeping the newest, and never reuses ids', async () => {
      const { activity } = current();
      for (let i = 0; i < 5; i++) await activity.append(input({ message: `e${i}` }), at(i));
      expect(await activity.prune(at(0), 2)).toBe(3);
      expect((await activity.query({ limit: 10 })).map((e) => e.message)).toEqual(['e4', 'e3']);
      expect(await activity.prune(at(0), 2)).toBe(0);
      expect(await activity.prune(at(0), 0)).toBe(2);
      expect((await activity.append(input(), at(9))).id).toBe(6);
    });

    it('rejects an unparseable timestamp instead of storing text that sorts wrongly', async () => {
      const { activity } = current();
      await expect(activity.append(input(), 'yesterday')).rejects.toThrow(RangeError);
      // Shaped like toISOString() output, but month 13: it must not slip through as already canonical.
      await expect(activity.append(input(), '2026-13-01T10:00:00.000Z')).rejects.toThrow(RangeError);
      expect(await activity.query({ limit: 5 })).toEqual([]);
    });

    it('stores other ISO forms in the one format that sorts as time', async () => {
      const entry = await current().activity.append(input(), '2026-03-01T11:00:00+01:00');
      expect(entry.timestamp).toBe('2026-03-01T10:00:00.000Z');
      expect((await current().activity.query({ limit: 1 }))[0].timestamp).toBe('2026-03-01T10:00:00.000Z');
    });
  });
}
