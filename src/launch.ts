/**
 * Process entry of `npm start` and of production: `node dist/src/launch.js [--demo]`. It runs the same code
 * as dist/src/main.js, from the one-file bundle `npm run build` writes to dist/server/, compiled through the
 * V8 code cache written beside it. Start-up is mostly module loading (bench/FINDINGS.md §4): resolving,
 * reading and compiling some 1,600 files of NestJS, class-validator and swagger. One file whose compiled
 * code is cached loads in a fraction of that. Without a bundle (a bare `tsc` build) it loads
 * dist/src/main.js, so every path still works, only slower.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import type * as ServerEntry from './main';

/** What the bundle exports: src/main.ts. */
export type ServerModule = typeof ServerEntry;

/** The bundle of dist/src/main.js and its dependencies (scripts/bundle-server.mjs writes both files). */
export const BUNDLE_FILE = path.join(__dirname, '..', 'server', 'main.js');
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
  if (!isBundleCurrent()) return { server: require('./main') as ServerModule, from: 'modules', cacheUsed: false, script: null };
  const cachedData = options.useCache === false ? undefined : readIfPresent(CODE_CACHE_FILE);
  const script = new vm.Script(Module.wrap(fs.readFileSync(BUNDLE_FILE, 'utf8')), {
    filename: BUNDLE_FILE,
    cachedData,
    // Dependencies keep a few `import()` calls (none on the server's paths); let them work as under require
    // where Node has the option (20.12 and later).
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const bundle = new Module(BUNDLE_FILE, module);
  bundle.filename = BUNDLE_FILE;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(bundle.exports, bundle.exports, Module.createRequire(BUNDLE_FILE), bundle, BUNDLE_FILE, path.dirname(BUNDLE_FILE));
  return { server: bundle.exports as ServerModule, from: 'bundle', cacheUsed: cachedData !== undefined && !script.cachedDataRejected, script };
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
