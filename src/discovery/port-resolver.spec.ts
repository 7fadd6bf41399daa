import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeStandIn } from '../../test/support/stand-in-resolver';
import { PortResolverCache, RESOLVER_TIMEOUT_MS, runPortResolver } from './port-resolver';

const standIns: Array<{ remove: () => void }> = [];
afterAll(() => standIns.forEach((standIn) => standIn.remove()));

/** A fresh stand-in, removed after the suite. */
function standInFor(port?: number): ReturnType<typeof writeStandIn> {
  const standIn = writeStandIn(port);
  standIns.push(standIn);
  return standIn;
}

/** True once the process is gone or a zombie (dead, waiting to be reaped by init). */
function isDead(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Polls for death briefly: SIGKILL is delivered at once, but /proc is updated asynchronously. */
async function waitDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && !isDead(pid); i++) await new Promise((wake) => setTimeout(wake, 20));
  return isDead(pid);
}

describe('runPortResolver against a stand-in vrooli', () => {
  it('uses the printed port', async () => {
    const standIn = standInFor(4321);
    standIn.set('works');
    await expect(runPortResolver(standIn.template, 'alpha')).resolves.toEqual({ ok: true, url: 'http://127.0.0.1:4321' });
    expect(standIn.calls()).toEqual([expect.stringMatching(/^start alpha \d+$/)]);
  });

  it('kills a slow resolver after 2 s, with the child it spawned', async () => {
    const standIn = standInFor();
    standIn.set('slow');
    expect(RESOLVER_TIMEOUT_MS).toBe(2_000);
    await expect(runPortResolver(standIn.template, 'alpha')).resolves.toEqual({
      ok: false,
      reason: 'timed out after 2s (killed with its child processes)',
    });
    const child = Number(fs.readFileSync(path.join(standIn.dir, 'child.pid'), 'utf8'));
    await expect(waitDead(child)).resolves.toBe(true);
  });

  it('does not wait forever for a child that keeps the output open after the resolver exits, and kills it', async () => {
    const standIn = standInFor();
    standIn.set('orphan');
    const outcome = await runPortResolver(standIn.template, 'alpha', 300);
    expect(outcome).toEqual({ ok: false, reason: 'timed out after 0.3s (killed with its child processes)' });
    const child = Number(fs.readFileSync(path.join(standIn.dir, 'child.pid'), 'utf8'));
    await expect(waitDead(child)).resolves.toBe(true);
  });

  it('reports a failure with its stderr, trimmed onto one line', async () => {
    const standIn = standInFor();
    standIn.set('fail');
    await expect(runPortResolver(standIn.template, 'alpha')).resolves.toEqual({
      ok: false,
      reason: 'exited with code 2: Error: scenario alpha is not running hint: vrooli scenario start alpha',
    });
  });

  it('bounds a long stderr', async () => {
    const standIn = standInFor();
    standIn.set('noisy');
    const outcome = await runPortResolver(standIn.template, 'alpha');
    expect(outcome).toEqual({ ok: false, reason: `exited with code 1: ${'e'.repeat(197)}...` });
  });

  it('says what junk it printed, bounded', async () => {
    const standIn = standInFor();
    standIn.set('junk');
    const outcome = await runPortResolver(standIn.template, 'alpha');
    expect(outcome).toEqual({ ok: false, reason: `printed "<html>${'j'.repeat(71)}...", not a port or a URL` });
  });
});

describe('PortResolverCache', () => {
  it('goes slow, fails, prints junk, then works: failures are retried after 5 s, answers kept 60 s', async () => {
    const standIn = standInFor(4321);
    let now = 1_700_000_000_000;
    const cache = new PortResolverCache({ now: () => now });
    const ask = () => cache.run(standIn.template, 'alpha');

    standIn.set('slow');
    await expect(ask()).resolves.toMatchObject({ ok: false, reason: expect.stringContaining('timed out after 2s') });
    standIn.set('fail');
    now += 4_999;
    await expect(ask()).resolves.toMatchObject({ reason: expect.stringContaining('timed out') });
    expect(standIn.calls()).toHaveLength(1);

    now += 1;
    await expect(ask()).resolves.toMatchObject({ ok: false, reason: 'exited with code 2: Error: scenario alpha is not running hint: vrooli scenario start alpha' });
    standIn.set('junk');
    now += 5_000;
    await expect(ask()).resolves.toMatchObject({ ok: false, reason: expect.stringContaining('printed "<html>jjj') });
    standIn.set('works');
    now += 5_000;
    await expect(ask()).resolves.toEqual({ ok: true, url: 'http://127.0.0.1:4321' });
    expect(standIn.calls()).toHaveLength(4);

    standIn.set('fail');
    now += 59_999;
    await expect(ask()).resolves.toEqual({ ok: true, url: 'http://127.0.0.1:4321' });
    expect(standIn.calls()).toHaveLength(4);
    now += 1;
    await expect(ask()).resolves.toMatchObject({ ok: false });
    expect(standIn.calls()).toHaveLength(5);
  }, 20_000);

  it('keeps answers per scenario and per template', async () => {
    const standIn = standInFor(4321);
    standIn.set('works');
    const cache = new PortResolverCache({ now: () => 0 });
    await cache.run(standIn.template, 'alpha');
    await cache.run(standIn.template, 'beta');
    await cache.run(`${standIn.template} --json`, 'alpha');
    await cache.run(standIn.template, 'alpha');
    expect(standIn.calls().map((line) => line.split(' ')[1])).toEqual(['alpha', 'beta', 'alpha']);
  });

  it('shares one process between simultaneous asks for the same scenario', async () => {
    const standIn = standInFor(4321);
    standIn.set('works');
    const cache = new PortResolverCache({ now: () => 0 });
    const answers = await Promise.all([1, 2, 3].map(() => cache.run(standIn.template, 'alpha')));
    expect(answers).toEqual(Array(3).fill({ ok: true, url: 'http://127.0.0.1:4321' }));
    expect(standIn.calls()).toHaveLength(1);
  });

  it('runs at most 4 resolver processes at once', async () => {
    const standIn = standInFor();
    standIn.set('overlap');
    const cache = new PortResolverCache({ now: () => 0 });
    const ids = Array.from({ length: 10 }, (_, i) => `s${i}`);
    await Promise.all(ids.map((id) => cache.run(standIn.template, id)));
    const log = fs.readFileSync(path.join(standIn.dir, 'calls'), 'utf8').trim().split('\n');
    let running = 0;
    let most = 0;
    for (const line of log) {
      running += line.startsWith('start') ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(log.filter((line) => line.startsWith('start'))).toHaveLength(10);
    expect(most).toBeLessThanOrEqual(4);
    expect(most).toBeGreaterThan(1);
  }, 20_000);
});
