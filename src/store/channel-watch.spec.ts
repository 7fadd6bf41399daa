import { coalesced } from './channel-watch';

describe('coalesced', () => {
  it('runs one read at a time, and once more after it for every burst of calls made meanwhile', async () => {
    let reads = 0;
    const gates: (() => void)[] = [];
    const read = coalesced(async () => {
      reads++;
      await new Promise<void>((resolve) => gates.push(resolve));
    });
    const first = read();
    const during = [read(), read(), read()];
    expect(reads).toBe(1);
    gates.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    // The three calls made during the first read share one more read.
    expect(reads).toBe(2);
    gates.shift()!();
    await Promise.all([first, ...during]);
    expect(reads).toBe(2);
    const later = read();
    expect(reads).toBe(3);
    gates.shift()!();
    await later;
  });

  it('keeps going after a failed read', async () => {
    let calls = 0;
    const read = coalesced(async () => {
      calls++;
      if (calls === 1) throw new Error('database away');
    });
    await expect(read()).rejects.toThrow('database away');
    await expect(read()).resolves.toBeUndefined();
  });
});
