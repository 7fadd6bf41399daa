import { nodeArguments, tuneYoungGeneration, youngGenerationFlags } from './young-generation';

const PRETENURING = '--no-allocation-site-pretenuring';
const GROWTH = '--semi-space-growth-factor=1';

describe('youngGenerationFlags', () => {
  it.each<[string[], string[]]>([
    [[], [PRETENURING, GROWTH]],
    [['--max-old-space-size=512', '--heap-growing-percent=50'], [PRETENURING, GROWTH]],
    [['--allocation-site-pretenuring'], [GROWTH]],
    [['--no-allocation-site-pretenuring'], [GROWTH]],
    [['--allocation_site_pretenuring=false'], [GROWTH]],
    [['--no_allocation_site_pretenuring'], [GROWTH]],
    [['--noallocation-site-pretenuring'], [GROWTH]],
    [['--allocation-site-pretenuring-extra'], [PRETENURING, GROWTH]],
    [['--semi-space-growth-factor=2'], [PRETENURING]],
    [['--max-semi-space-size=32'], [PRETENURING]],
    [['--min_semi_space_size=4'], [PRETENURING]],
    [['--allocation-site-pretenuring', '--max-semi-space-size=32'], []],
  ])('%j -> %j', (execArgv, flags) => {
    expect(youngGenerationFlags(execArgv)).toEqual(flags);
  });
});

describe('nodeArguments', () => {
  it('reads the command line and NODE_OPTIONS', () => {
    const nodeArgs = nodeArguments(['--enable-source-maps'], ' --max-semi-space-size=64  --require x.js ');
    expect(nodeArgs).toEqual(['--enable-source-maps', '--max-semi-space-size=64', '--require', 'x.js']);
    expect(youngGenerationFlags(nodeArgs)).toEqual([PRETENURING]);
    expect(nodeArguments([], undefined)).toEqual([]);
  });
});

describe('tuneYoungGeneration', () => {
  it('sets each flag node was not given', () => {
    const set: string[] = [];
    expect(tuneYoungGeneration(['--max-semi-space-size=32'], (flags) => set.push(flags))).toEqual([PRETENURING]);
    expect(set).toEqual([PRETENURING]);
  });
});
