import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_POLICY } from '../presets/schema';
import { resourceGate, type HostLoad } from './gates';
import { FixedHostLoadProbe, SystemHostLoadProbe } from './host-load';

/** A PSI file as kernels since 5.13 write it (`full` on the CPU line too). */
const psi = (someAvg10: string) => `some avg10=${someAvg10} avg60=4.10 avg300=1.00 total=123456\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n`;
const meminfo = (totalKb: number, availableKb: number) =>
  `MemTotal:       ${totalKb} kB\nMemFree:         1000 kB\nMemAvailable:   ${availableKb} kB\nBuffers:          100 kB\n`;

/** A fake `/proc` root holding exactly the given files. */
function procRoot(files: Record<string, string | 'directory'>): string {
  const root = mkdtempSync(join(tmpdir(), 'mo-proc-'));
  roots.push(root);
  mkdirSync(join(root, 'pressure'));
  for (const [name, text] of Object.entries(files)) {
    if (text === 'directory') mkdirSync(join(root, name));
    else writeFileSync(join(root, name), text);
  }
  return root;
}
const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

describe('SystemHostLoadProbe', () => {
  it('reads CPU and memory from pressure-stall information when the kernel has it', () => {
    const root = procRoot({ 'pressure/cpu': psi('95.20'), 'pressure/memory': psi('3.50'), loadavg: '9.00 9.00 9.00 5/300 42\n', meminfo: meminfo(1000, 10) });
    expect(new SystemHostLoadProbe(root, 2).read()).toEqual({ cpuLoadPercent: 95.2, cpuSignal: 'psi-some-avg10', memoryPercent: 3.5, memorySignal: 'psi-some-avg10' });
  });

  it('reads the older kernels’ CPU file, which has no `full` line', () => {
    const root = procRoot({ 'pressure/cpu': 'some avg10=12.95 avg60=16.10 avg300=8.46 total=41858984\n', loadavg: '9.00 9.00 9.00 5/300 42\n' });
    expect(new SystemHostLoadProbe(root, 2).read()).toMatchObject({ cpuLoadPercent: 12.95, cpuSignal: 'psi-some-avg10' });
  });

  it('falls back to the load average per core and MemAvailable without PSI', () => {
    const root = procRoot({ loadavg: '3.00 2.00 1.00 2/300 1234\n', meminfo: meminfo(1000, 250) });
    expect(new SystemHostLoadProbe(root, 2).read()).toEqual({ cpuLoadPercent: 150, cpuSignal: 'loadavg-per-core', memoryPercent: 75, memorySignal: 'meminfo-available' });
  });

  it.each([
    ['a word for the number', 'some avg10=abc avg60=0.00 avg300=0.00 total=0\n'],
    ['an empty file', ''],
    ['no `some` line', 'full avg10=50.00 avg60=0.00 avg300=0.00 total=0\n'],
    ['no avg10 field', 'some avg60=50.00 avg300=0.00 total=0\n'],
    ['a share above 100%', 'some avg10=150.00 avg60=0.00 avg300=0.00 total=0\n'],
    ['a negative share', 'some avg10=-1.00 avg60=0.00 avg300=0.00 total=0\n'],
    ['an empty value', 'some avg10= avg60=0.00 avg300=0.00 total=0\n'],
    ['text that is not PSI at all', '\u0000\u0001 binary junk'],
    ['a file that cannot be read', 'directory'],
  ])('falls back cleanly from a PSI file with %s', (_, text) => {
    const root = procRoot({ 'pressure/cpu': text, 'pressure/memory': text, loadavg: '1.00 1.00 1.00 1/100 7\n', meminfo: meminfo(2000, 1000) });
    expect(new SystemHostLoadProbe(root, 4).read()).toEqual({ cpuLoadPercent: 25, cpuSignal: 'loadavg-per-core', memoryPercent: 50, memorySignal: 'meminfo-available' });
  });

  it.each([
    ['no MemAvailable line', 'MemTotal:       1000 kB\nMemFree:         500 kB\n'],
    ['MemAvailable above MemTotal', meminfo(1000, 2000)],
    ['a zero MemTotal', meminfo(0, 0)],
    ['a word for the number', 'MemTotal:       lots kB\nMemAvailable:   some kB\n'],
  ])('falls back to the OS figure from a meminfo with %s', (_, text) => {
    const load = new SystemHostLoadProbe(procRoot({ meminfo: text }), 2).read();
    expect(load.memorySignal).toBe('os-free-memory');
    expect(load.memoryPercent).toBeGreaterThanOrEqual(0);
    expect(load.memoryPercent).toBeLessThanOrEqual(100);
  });

  it('never throws when the root holds nothing, and still names a signal for each figure', () => {
    const load = new SystemHostLoadProbe(join(tmpdir(), 'mo-proc-that-does-not-exist'), 2).read();
    expect(load).toMatchObject({ cpuSignal: 'loadavg-per-core', memorySignal: 'os-free-memory' });
    expect(Number.isFinite(load.cpuLoadPercent) && Number.isFinite(load.memoryPercent)).toBe(true);
  });

  it('takes the OS load average when the loadavg file is garbled', () => {
    const load = new SystemHostLoadProbe(procRoot({ loadavg: 'not a number\n' }), 2).read();
    expect(load.cpuSignal).toBe('loadavg-per-core');
    expect(Number.isFinite(load.cpuLoadPercent) && load.cpuLoadPercent >= 0).toBe(true);
  });

  it('reads the real /proc by default with finite figures', () => {
    const load = new SystemHostLoadProbe().read();
    expect(Number.isFinite(load.cpuLoadPercent) && Number.isFinite(load.memoryPercent)).toBe(true);
    expect(load.cpuSignal).toBeDefined();
    expect(load.memorySignal).toBeDefined();
  });
});

