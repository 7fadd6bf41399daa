import { HeapGrowthGovernor, heapGrowingPercent, isHeapGrowthGiven, MASS_ACTION_HEAP_GROWING_PERCENT, STEADY_HEAP_GROWING_PERCENT } from './heap-growth';

const MASS = MASS_ACTION_HEAP_GROWING_PERCENT;
const STEADY = STEADY_HEAP_GROWING_PERCENT;

describe('isHeapGrowthGiven', () => {
  it.each<[string[], boolean]>([
    [[], false],
    [['--max-old-space-size=512', '--enable-source-maps'], false],
    [['--heap-growing-percent=50'], true],
    [['--heap_growing_percent=0'], true],
    [['--heap-growing-percent'], true],
    [['--heap-growing-percentage=5'], false],
  ])('%j -> %s', (execArgv, given) => {
    expect(isHeapGrowthGiven(execArgv)).toBe(given);
  });
});

describe('heapGrowingPercent', () => {
  it.each<[number, number, number]>([
    [0, 0, STEADY],
    [10_000, STEADY, MASS],
    [500, STEADY, MASS],
    [499, STEADY, STEADY],
    [300, MASS, MASS],
    [100, MASS, MASS],
    [99, MASS, STEADY],
  ])('%d calls queued, bound %d now -> %d', (calls, current, next) => {
    expect(heapGrowingPercent(calls, current)).toBe(next);
  });
});

describe('HeapGrowthGovernor', () => {
  it('sets the bound at start and on each change of regime only, and leaves a bound node was given', async () => {
    let calls = 0;
    const applied: number[] = [];
    const governor = new HeapGrowthGovernor(() => calls, (percent) => applied.push(percent));
    governor.start([]);
    expect(applied).toEqual([STEADY]);
    calls = 10_000;
    await new Promise((resolve) => setTimeout(resolve, 450));
    calls = 0;
    await new Promise((resolve) => setTimeout(resolve, 450));
    governor.stop();
    expect(applied).toEqual([STEADY, MASS, STEADY]);

    const untouched: number[] = [];
    const given = new HeapGrowthGovernor(() => 10_000, (percent) => untouched.push(percent));
    given.start(['--heap-growing-percent=80']);
    given.stop();
    expect(untouched).toEqual([]);
  });
});
