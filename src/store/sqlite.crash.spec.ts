import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { checkIntegrity, openSqliteStore } from './open-store';
import { spawnTs } from './testing/spawn-ts';

/** Appends acknowledged before SIGKILL; enough that the kill lands while the writer is busy. */
const ACKS_BEFORE_KILL = 300;
/**
 * The parent stops reading this long before it kills, as a loaded machine does: the pipe fills and the
 * writer must wait for it rather than run ahead of its acknowledgements. No expectation depends on it:
 * with any lag, or none, the writer has at most one append written but not reported.
 */
const READER_LAG_MS = 1500;

describe('SqliteStore under kill -9', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'mo-crash-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every append the writer acknowledged, and the file stays sound', async () => {
    const child = spawnTs(join(__dirname, 'testing', 'append-child.ts'), [dir]);
    const stderr: string[] = [];
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));

    // Every line read here was written after the store's Promise resolved; lines still in the pipe at
    // the kill are read too, since they were acknowledged just the same.
    const acked = new Map<number, number>();
    let killed = false;
    for await (const line of createInterface({ input: child.stdout })) {
      const match = /^appended (\d+) (\d+)$/.exec(line);
      if (!match) continue;
      acked.set(Number(match[1]), Number(match[2]));
      if (!killed && acked.size >= ACKS_BEFORE_KILL) {
        await new Promise((resolve) => setTimeout(resolve, READER_LAG_MS));
        killed = child.kill('SIGKILL');
      }
    }
    expect({ exit: await exited, stderr: stderr.join('') }).toEqual({ exit: 'SIGKILL', stderr: '' });
    expect(acked.size).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);

    const store = await openSqliteStore(dir);
    try {
      expect(await checkIntegrity(store)).toBe('ok');
      const stored = new Map((await store.activity.query({ limit: Number.MAX_SAFE_INTEGER })).map((e) => [e.id, e]));
      const missing = [...acked].filter(([id, seq]) => stored.get(id)?.message !== `seq ${seq}` || stored.get(id)?.data?.seq !== seq);
      expect(missing).toEqual([]);
      // Whatever was written but not yet reported may or may not be there; nothing else may be.
      expect(stored.size - acked.size).toBeLessThanOrEqual(1);
    } finally {
      await store.close();
    }
  });
});