describe('FixedHostLoadProbe', () => {
  it('names the fallback signals for a bare figure and keeps a signal it is given', () => {
    expect(new FixedHostLoadProbe({ cpuLoadPercent: 5, memoryPercent: 6 }).read()).toEqual({ cpuLoadPercent: 5, cpuSignal: 'loadavg-per-core', memoryPercent: 6, memorySignal: 'meminfo-available' });
    expect(new FixedHostLoadProbe({ cpuLoadPercent: 5, cpuSignal: 'psi-some-avg10', memoryPercent: 6, memorySignal: 'psi-some-avg10' }).read()).toMatchObject({ cpuSignal: 'psi-some-avg10', memorySignal: 'psi-some-avg10' });
  });
});

describe('resourceGate names the signal and the value', () => {
  const policy = { ...DEFAULT_POLICY, resourceLimits: { cpuLoadPercent: 90, memoryPercent: 80 } };
  it.each<[string, HostLoad, string | null]>([
    ['PSI CPU over', { cpuLoadPercent: 95.24, cpuSignal: 'psi-some-avg10', memoryPercent: 0 }, "CPU pressure (PSI some avg10) 95.2% is above the policy's 90%"],
    ['load per core over', { cpuLoadPercent: 150, cpuSignal: 'loadavg-per-core', memoryPercent: 0 }, "CPU load (1-minute load average per core) 150% is above the policy's 90%"],
    ['PSI memory over', { cpuLoadPercent: 0, memoryPercent: 81.5, memorySignal: 'psi-some-avg10' }, "memory pressure (PSI some avg10) 81.5% is above the policy's 80%"],
    ['MemAvailable over', { cpuLoadPercent: 0, memoryPercent: 93, memorySignal: 'meminfo-available' }, "memory in use (MemTotal - MemAvailable) 93% is above the policy's 80%"],
    ['OS free memory over', { cpuLoadPercent: 0, memoryPercent: 93, memorySignal: 'os-free-memory' }, "memory in use (total - free) 93% is above the policy's 80%"],
    [
      'both over',
      { cpuLoadPercent: 91, cpuSignal: 'psi-some-avg10', memoryPercent: 85, memorySignal: 'meminfo-available' },
      "CPU pressure (PSI some avg10) 91% is above the policy's 90%; memory in use (MemTotal - MemAvailable) 85% is above the policy's 80%",
    ],
    ['a bare figure, in plain words', { cpuLoadPercent: 97, memoryPercent: 0 }, "CPU load 97% is above the policy's 90%"],
    ['at the limits', { cpuLoadPercent: 90, cpuSignal: 'psi-some-avg10', memoryPercent: 80, memorySignal: 'psi-some-avg10' }, null],
    ['below the limits', { cpuLoadPercent: 12.95, cpuSignal: 'psi-some-avg10', memoryPercent: 3, memorySignal: 'psi-some-avg10' }, null],
  ])('%s', (_, host, message) => {
    expect(resourceGate(host, policy)).toEqual(message === null ? null : { reason: 'ResourcePressure', message });
  });

  it('blocks with the signal the real probe read: a busy PSI host names PSI, a host without PSI names the load average', () => {
    const withPsi = new SystemHostLoadProbe(procRoot({ 'pressure/cpu': psi('95.20'), 'pressure/memory': psi('0.00'), loadavg: '0.10 0.10 0.10 1/100 7\n' }), 2);
    expect(resourceGate(withPsi.read(), policy)?.message).toBe("CPU pressure (PSI some avg10) 95.2% is above the policy's 90%");
    const withoutPsi = new SystemHostLoadProbe(procRoot({ loadavg: '4.00 1.00 1.00 1/100 7\n', meminfo: meminfo(1000, 900) }), 2);
    expect(resourceGate(withoutPsi.read(), policy)?.message).toBe("CPU load (1-minute load average per core) 200% is above the policy's 90%");
  });

  it('lets a busy-looking load average through when PSI says nothing waits', () => {
    const root = procRoot({ 'pressure/cpu': psi('12.95'), 'pressure/memory': psi('0.00'), loadavg: '8.00 8.00 8.00 9/300 42\n', meminfo: meminfo(1000, 50) });
    expect(resourceGate(new SystemHostLoadProbe(root, 2).read(), policy)).toBeNull();
  });
});
