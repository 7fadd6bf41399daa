#!/usr/bin/env node
/**
 * Build step after tsc: bundles dist/src/main.js and its dependencies into dist/server/main.js, then writes
 * V8's code cache of it (dist/server/main.cache). dist/src/launch.js, which `npm start` runs, loads the two:
 * a start then reads one file and skips most compiling, where loading ~1,600 modules was most of it
 * (bench/FINDINGS.md §4).
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist', 'server');

// Kept as files: a native addon; swagger-ui-dist, whose assets are served from its own folder on disk; pino
// and thread-stream, whose transports (pino-pretty on a terminal) start worker threads from their own files.
const EXTERNAL = ['better-sqlite3', 'swagger-ui-dist', 'pino', 'thread-stream'];
// Optional integrations that NestJS, terminus and pino require only when used (none are installed).
const OPTIONAL = /^(@nestjs\/(microservices|websockets|mongoose|sequelize|typeorm|axios)|@mikro-orm\/|@grpc\/|@apollo\/|@fastify\/|fastify|mongoose|sequelize|typeorm|kafkajs|mqtt|nats|ioredis|amqp|amqplib|amqp-connection-manager|pino-pretty|cache-manager|@as-integrations\/|prisma|@prisma\/)/;

rmSync(outDir, { recursive: true, force: true });
const started = Date.now();
await build({
  input: path.join(root, 'dist', 'src', 'main.js'),
  platform: 'node',
  external: (id) => EXTERNAL.some((name) => id === name || id.startsWith(`${name}/`)) || OPTIONAL.test(id),
  // Unresolvable optional requires sit in try/catch in the libraries: not worth a warning each.
  onLog(level, log, handler) {
    if (log.code === 'UNRESOLVED_IMPORT' || log.code === 'EVAL' || log.code === 'CIRCULAR_DEPENDENCY') return;
    handler(level, log);
  },
  output: { file: path.join(outDir, 'main.js'), format: 'cjs', keepNames: true, codeSplitting: false, sourcemap: true, charset: 'ascii', comments: { legal: true, annotation: false, jsdoc: false }, minify: { compress: false, mangle: false, codegen: { removeWhitespace: true } } },
});
// In a child: priming runs the bundle's module code, which must not stay in this build process.
const cache = execFileSync(process.execPath, ['-e', "process.stdout.write(String(require('./dist/src/launch.js').writeCodeCache().bytes))"], { cwd: root, encoding: 'utf8' });
process.stdout.write(`dist/server/main.js bundled, code cache ${Math.round(Number(cache) / 1024)} KiB, in ${Date.now() - started} ms\n`);
