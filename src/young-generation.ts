/**
 * Two settings of V8's young generation for a serving process, each measured at 10,000 scenarios
 * (bench/FINDINGS.md, session 4):
 *
 * - No allocation-site pretenuring. V8 "pretenures" an allocation site (an object or array literal) once
 *   nearly all its objects outlived a young collection: the site then allocates straight in the old
 *   generation. Start-up at 10,000 scenarios (discovery, the registry, the start-up pass) got sites
 *   pretenured that every API request allocates from too (`--trace-pretenuring`: two were active under API
 *   load). Each request's objects from those sites sat in the old generation until a full collection and
 *   kept the young objects they point to alive, so those were promoted as well: ~15 KB of each /status
 *   request's ~22 KB, a full collection every 200 ms, and half the route's rate at 100 scenarios. Without
 *   pretenuring nothing was promoted under the same load.
 * - The young generation keeps the size it reached while the server loaded (8 MB semi-spaces here) instead
 *   of doubling to V8's 16 MB during a mass action: peak RSS after apply and stop-all 176-185 MB instead of
 *   188-194 MB, with apply, stop-all and the API as fast.
 *
 * A flag given to node wins over each. Both are set after the bundle was compiled: V8 accepts a code cache
 * only under the flags it was written with.
 */
import * as v8 from 'node:v8';

/** One setting: the flag to set, and the pattern of node arguments that means the user chose already. */
interface YoungGenerationSetting {
  flag: string;
  given: RegExp;
}

const SETTINGS: readonly YoungGenerationSetting[] = [
  { flag: '--no-allocation-site-pretenuring', given: /^--(no-)?allocation[-_]site[-_]pretenuring(=|$)/ },
  { flag: '--semi-space-growth-factor=1', given: /^--(semi[-_]space[-_]growth[-_]factor|max[-_]semi[-_]space[-_]size|min[-_]semi[-_]space[-_]size)(=|$)/ },
];

/** The flags to set for a process started with `execArgv` (those node was not given a choice for). */
export function youngGenerationFlags(execArgv: readonly string[]): string[] {
  return SETTINGS.filter((setting) => !execArgv.some((arg) => setting.given.test(arg))).map((setting) => setting.flag);
}

/** Applies the settings to this process (process-wide: only a serving process calls it); returns the flags set. */
export function tuneYoungGeneration(execArgv: readonly string[] = process.execArgv, setFlags: (flags: string) => void = v8.setFlagsFromString): string[] {
  const flags = youngGenerationFlags(execArgv);
  for (const flag of flags) setFlags(flag);
  return flags;
}
