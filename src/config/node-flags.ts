/**
 * The V8 flags a serving orchestrator is started with, on node's command line where an operator sees them:
 * `npm start`, the `serve` command (bin/run.js) and the bench pass them. Each is measured at 10,000
 * scenarios in bench/FINDINGS.md; README's Configuration section says what each buys. The build writes the
 * bundle's code cache under them: V8 accepts a cache only under the flags it was written with, so a node
 * started without them still runs the server, compiling it afresh.
 */

/** The flags, in the order the launchers pass them. */
export const SERVER_NODE_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring', '--max-semi-space-size=8', '--heap-growing-percent=20'];

/** Whether a node started with `execArgv` (its command line before the script) runs with every one of the flags. */
export function hasServerNodeFlags(execArgv: readonly string[]): boolean {
  return SERVER_NODE_FLAGS.every((flag) => execArgv.includes(flag));
}
