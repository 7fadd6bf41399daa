import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { hasServerNodeFlags, SERVER_NODE_FLAGS } from './node-flags';

describe('the server V8 flags', () => {
  it('are the ones `npm start` gives node, before the script', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(manifest.scripts.start).toBe(`node ${SERVER_NODE_FLAGS.join(' ')} dist/src/launch.js --demo`);
  });

  it.each([
    [[...SERVER_NODE_FLAGS], true],
    [['--cpu-prof', ...SERVER_NODE_FLAGS, '--require', 'x.js'], true],
    [SERVER_NODE_FLAGS.slice(1), false],
    [[], false],
  ])('counts as given only when node has every one of them: %j', (execArgv, given) => {
    expect(hasServerNodeFlags(execArgv)).toBe(given);
  });
});
