/** Runs the built orchestrator as a child process, as an operator would, and finds its URL in the start-up lines. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
// The production entry: the bundled server with its code cache (src/launch.ts), as `npm start` runs it.
const MAIN = join(ROOT, 'dist', 'src', 'launch.js');

/** A running child orchestrator. */
export interface ChildOrchestrator {
  process: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts `node dist/src/launch.js` with `env` (on top of a clean one) and waits for its API line. */
export async function startChild(env: Record<string, string>, timeoutMs = 20_000): Promise<ChildOrchestrator> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', MAINTENANCE_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the orchestrator did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const check = () => {
      const match = /API:\s+(http:\/\/\S+)\/api\/v1/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the orchestrator exited with ${code}:\n${output}`));
    });
  });
  return { process: child, url, output: () => output };
}

/** Stops a child: SIGKILL when `crash`, else SIGTERM; resolves once it exited. */
export function stopChild(child: ChildOrchestrator, crash = false): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.process.once('exit', () => resolve());
    child.process.kill(crash ? 'SIGKILL' : 'SIGTERM');
  });
}

/**
 * Writes a policy whose resource gate is out of reach into `dir` and returns its path (for POLICY_FILE): the
 * machine's own load must not decide a test.
 */
export async function writeLoadIndependentPolicy(dir: string): Promise<string> {
  const policy = join(dir, 'policy.yaml');
  await writeFile(policy, 'apiVersion: maintenance/v1\nkind: Policy\nspec:\n  resourceLimits: {cpuLoadPercent: 1000, memoryPercent: 100}\n');
  return policy;
}
