#!/usr/bin/env node
/**
 * Build step after tsc: bundles dist/src/main.js and its dependencies into dist/server/main.js, then writes
 * V8's code cache of it (dist/server/main.cache). dist/src/launch.js, which `npm start` runs, loads the two:
 * a start then reads one file and skips most compiling, where loading ~1,600 modules was most of it
 * (bench/FINDINGS.md §4). The bundle's source map (dist/server/main.js.map) leads back to src/*.ts, so
 * launch.ts can name the TypeScript line of each of the server's own stack frames.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'server');
const mapFile = path.join(outDir, 'main.js.map');

// Kept as files: a native addon; swagger-ui-dist, whose assets are served from its own folder on disk; pino
// and thread-stream, whose transports (pino-pretty on a terminal) start worker threads from their own files.
const EXTERNAL = ['better-sqlite3', 'swagger-ui-dist', 'pino', 'thread-stream'];
// Optional integrations that NestJS, terminus and pino require only when used (none are installed).
const OPTIONAL = /^(@nestjs\/(microservices|websockets|mongoose|sequelize|typeorm|axios)|@mikro-orm\/|@grpc\/|@apollo\/|@fastify\/|fastify|mongoose|sequelize|typeorm|kafkajs|mqtt|nats|ioredis|amqp|amqplib|amqp-connection-manager|pino-pretty|cache-manager|@as-integrations\/|prisma|@prisma\/)/;

/** The digits of source map numbers (base64 VLQ). */
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Hands rolldown the map tsc wrote beside each compiled file of ours, so the bundle's map goes through it
 * to the .ts source instead of stopping at dist/src/*.js.
 */
const compiledSourceMaps = {
  name: 'compiled-source-maps',
  load(id) {
    if (id.includes(`${path.sep}node_modules${path.sep}`) || !id.endsWith('.js') || !existsSync(`${id}.map`)) return null;
    return { code: readFileSync(id, 'utf8'), map: readFileSync(`${id}.map`, 'utf8') };
  },
};

rmSync(outDir, { recursive: true, force: true });
const started = Date.now();
await build({
  input: path.join(root, 'dist', 'src', 'main.js'),
  platform: 'node',
  plugins: [compiledSourceMaps],
  external: (id) => EXTERNAL.some((name) => id === name || id.startsWith(`${name}/`)) || OPTIONAL.test(id),
  // Unresolvable optional requires sit in try/catch in the libraries: not worth a warning each.
  onLog(level, log, handler) {
    if (log.code === 'UNRESOLVED_IMPORT' || log.code === 'EVAL' || log.code === 'CIRCULAR_DEPENDENCY') return;
    handler(level, log);
  },
  output: { file: path.join(outDir, 'main.js'), format: 'cjs', keepNames: true, codeSplitting: false, sourcemap: true, sourcemapExcludeSources: true, charset: 'ascii', comments: { legal: true, annotation: false, jsdoc: false }, minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } } },
});
const kept = ownSourcesOnly(mapFile);
// In a child, under the node flags the server is started with (V8 accepts a code cache only under the flags
// it was written with): priming runs the bundle's module code, which must not stay in this build process.
const { SERVER_NODE_FLAGS } = await import(path.join(root, 'dist', 'src', 'config', 'node-flags.js'));
const cache = execFileSync(process.execPath, [...SERVER_NODE_FLAGS, '-e', "process.stdout.write(String(require('./dist/src/launch.js').writeCodeCache().bytes))"], { cwd: root, encoding: 'utf8' });
process.stdout.write(`dist/server/main.js bundled (source map of ${kept} files of ours), code cache ${Math.round(Number(cache) / 1024)} KiB, in ${Date.now() - started} ms\n`);

/**
 * Cuts the bundle's map down to our own files: a stack frame in a dependency stays a bundle position. The
 * whole map (1,600 files) took Node's SourceMap 1.3 s and 126 MB to read, paid at the first stack trace.
 * Returns how many files the map keeps.
 */
function ownSourcesOnly(file) {
  const map = JSON.parse(readFileSync(file, 'utf8'));
  const isOwn = map.sources.map((source) => !source.split(/[\\/]/).includes('node_modules'));
  const index = new Map();
  const sources = [];
  map.sources.forEach((source, i) => {
    if (!isOwn[i]) return;
    index.set(i, sources.length);
    sources.push(source);
  });
  // Fields are deltas: the column from the line's previous segment, the others from the map's previous one.
  const last = { source: 0, line: 0, column: 0 };
  const written = { source: 0, line: 0, column: 0 };
  const lines = map.mappings.split(';').map((line) => {
    let generated = 0;
    let writtenGenerated = 0;
    let mapped = false;
    const out = [];
    for (const segment of line ? line.split(',') : []) {
      const fields = decodeVlq(segment);
      generated += fields[0];
      if (fields.length > 1) {
        last.source += fields[1];
        last.line += fields[2];
        last.column += fields[3];
      }
      if (fields.length > 1 && index.has(last.source)) {
        const source = index.get(last.source);
        out.push(encodeVlq([generated - writtenGenerated, source - written.source, last.line - written.line, last.column - written.column]));
        Object.assign(written, { source, line: last.line, column: last.column });
        mapped = true;
      } else if (mapped) {
        // A one-field segment: from here on the line maps to nothing, until our code again.
        out.push(encodeVlq([generated - writtenGenerated]));
        mapped = false;
      } else continue;
      writtenGenerated = generated;
    }
    return out.join(',');
  });
  writeFileSync(file, JSON.stringify({ version: 3, file: map.file, sources, names: [], mappings: lines.join(';') }));
  return sources.length;
}

/** The numbers of one source map segment (base64 VLQ: 5 bits a digit, sign in the lowest bit). */
function decodeVlq(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

function encodeVlq(values) {
  let text = '';
  for (const number of values) {
    let value = number < 0 ? (-number << 1) | 1 : number << 1;
    do {
      let digit = value & 31;
      value >>>= 5;
      if (value > 0) digit |= 32;
      text += BASE64[digit];
    } while (value > 0);
  }
  return text;
}
