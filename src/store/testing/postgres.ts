/**
 * Where PostgreSQL comes from in tests: PG_TEST_URL if set; else the machine's shared server
 * (PG_SHARED_URL, by default postgres://postgres@127.0.0.1:5432/test, trust auth) if it answers; else a
 * throwaway cluster of our own (initdb + pg_ctl in a temp dir on a free port), stopped by its PID at the
 * end. Each test then works in a database of its own, so parallel runs never collide.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/** The machine's shared server, tried when PG_TEST_URL is unset. */
export const DEFAULT_SHARED_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A PostgreSQL server the tests may create databases on. */
export interface PostgresServer {
  /** A URL to a database on it that already exists (the admin connection for CREATE/DROP DATABASE). */
  url: string;
  /** Where it came from: PG_TEST_URL, the shared server, or a cluster this process started. */
  source: 'env' | 'shared' | 'own';
  /** The cluster, when this process started one. */
  cluster?: PostgresCluster;
  /** Stops the server if this process started it; otherwise nothing. */
  release(): Promise<void>;
}

/** Finds a server as described above. `env` is injectable so the fallback itself can be tested. */
export async function acquirePostgresServer(env: NodeJS.ProcessEnv = process.env): Promise<PostgresServer> {
  if (env.PG_TEST_URL) return { url: env.PG_TEST_URL, source: 'env', release: async () => undefined };
  const shared = env.PG_SHARED_URL || DEFAULT_SHARED_URL;
  if (await answers(shared)) return { url: shared, source: 'shared', release: async () => undefined };
  const cluster = await startPostgresCluster();
  return { url: cluster.url, source: 'own', cluster, release: () => cluster.stop({ remove: true }) };
}

/** A database made for one test; `drop` removes it (and any connection still on it). */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates `mo_test_<random>` on `serverUrl`. Like most production databases (en_US.UTF-8), it orders text
 * linguistically (ICU en-US: `b, full, FULL`), so a query that needs byte order has to ask for it; the
 * server's own default here (C.UTF-8) would hide that. Plain defaults when the server lacks ICU.
 */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `mo_test_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, async (client) => {
    try {
      await client.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'`);
    } catch {
      await client.query(`CREATE DATABASE ${name}`);
    }
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A PostgreSQL cluster this process started; every stop goes by the postmaster's PID. */
export interface PostgresCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** The cluster's data directory (inside `dir`). */
  dataDir: string;
  /** The postmaster's PID while it runs (a new one after `start`). */
  readonly pid: number;
  /** Fast shutdown (SIGINT to the postmaster), waiting until it is gone; `remove` also deletes the files. */
  stop(options?: { remove?: boolean }): Promise<void>;
  /** A crash: SIGKILL to the postmaster and its backends, waiting until they are gone. */
  kill(): Promise<void>;
  /** SIGSTOP to the postmaster and its backends: connections stay open, nothing answers. */
  pause(): void;
  /** SIGCONT to the same processes. */
  resume(): void;
  /** Starts it again on the same port and files after stop or kill. */
  start(): Promise<void>;
}

/**
 * initdb + pg_ctl in a temp dir on a free port, listening on 127.0.0.1 and a socket in the temp dir only.
 * As root, both run as the `postgres` OS user (PostgreSQL refuses root). fsync is off: these clusters hold
 * test data only, and a killed server still keeps what the OS was handed.
 */
export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'mo-pg-'));
  const dataDir = join(dir, 'data');
  const asPostgres = process.getuid?.() === 0;
  if (asPostgres) chownSync(dir, uidOf('postgres'), gidOf('postgres'));
  const run = (command: string, args: string[]) =>
    execFileSync(asPostgres ? 'runuser' : command, asPostgres ? ['-u', 'postgres', '--', command, ...args] : args, { stdio: 'pipe', cwd: dir });
  run('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  let pid = 0;
  const start = async () => {
    removeStaleLocks(dir, dataDir, port);
    try {
      run('pg_ctl', ['start', '-D', dataDir, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options]);
    } catch (error) {
      const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8').split('\n').slice(-8).join('\n') : '';
      throw new Error(`${(error as Error).message}\nlast lines of ${join(dir, 'server.log')}:\n${log}`);
    }
    pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    runningClusters.add(pid);
  };
  await start();
  const signalAll = (signal: NodeJS.Signals) => [pid, ...childrenOf(pid)].forEach((target) => signalQuietly(target, signal));
  const stopWith = async (signal: NodeJS.Signals, tree: boolean) => {
    const targets = tree ? [pid, ...childrenOf(pid)] : [pid];
    targets.forEach((target) => signalQuietly(target, signal));
    // Stopped processes cannot act on a signal: wake them so a stop works after pause().
    targets.forEach((target) => signalQuietly(target, 'SIGCONT'));
    await Promise.all(targets.map(waitUntilGone));
    runningClusters.delete(pid);
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    get pid() {
      return pid;
    },
    stop: async ({ remove = false } = {}) => {
      if (runningClusters.has(pid)) await stopWith('SIGINT', false);
      if (remove) rmSync(dir, { recursive: true, force: true });
    },
    kill: () => stopWith('SIGKILL', true),
    pause: () => signalAll('SIGSTOP'),
    resume: () => signalAll('SIGCONT'),
    start,
  };
}

/** PIDs of postmasters this process started and has not stopped: taken down if the test process exits first. */
const runningClusters = new Set<number>();
process.on('exit', () => runningClusters.forEach((pid) => signalQuietly(pid, 'SIGQUIT')));

async function answers(url: string): Promise<boolean> {
  try {
    await withClient(url, (client) => client.query('SELECT 1'), 2_000);
    return true;
  } catch {
    return false;
  }
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>, connectTimeoutMs = 10_000): Promise<T> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Direct children, read from /proc: the backends and auxiliary processes of a postmaster. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the parenthesised command name: state, ppid, ...
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children;
}

/**
 * A killed postmaster leaves postmaster.pid and its socket's lock file behind. PostgreSQL ignores it once that PID is gone, but here a
 * dead postmaster can stay a zombie for a while (PID 1 reaps late), and to PostgreSQL a zombie looks alive.
 */
function removeStaleLocks(dir: string, dataDir: string, port: number): void {
  const lock = join(dataDir, 'postmaster.pid');
  if (!existsSync(lock)) return;
  const owner = Number(readFileSync(lock, 'utf8').split('\n')[0]);
  if (isAlive(owner)) return;
  for (const file of [lock, join(dir, `.s.PGSQL.${port}.lock`), join(dir, `.s.PGSQL.${port}`)]) rmSync(file, { force: true });
}

/** Alive means present and not a zombie (a dead child our container's init has not reaped yet). */
export function isAlive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL process ${pid} did not stop within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
}

function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
}
