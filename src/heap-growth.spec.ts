import { isHeapGrowthGiven } from './heap-growth';

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
