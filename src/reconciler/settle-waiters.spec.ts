import { SettleWaiters } from './settle-waiters';

describe('SettleWaiters', () => {
  it('resolves once every id settled, checking only the one that changed', async () => {
    const settled = new Set<string>(['a']);
    const waiters = new SettleWaiters((id) => settled.has(id));
    let done = false;
    const waiting = waiters.wait(['a', 'b', 'c'], 10_000).then(() => (done = true));
    settled.add('b');
    waiters.check('b');
    await Promise.resolve();
    expect(done).toBe(false);
    settled.add('c');
    waiters.check('c');
    await waiting;
    expect(done).toBe(true);
  });

  it('resolves at once when nothing is pending, and after the timeout otherwise', async () => {
    const waiters = new SettleWaiters(() => false);
    await expect(new SettleWaiters(() => true).wait(['a'], 10_000)).resolves.toBeUndefined();
    const started = Date.now();
    await waiters.wait(['a'], 30);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });
});
