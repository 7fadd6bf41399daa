import { disablePretenuring, isPretenuringGiven } from './pretenuring';

describe('isPretenuringGiven', () => {
  it.each<[string[], boolean]>([
    [[], false],
    [['--max-old-space-size=512', '--heap-growing-percent=50'], false],
    [['--no-allocation-site-pretenuring'], true],
    [['--allocation-site-pretenuring'], true],
    [['--allocation_site_pretenuring=false'], true],
    [['--allocation-site-pretenuring-extra'], false],
  ])('%j -> %s', (execArgv, given) => {
    expect(isPretenuringGiven(execArgv)).toBe(given);
  });
});

describe('disablePretenuring', () => {
  it('sets the flag unless node was given one', () => {
    const set: string[] = [];
    expect(disablePretenuring([], (flags) => set.push(flags))).toBe(true);
    expect(set).toEqual(['--no-allocation-site-pretenuring']);
    expect(disablePretenuring(['--allocation-site-pretenuring'], (flags) => set.push(flags))).toBe(false);
    expect(set).toHaveLength(1);
  });
});
