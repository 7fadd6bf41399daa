/**
 * Process entry of `npm start` and of production: `node dist/src/launch.js [--demo]`. It runs the same code
 * as dist/src/main.js, from the one-file bundle `npm run build` writes to dist/server/, compiled through the
 * V8 code cache written beside it. Start-up is mostly module loading (bench/FINDINGS.md §4): resolving,
 * reading and compiling some 1,600 files of NestJS, class-validator and swagger. One file whose compiled
 * code is cached loads in a fraction of that. Without a bundle (a bare `tsc` build) it loads
 * dist/src/main.js, so every path still works, only slower. Either way, stack traces name the src/*.ts
 * line of the server's own frames.
 */
import * as fs from 'node:fs';
import Module, { SourceMap } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type * as ServerEntry from './main';

/** What the bundle exports: src/main.ts. */
export type ServerModule = typeof ServerEntry;

/** The bundle of dist/src/main.js and its dependencies (scripts/bundle-server.mjs writes both files). */
export const BUNDLE_FILE = path.join(__dirname, '..', 'server', 'main.js');
/** The bundle's source map, which leads to src/*.ts and keeps only our own files. */
export const SOURCE_MAP_FILE = `${BUNDLE_FILE}.map`;
/** V8's compiled code of the bundle after its modules ran once, written at build time. */
export const CODE_CACHE_FILE = path.join(__dirname, '..', 'server', 'main.cache');

/** How the server code was loaded, for the build's check and for tests. */
export interface LoadedServer {
  server: ServerModule;
  from: 'bundle' | 'modules';
  /** True when the code cache was present and V8 accepted it (same Node version and flags). */
  cacheUsed: boolean;
  script: vm.Script | null;
}

/** Loads the server code: the bundle with its code cache when built, else the compiled modules. */
export function loadServer(options: { useCache?: boolean } = {}): LoadedServer {
  if (!isBundleCurrent()) {
    // Node maps the stacks of the modules it loads itself, through the maps tsc writes beside them.
    process.setSourceMapsEnabled(true);
    return { server: require('./main') as ServerModule, from: 'modules', cacheUsed: false, script: null };
  }
  const cachedData = options.useCache === false ? undefined : readIfPresent(CODE_CACHE_FILE);
  // The wrapper goes on a line of its own, taken back by lineOffset: positions in stack traces are the bundle's own.
  const script = new vm.Script(Module.wrap(`\n${fs.readFileSync(BUNDLE_FILE, 'utf8')}`), {
    filename: BUNDLE_FILE,
    lineOffset: -1,
    cachedData,
    // Dependencies keep a few `import()` calls (none on the server's paths); let them work as under require
    // where Node has the option (20.12 and later).
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  mapBundleStackTraces();
  const bundle = new Module(BUNDLE_FILE, module);
  bundle.filename = BUNDLE_FILE;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(bundle.exports, bundle.exports, Module.createRequire(BUNDLE_FILE), bundle, BUNDLE_FILE, path.dirname(BUNDLE_FILE));
  return { server: bundle.exports as ServerModule, from: 'bundle', cacheUsed: cachedData !== undefined && !script.cachedDataRejected, script };
}

/**
 * Names the src/*.ts position of the bundle's frames in this process's stack traces. Node maps only code its
 * own loader compiled (--enable-source-maps); the bundle is compiled here, from the code cache, which
 * Node 20's loader cannot take. So the frames are mapped here, with node:module's SourceMap, read at the
 * first stack trace that has a frame of the bundle. Other frames (Node, external packages) keep V8's form.
 */
export function mapBundleStackTraces(bundleFile = BUNDLE_FILE, mapFile = `${bundleFile}.map`): void {
  let map: SourceMap | null | undefined;
  const sourceMap = (): SourceMap | null => {
    if (map !== undefined) return map;
    try {
      map = new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8')));
    } catch {
      map = null;
    }
    return map;
  };
  const frameText = (frame: NodeJS.CallSite): string => {
    const text = String(frame);
    const line = frame.getLineNumber();
    const column = frame.getColumnNumber();
    if (frame.getFileName() !== bundleFile || line === null || column === null) return text;
    const entry = sourceMap()?.findEntry(line - 1, column - 1);
    // A position before the first mapping of its line is a dependency's, whatever entry the search found.
    if (!entry || !('originalSource' in entry) || !entry.originalSource || entry.generatedLine !== line - 1) return text;
    const source = path.resolve(path.dirname(mapFile), entry.originalSource);
    return text.replace(`${bundleFile}:${line}:${column}`, `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
  };
  Error.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => [errorHeader(error), ...frames.map((frame) => `    at ${frameText(frame)}`)].join('\n');
}

/** V8's first line of a stack trace: `Name: message`. */
function errorHeader(error: unknown): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}

/**
 * Build step: loads the bundle once (its modules run, main does not) and writes V8's code for every function
 * compiled so far, so the next start skips parsing and compiling them.
 */
export function writeCodeCache(): { bytes: number } {
  const { script } = loadServer({ useCache: false });
  if (!script) throw new Error(`${BUNDLE_FILE} is missing: the bundle is written by scripts/bundle-server.mjs`);
  const data = script.createCachedData();
  fs.writeFileSync(CODE_CACHE_FILE, data);
  return { bytes: data.length };
}

/**
 * A bundle older than the compiled modules (a `tsc` run after the last full build, as `tsc -w` does) would
 * run yesterday's code: the modules win then.
 */
function isBundleCurrent(): boolean {
  try {
    return fs.statSync(BUNDLE_FILE).mtimeMs >= fs.statSync(path.join(__dirname, 'main.js')).mtimeMs;
  } catch {
    return false;
  }
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

if (require.main === module) void loadServer().server.main();
