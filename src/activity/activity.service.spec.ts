import type { ActivityQuery, ActivityRepository } from '../store/store.port';
import type { ActivityEntry, ActivityInput } from './activity';
import { ActivityService, BATCH_MAX, BATCH_WINDOW_MS } from './activity.service';

/** An in-memory repository that remembers each write (one call = one transaction). */
class RecordingRepository implements ActivityRepository {
  readonly writes: string[][] = [];
  private readonly rows: ActivityEntry[] = [];

  async append(input: ActivityInput, timestamp: string): Promise<ActivityEntry> {
    return (await this.appendMany([{ input, timestamp }]))[0];
  }

  async appendMany(items: readonly { input: ActivityInput; timestamp: string }[]): Promise<ActivityEntry[]> {
    this.writes.push(items.map((item) => item.input.message));
    const entries = items.map(({ input, timestamp }) => ({
      id: this.rows.length + 1, timestamp, category: input.category, level: input.level ?? 'info', scenario: input.scenario ?? null,
      preset: input.preset ?? null, actor: input.actor ?? null, message: input.message, data: input.data ?? null,
    }));
    this.rows.push(...entries);
    return entries;
  }

  async query(query: ActivityQuery): Promise<ActivityEntry[]> {
    return this.rows.slice(-query.limit).reverse();
  }

  async prune(): Promise<number> {
    return 0;
  }
}

const entry = (message: string): ActivityInput => ({ category: 'action', message, actor: 'system' });

describe('ActivityService batching', () => {
  let repository: RecordingRepository;
  let service: ActivityService;
  beforeEach(() => {
    jest.useFakeTimers();
    repository = new RecordingRepository();
    service = new ActivityService(repository);
  });
  afterEach(() => jest.useRealTimers());

  it('holds batched entries for the window, then writes them in one transaction', async () => {
    service.record(entry('a'), { batch: true });
    service.record(entry('b'), { batch: true });
    jest.advanceTimersByTime(BATCH_WINDOW_MS - 1);
    expect(repository.writes).toEqual([]);
    jest.advanceTimersByTime(1);
    await service.flush();
    expect(repository.writes).toEqual([['a', 'b']]);
  });

  it('writes an unbatched entry at once, after the batch that came before it', async () => {
    service.record(entry('result'), { batch: true });
    service.record(entry('user intent'));
    expect(repository.writes).toEqual([['result', 'user intent']]);
    jest.advanceTimersByTime(BATCH_WINDOW_MS * 2);
    await service.flush();
    expect(repository.writes).toHaveLength(1);
  });

  it('writes a full batch without waiting for the window', () => {
    for (let i = 0; i < BATCH_MAX; i++) service.record(entry(`r${i}`), { batch: true });
    expect(repository.writes).toHaveLength(1);
    expect(repository.writes[0]).toHaveLength(BATCH_MAX);
  });

  it('tells subscribers and the recent list in recording order, and query sees pending entries', async () => {
    const heard: string[] = [];
    service.on('entry', (stored: ActivityEntry) => heard.push(stored.message));
    service.record(entry('first'), { batch: true });
    service.record(entry('second'));
    service.record(entry('third'), { batch: true });
    const stored = await service.query({ limit: 10 });
    expect(stored.map((row) => row.message)).toEqual(['third', 'second', 'first']);
    expect(heard).toEqual(['first', 'second', 'third']);
    expect(service.latest(2).map((row) => row.message)).toEqual(['third', 'second']);
  });

  it('on close, also stores what was recorded while the last batch was being written', async () => {
    const slow = new RecordingRepository();
    const write = slow.appendMany.bind(slow);
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let calls = 0;
    // The first write waits until the test lets it finish.
    slow.appendMany = async (items) => {
      if (calls++ === 0) await gate;
      return write(items);
    };
    const closing = new ActivityService(slow);
    closing.record(entry('first'), { batch: true });
    const closed = closing.close();
    closing.record(entry('during close'), { batch: true });
    open();
    await closed;
    expect(slow.writes).toEqual([['first'], ['during close']]);
  });

  it('stores what is pending on close and ignores what comes after', async () => {
    service.record(entry('last result'), { batch: true });
    await service.close();
    service.record(entry('too late'), { batch: true });
    jest.advanceTimersByTime(BATCH_WINDOW_MS);
    expect(repository.writes).toEqual([['last result']]);
  });
});
