import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { ActivityInput, ActivitySink } from '../activity/activity';
import { PeriodicFeed } from './periodic-feed';
import { standaloneTimers } from './scheduler-timers';

class RecordingActivity implements ActivitySink {
  readonly entries: ActivityInput[] = [];
  record(entry: ActivityInput): void {
    this.entries.push(entry);
  }
}

/** A feed of lines: each line is a value, a line "bad" is an error. */
function lineFeed(file: string, activity: ActivitySink, timers = standaloneTimers()) {
  return new PeriodicFeed<string[]>({
    label: 'test feed', url: file, allowedHosts: ['127.0.0.1'], timerName: 'test.refresh', refreshMs: 60_000, maxBytes: 1_000,
    clock: () => Date.parse('2026-12-07T00:00:00Z'), timers, activity, initial: [],
    parse: (text) => {
      const lines = text.split('\n').filter(Boolean);
      return { value: lines.filter((line) => line !== 'bad'), errors: lines.filter((line) => line === 'bad').map(() => 'a bad line') };
    },
  });
}

describe('PeriodicFeed', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'feed-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the last good reading when the feed becomes unreadable, and says why in the activity log', async () => {
    const file = path.join(dir, 'feed.txt');
    writeFileSync(file, 'a\nb\n');
    const activity = new RecordingActivity();
    const feed = lineFeed(file, activity);
    let refreshed = 0;
    feed.onRefresh(() => refreshed++);
    await feed.refresh();
    expect(feed.value).toEqual(['a', 'b']);
    expect(feed.lastReadAt).toBe(Date.parse('2026-12-07T00:00:00Z'));
    rmSync(file);
    await feed.refresh();
    expect(feed.value).toEqual(['a', 'b']);
    expect(feed.lastError).toMatch(/ENOENT/);
    expect(refreshed).toBe(1);
    expect(activity.entries).toEqual([expect.objectContaining({ level: 'error', message: expect.stringMatching(/^test feed .*feed\.txt unreadable: .*ENOENT/) })]);
  });

  it('takes a reading with unusable parts, and warns with them', async () => {
    const file = path.join(dir, 'feed.txt');
    writeFileSync(file, 'a\nbad\n');
    const activity = new RecordingActivity();
    const feed = lineFeed(file, activity);
    await feed.refresh();
    expect(feed.value).toEqual(['a']);
    expect(feed.lastError).toBe('a bad line');
    expect(activity.entries).toEqual([expect.objectContaining({ level: 'warn', message: 'test feed: a bad line' })]);
  });

  it('refreshes on its named timer from start until stop', async () => {
    const file = path.join(dir, 'feed.txt');
    writeFileSync(file, 'a\n');
    const timers = standaloneTimers();
    const feed = lineFeed(file, new RecordingActivity(), timers);
    await feed.start();
    expect(feed.value).toEqual(['a']);
    expect(timers.list().map((timer) => timer.name)).toEqual(['test.refresh']);
    feed.stop();
    expect(timers.list()).toEqual([]);
  });

  it('refuses an http URL off the allowed hosts without reading it', async () => {
    const activity = new RecordingActivity();
    const feed = new PeriodicFeed<string>({
      label: 'test feed', url: 'http://10.0.0.1/feed.ics', allowedHosts: ['127.0.0.1'], timerName: 'test.refresh', refreshMs: 60_000, maxBytes: 1_000,
      clock: Date.now, timers: standaloneTimers(), activity, initial: 'none', parse: (text) => ({ value: text, errors: [] }),
    });
    await feed.refresh();
    expect(feed.value).toBe('none');
    expect(feed.lastError).toMatch(/10\.0\.0\.1/);
  });
});
