/** Runs one HTTP load in a fresh load-worker process and returns what it measured. */
import * as path from 'node:path';
import type { LoadResult, LoadSpec } from './load-worker';
import { forkNode, IpcPeer, stopChild } from './proc';

export type { LoadResult, LoadSpec } from './load-worker';

/** True when `autocannon` can be loaded from this checkout. */
export function hasAutocannon(): boolean {
  try {
    require.resolve('autocannon');
    return true;
  } catch {
    return false;
  }
}

/** Loads `spec.origin` with `spec.paths` in rotation; a fresh process per run keeps runs independent. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const child = forkNode(path.join(__dirname, 'load-worker.js'));
  const peer = new IpcPeer(child);
  try {
    const reply = await peer.request<{ result: LoadResult }>({ type: 'run', spec });
    return reply.result;
  } finally {
    child.process.disconnect?.();
    await stopChild(child, 'SIGTERM', 5000);
  }
}
