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
 *   188-194 MB, with apply, stop-all and the API as fast. The price: a young generation that V8 shrinks
 *   while the process idles does not grow back, and API load after a minute of idle cost ~60 % more CPU
 *   per request (still about half the bare route's); `/metrics` renders ~25 % slower.
 *
 * A flag given to node (on its command line or in NODE_OPTIONS) wins over each. Both are set after the
 * bundle was compiled: V8 accepts a code cache only under the flags it was written with.
 */
import * as v8 from 'node:v8';

/** One setting: the flag to set, and the pattern of node arguments that means the user chose already. */
interface YoungGenerationSetting {
  flag: string;
  given: RegExp;
}

const SETTINGS: readonly YoungGenerationSetting[] = [
  { flag: '--no-allocation-site-pretenuring', given: /^--(no[-_]?)?allocation[-_]site[-_]pretenuring(=|$)/ },
  { flag: '--semi-space-growth-factor=1', given: /^--(semi[-_]space[-_]growth[-_]factor|max[-_]semi[-_]space[-_]size|min[-_]semi[-_]space[-_]size)(=|$)/ },
];

/** The arguments node was started with: its command line, then NODE_OPTIONS split on whitespace. */
export function nodeArguments(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/).filter(Boolean)];
}

/** The flags to set for a process started with `nodeArgs` (those node was not given a choice for). */
export function youngGenerationFlags(nodeArgs: readonly string[]): string[] {
  return SETTINGS.filter((setting) => !nodeArgs.some((arg) => setting.given.test(arg))).map((setting) => setting.flag);
}

/** Applies the settings to this process (process-wide: only a serving process calls it); returns the flags set. */
export function tuneYoungGeneration(nodeArgs: readonly string[], setFlags: (flags: string) => void = v8.setFlagsFromString): string[] {
  const flags = youngGenerationFlags(nodeArgs);
  for (const flag of flags) setFlags(flag);
  return flags;
}
