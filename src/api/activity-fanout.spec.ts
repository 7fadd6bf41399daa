import type { ActivityEntry } from '../activity/activity';
import { ActivityFanout, type FanoutClient } from './activity-fanout';

function entry(id: number, category: string, scenario: string | null): ActivityEntry {
  return { id, timestamp: new Date(0).toISOString(), category, level: 'info', scenario, preset: null, actor: 'system', message: `entry ${id}`, data: null } as ActivityEntry;
}

function client(filter: { category?: string; scenario?: string } = {}): FanoutClient & { writes: string[] } {
  const writes: string[] = [];
  return { ...filter, writes, write: (text) => writes.push(text) };
}

describe('ActivityFanout', () => {
  it('gives each client one write per flush holding every entry it asked for, in order', () => {
    const formatted: number[] = [];
    const fanout = new ActivityFanout(60_000, (e) => (formatted.push(e.id), `${e.id};`));
    const all = [client(), client(), client()];
    const actions = client({ category: 'action' });
    const vacuum = client({ scenario: 'database-vacuum' });
    for (const c of [...all, actions, vacuum]) fanout.add(c);
    fanout.push(entry(1, 'action', 'database-vacuum'));
    fanout.push(entry(2, 'system', null));
    fanout.push(entry(3, 'action', 'backup'));
    fanout.flush();
    for (const c of all) expect(c.writes).toEqual(['1;2;3;']);
    expect(actions.writes).toEqual(['1;3;']);
    expect(vacuum.writes).toEqual(['1;']);
    // One text per distinct filter, however many clients share it: 3 for the unfiltered, 2 and 1 for the others.
    expect(formatted).toHaveLength(6);
  });

  it('writes nothing to a client none of the batch is for, and keeps nothing while no stream is open', () => {
    const fanout = new ActivityFanout(60_000, (e) => `${e.id};`);
    const quiet = client({ category: 'leader' });
    fanout.add(quiet);
    fanout.push(entry(1, 'action', 'a'));
    fanout.flush();
    expect(quiet.writes).toEqual([]);
    fanout.remove(quiet);
    fanout.push(entry(2, 'leader', null));
    const late = client();
    fanout.add(late);
    fanout.flush();
    expect(late.writes).toEqual([]);
  });

  it('flushes on its own flushMs after the first entry of a burst', async () => {
    const fanout = new ActivityFanout(20, (e) => `${e.id};`);
    const c = client();
    fanout.add(c);
    for (let id = 1; id <= 50; id++) fanout.push(entry(id, 'action', 'a'));
    expect(c.writes).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(c.writes).toHaveLength(1);
    expect(c.writes[0].split(';').filter(Boolean)).toHaveLength(50);
    fanout.remove(c);
  });

  it('sends one event: state per interval to the clients that want it, however many changes came', async () => {
    const fanout = new ActivityFanout(60_000, (e) => `${e.id};`, 20);
    const live = client();
    const watcher = { ...client(), wantsState: true };
    fanout.add(live);
    fanout.add(watcher);
    for (let change = 0; change < 100; change++) fanout.stateChanged();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(live.writes).toEqual([]);
    expect(watcher.writes).toHaveLength(1);
    expect(watcher.writes[0]).toMatch(/^event: state\ndata: \{"at":"[^"]+"\}\n\n$/);
    fanout.remove(live);
    fanout.remove(watcher);
  });
});
