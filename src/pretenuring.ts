/**
 * V8 "pretenures" an allocation site (an object or array literal in the code) once nearly all of its
 * objects outlived a young collection: from then on the site allocates straight in the old generation.
 * Start-up at 10,000 scenarios (discovery, the registry, the start-up pass) got sites pretenured that every
 * API request allocates from too (`--trace-pretenuring`: two were active under API load). Each request's
 * objects from those sites then sat in the old generation until a full collection and kept the young
 * objects they point to alive through young collections, so those were promoted as well: ~15 KB of each
 * /status request's ~22 KB reached the old generation, a full collection started every 200 ms, and the
 * route ran at half its speed at 100 scenarios. Without pretenuring nothing was promoted under the same
 * load (bench/FINDINGS.md, session 4).
 */
import * as v8 from 'node:v8';

/** Whether node was started with its own --[no-]allocation-site-pretenuring (which then wins). */
export function isPretenuringGiven(execArgv: readonly string[]): boolean {
  return execArgv.some((arg) => /^--(no-)?allocation[-_]site[-_]pretenuring(=|$)/.test(arg));
}

/**
 * Turns V8's allocation-site pretenuring off for this process unless node was told otherwise; true when it
 * did. Process-wide, so only a serving process calls it, after the bundle was compiled (V8 accepts a code
 * cache only under the flags it was written with).
 */
export function disablePretenuring(execArgv: readonly string[] = process.execArgv, setFlags: (flags: string) => void = v8.setFlagsFromString): boolean {
  if (isPretenuringGiven(execArgv)) return false;
  setFlags('--no-allocation-site-pretenuring');
  return true;
}
