import type { TimerInfo, Timers } from '../common/timers';
import { OwnWrites } from '../store/own-writes';
import { ChangeFollower, type Replicated } from './change-follower';

/** A feed in memory: `send` delivers a payload to the channel's listeners, as a NOTIFY would. */
function memoryFeed() {
  const listeners = new Map<string, Set<(payload: string) => void>>();
  return {
    async listen(channel: string, listener: (payload: string) => void) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
    send(channel: string, payload = '') {
      for (const listener of listeners.get(channel) ?? []) listener(payload);
    },
  };
}

/** Timers fired by hand. */
function handTimers(): Timers & { fire(name: string): void } {
  const timers = new Map<string, () => void>();
  return {
    every: (name, _ms, fn) => void timers.set(name, fn),
    once: (name, _ms, fn) => void timers.set(name, fn),
    cancel: (name) => void timers.delete(name),
    list: (): TimerInfo[] => [...timers.keys()].map((name) => ({ name, kind: 'interval', everyMs: 1000, nextAt: 0 })),
    fire: (name) => timers.get(name)?.(),
  };
}

/** A stored value and a held one; reads can be held back to stage races. */
function source(initial: string) {
  const state = { stored: initial, held: initial, reads: 0, gate: null as Promise<void> | null };
  const replicated: Replicated<string> & typeof state = Object.assign(state, {
    writes: new OwnWrites(),
    async read() {
      state.reads++;
      const value = state.stored;
      if (state.gate) await state.gate;
      return value;
    },
    adopt(value: string) {
      if (value === state.held) return false;
      state.held = value;
      return true;
    },
    carried: (payload: string) => (payload.startsWith('value:') ? payload.slice('value:'.length) : null),
  });
  return replicated;
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const SHARED = { channel: 'things', pollTimer: 'things.poll' };

describe('ChangeFollower', () => {
  it('reads at start without telling, then tells of another replica\'s write on its notification', async () => {
    const feed = memoryFeed();
    const thing = source('a');
    const follower = new ChangeFollower(feed, SHARED, thing, 1000, handTimers());
    const replaced: string[] = [];
    follower.onReplaced = () => replaced.push(thing.held);
    thing.stored = 'b';
    await follower.start();
    expect([thing.held, replaced]).toEqual(['b', []]);

    thing.stored = 'c';
    feed.send('things');
    await settle();
    expect(replaced).toEqual(['c']);
    // This replica's own write comes back as no news.
    feed.send('things');
    await settle();
    expect(replaced).toEqual(['c']);
  });

  it('takes a value carried in the notification without reading', async () => {
    const feed = memoryFeed();
    const thing = source('a');
    const follower = new ChangeFollower(feed, SHARED, thing, 1000, handTimers());
    let replaced = 0;
    follower.onReplaced = () => replaced++;
    await follower.start();
    const reads = thing.reads;
    feed.send('things', 'value:z');
    expect([thing.held, replaced, thing.reads]).toEqual(['z', 1, reads]);
  });

  it('polls, so a lost notification is made up for', async () => {
    const timers = handTimers();
    const thing = source('a');
    const follower = new ChangeFollower(memoryFeed(), SHARED, thing, 1000, timers);
    let replaced = 0;
    follower.onReplaced = () => replaced++;
    await follower.start();
    expect(timers.list().map((timer) => timer.name)).toEqual(['things.poll']);
    thing.stored = 'b';
    timers.fire('things.poll');
    await settle();
    expect([thing.held, replaced]).toEqual(['b', 1]);
    follower.stop();
    expect(timers.list()).toEqual([]);
  });

  it('reads again after a write of this replica that overlapped a read, and counts it as no news', async () => {
    const feed = memoryFeed();
    const thing = source('a');
    const follower = new ChangeFollower(feed, SHARED, thing, 1000, handTimers());
    let replaced = 0;
    follower.onReplaced = () => replaced++;
    await follower.start();
    let release = () => undefined as void;
    thing.gate = new Promise<void>((resolve) => (release = resolve));
    const before = thing.reads;
    const reading = follower.refresh(true);
    await settle(); // the read is on its way
    let finishWrite = () => undefined as void;
    // The write is stored, but this replica has not updated what it holds yet when the read comes back.
    const writing = thing.writes.run(async () => {
      thing.stored = 'mine';
      await new Promise<void>((resolve) => (finishWrite = resolve));
      thing.held = 'mine';
    });
    thing.gate = null;
    release();
    await settle();
    expect(thing.held).toBe('a');
    finishWrite();
    await Promise.all([writing, reading]);
    expect([thing.held, replaced, thing.reads - before]).toEqual(['mine', 0, 2]);
  });

  it('drops a read that a newer value carried by a notification overtook', async () => {
    const feed = memoryFeed();
    const thing = source('a');
    const follower = new ChangeFollower(feed, SHARED, thing, 1000, handTimers());
    await follower.start();
    let release = () => undefined as void;
    thing.gate = new Promise<void>((resolve) => (release = resolve));
    thing.stored = 'old';
    const reading = follower.refresh(true);
    await settle(); // the read is on its way
    feed.send('things', 'value:mine');
    release();
    await reading;
    expect(thing.held).toBe('mine');
  });

  it('reads once more, not once per notification, when several come during a read', async () => {
    const feed = memoryFeed();
    const thing = source('a');
    const follower = new ChangeFollower(feed, SHARED, thing, 1000, handTimers());
    await follower.start();
    let release = () => undefined as void;
    thing.gate = new Promise<void>((resolve) => (release = resolve));
    const before = thing.reads;
    const reading = follower.refresh(true);
    thing.stored = 'b';
    for (let i = 0; i < 5; i++) feed.send('things');
    thing.gate = null;
    release();
    await reading;
    await settle();
    expect([thing.reads - before, thing.held]).toEqual([2, 'b']);
  });
});
