/** Runs the built CLI (`bin/run.js`) as a user would, for the CLI e2e tests. Needs `npm run build` first. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { actorHeaderValue } from '../../cli/actor';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'run.js');

/** The actor the server records for this CLI in anonymous loopback mode: the OS user it names in X-Maintenance-Actor. */
export const CLI_ACTOR = `local:${actorHeaderValue(userInfo().username)}`;

/** What one run printed and how it ended. */
export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Throws unless the compiled CLI is there, naming the command that builds it. */
export function requireBuiltCli(): void {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'commands', 'list.js'))) {
    throw new Error('dist/cli is missing: run `npm run build` before this test (npm test does)');
  }
}

/** The environment of a spawned CLI: no URL or token leaking in from the developer's shell. */
function cliEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.MAINTENANCE_URL;
  delete env.MAINTENANCE_TOKEN;
  return env;
}

/** Spawns the CLI with piped stdin (so never a terminal). */
export function spawnCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cliEnv() });
}

/** Collects a spawned CLI's output until it exits. */
export function collect(child: ChildProcessWithoutNullStreams): Promise<Run> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

/** `cli(...args)` and `json(...args)` against one server URL. */
export function cliAt(url: () => string) {
  const cli = (...args: string[]) => collect(spawnCli([...args, '--url', url()]));
  const json = async <T>(...args: string[]): Promise<{ run: Run; body: T }> => {
    const run = await cli(...args, '--json');
    return { run, body: JSON.parse(run.stdout) as T };
  };
  return { cli, json };
}

/** A MaintenanceState manifest with these scenarios active by override. */
export function stateManifest(name: string, active: string[]): string {
  return ['apiVersion: maintenance/v1', 'kind: MaintenanceState', `metadata: {name: ${name}}`, 'spec:', '  overrides:', ...active.map((id) => `    ${id}: {state: active}`), ''].join('\n');
}
