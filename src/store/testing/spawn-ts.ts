/** Runs a TypeScript file in a child Node process for crash tests, compiling on the fly with @swc/core. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/**
 * Spawns `node` on `script` with `args` (seen by the script as `process.argv[1..]`). The repo has no
 * ts-node; a require hook over @swc/core (already a dev dependency for jest) is enough for a test child.
 */
export function spawnTs(script: string, args: string[]): ChildProcessWithoutNullStreams {
  const swc = JSON.stringify(require.resolve('@swc/core'));
  const bootstrap = `
    const swc = require(${swc});
    const fs = require('node:fs');
    require.extensions['.ts'] = (module, filename) => {
      const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
        filename, module: { type: 'commonjs' }, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      });
      module._compile(code, filename);
    };
    require(${JSON.stringify(script)});
  `;
  return spawn(process.execPath, ['-e', bootstrap, ...args], { stdio: 'pipe' });
}
