/**
 * The contract of what replicas share (registrations, the published inventory), run by store.contract.ts on
 * every adapter. PostgreSQL judges expiry on its own clock and SQLite on the store's `now`, so an expiry test
 * moves the pinned clock and also lets real time pass beyond the TTL: both adapters then see it expired.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { INVENTORY_CHANNEL, REGISTRATIONS_CHANNEL, type Store } from './store.port';

/** Moves the store's pinned clock forward by `ms`. */
export type ClockJump = (ms: number) => void;

/** Declares the shared-state tests; `current` is the open store of the running test. */
export function describeSharedContract(current: () => Store, jump: ClockJump): void {
  const SHORT_TTL_MS = 150;
  const expire = async () => {
    jump(SHORT_TTL_MS + 50);
    await sleep(SHORT_TTL_MS + 50);
  };

  describe('registrations', () => {
    it('stores, renews, lists, reads and deletes, telling listeners each change', async () => {
      const { registrations, changes } = current();
      const heard: string[] = [];
      const stop = await changes.listen(REGISTRATIONS_CHANNEL, (id) => heard.push(id));
      expect(await registrations.put('beta', { endpoint: 'http://127.0.0.1:1' }, 60_000, 10)).toMatchObject({ stored: { id: 'beta', body: { endpoint: 'http://127.0.0.1:1' } } });
      await registrations.put('alpha', { n: 1 }, 60_000, 10);
      await registrations.put('alpha', { n: 2 }, 30_000, 10);
      const alpha = await registrations.get<{ n: number }>('alpha');
      expect(alpha?.body).toEqual({ n: 2 });
      expect(alpha?.remainingMs).toBeGreaterThan(25_000);
      expect(alpha?.remainingMs).toBeLessThanOrEqual(30_000);
      expect((await registrations.list()).map((row) => row.id)).toEqual(['alpha', 'beta']);
      expect(await registrations.delete('alpha')).toBe(true);
      expect(await registrations.delete('alpha')).toBe(false);
      expect(await registrations.get('alpha')).toBeNull();
      await waitFor(() => heard.length >= 4);
      expect(heard).toEqual(['beta', 'alpha', 'alpha', 'alpha']);
      stop();
    });

    it('refuses a new id at the limit of live rows, never a renewal, and counts expired rows out', async () => {
      const { registrations } = current();
      await registrations.put('one', {}, SHORT_TTL_MS, 2);
      await registrations.put('two', {}, 60_000, 2);
      expect(await registrations.put('three', {}, 60_000, 2)).toEqual({ refused: 'Full' });
      expect(await registrations.put('two', { again: true }, 60_000, 2)).toMatchObject({ stored: { id: 'two' } });
      await expire();
      expect(await registrations.put('three', {}, 60_000, 2)).toMatchObject({ stored: { id: 'three' } });
    });

    it('hides expired rows and deletes them when asked, returning their ids', async () => {
      const { registrations } = current();
      await registrations.put('brief', {}, SHORT_TTL_MS, 10);
      await registrations.put('also-brief', {}, SHORT_TTL_MS, 10);
      await registrations.put('lasting', {}, 3_600_000, 10);
      await expire();
      expect(await registrations.get('brief')).toBeNull();
      expect((await registrations.list()).map((row) => row.id)).toEqual(['lasting']);
      expect(await registrations.deleteExpired()).toEqual(['also-brief', 'brief']);
      expect(await registrations.deleteExpired()).toEqual([]);
      expect((await registrations.list()).map((row) => row.id)).toEqual(['lasting']);
    });

    it('refuses an id the inventory lists as discovered from a file, and allows it once removed', async () => {
      const { registrations, inventory } = current();
      await inventory.write([{ id: 'filed', body: {}, discovered: true }, { id: 'registered', body: {}, discovered: false }], []);
      expect(await registrations.put('filed', {}, 60_000, 10)).toEqual({ refused: 'FileDiscovered' });
      expect(await registrations.put('registered', {}, 60_000, 10)).toMatchObject({ stored: { id: 'registered' } });
      await inventory.write([], ['filed']);
      expect(await registrations.put('filed', {}, 60_000, 10)).toMatchObject({ stored: { id: 'filed' } });
    });
  });

  describe('inventory', () => {
    it('reads everything live from 0, then only what changed since a revision, removals flagged', async () => {
      const { inventory, changes } = current();
      const heard: string[] = [];
      const stop = await changes.listen(INVENTORY_CHANNEL, (revision) => heard.push(revision));
      const first = await inventory.write([{ id: 'a', body: { state: 'unknown' }, discovered: true }, { id: 'b', body: { state: 'unknown' }, discovered: false }], []);
      expect(await inventory.changesSince(0)).toEqual({
        rows: [
          { id: 'a', body: { state: 'unknown' }, discovered: true, removed: false },
          { id: 'b', body: { state: 'unknown' }, discovered: false, removed: false },
        ],
        revision: first,
      });
      const second = await inventory.write([{ id: 'a', body: { state: 'active' }, discovered: true }], ['b']);
      expect(second).toBeGreaterThan(first);
      expect(await inventory.changesSince(first)).toEqual({
        rows: [
          { id: 'a', body: { state: 'active' }, discovered: true, removed: false },
          { id: 'b', body: { state: 'unknown' }, discovered: false, removed: true },
        ],
        revision: second,
      });
      expect(await inventory.changesSince(second)).toEqual({ rows: [], revision: second });
      // A fresh reader sees no tombstones.
      expect((await inventory.changesSince(0)).rows.map((row) => row.id)).toEqual(['a']);
      await waitFor(() => heard.length >= 2);
      expect(heard.map(Number)).toEqual([first, second]);
      stop();
    });

    it('replaces: every row not written is removed (a new leader’s first scan)', async () => {
      const { inventory } = current();
      const first = await inventory.write(['a', 'b', 'c'].map((id) => ({ id, body: {}, discovered: true })), []);
      await inventory.write([{ id: 'b', body: { again: 1 }, discovered: true }, { id: 'd', body: {}, discovered: false }], [], { replace: true });
      expect((await inventory.changesSince(0)).rows.map((row) => row.id)).toEqual(['b', 'd']);
      const changed = (await inventory.changesSince(first)).rows;
      expect(changed.map((row) => [row.id, row.removed])).toEqual([
        ['a', true],
        ['b', false],
        ['c', true],
        ['d', false],
      ]);
    });

    it('writes a large batch in one call', async () => {
      const { inventory } = current();
      const rows = Array.from({ length: 2_000 }, (_, index) => ({ id: `s-${String(index).padStart(4, '0')}`, body: { spec: { id: index }, observed: null }, discovered: true }));
      await inventory.write(rows, []);
      const { rows: read } = await inventory.changesSince(0);
      expect(read).toHaveLength(2_000);
      expect(read[1_999]).toEqual({ ...rows[1_999], removed: false });
    });
  });
}

async function waitFor(done: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await sleep(10);
  }
}
