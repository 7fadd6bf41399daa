/**
 * One shard of the benchmark fleet, in its own process: the demo scenarios of examples/ over real loopback
 * HTTP, driven over IPC by bench/support/fleet.ts. It answers cheap summaries (how many scenarios are
 * active) and the exact instants the scenarios recorded, so convergence is timed by the scenarios' own
 * clocks rather than by how often the parent polls.
 */
import { startFleet, type Fleet, type FleetScenarioSpec } from '../examples/demo-scenario/fleet';
import { serveIpc } from './support/proc';

/** Counts over the shard, as `summary` returns them. */
export interface ShardSummary {
  n: number;
  active: number;
}

let fleet: Fleet | null = null;

function running(): Fleet {
  if (!fleet) throw new Error('the fleet shard is not started');
  return fleet;
}

function summary(): ShardSummary {
  const current = running();
  const result: ShardSummary = { n: current.scenarios.length, active: 0 };
  for (const { id } of current.scenarios) {
    const server = current.server(id);
    if (server.state === 'active') result.active++;
  }
  return result;
}

/** State POSTs received and activation leases that ran out, across the shard (SPEC 12's figure). */
function leaseCounters(): { posts: number; expiredLeases: number } {
  const result = { posts: 0, expiredLeases: 0 };
  for (const { id } of running().scenarios) {
    const stats = running().stats(id);
    result.posts += stats.posts;
    result.expiredLeases += stats.expiredLeases;
  }
  return result;
}

/**
 * Scenarios switched on again after they went inactive at or after `since`: an 'active' record later than
 * their first 'inactive' one. (Every answered POST is recorded, so a renewal that landed before the
 * deactivation shows as 'active' after `since` too; only one after it is a scenario switched on again.)
 */
function reactivated(since: number): number {
  let count = 0;
  for (const { id } of running().scenarios) {
    const history = running().stats(id).history.map((change) => ({ at: Date.parse(change.at), state: change.state }));
    const stopped = history.findIndex((change) => change.state === 'inactive' && change.at >= since);
    if (stopped !== -1 && history.slice(stopped + 1).some((change) => change.state === 'active')) count++;
  }
  return count;
}

/** The latest change to `state` at or after `since` (epoch ms) across the shard, and how many there were. */
function lastChange(state: string, since: number): { at: number | null; changes: number } {
  let at: number | null = null;
  let changes = 0;
  for (const { id } of running().scenarios) {
    for (const change of running().stats(id).history) {
      const when = Date.parse(change.at);
      if (change.state !== state || when < since) continue;
      changes++;
      if (at === null || when > at) at = when;
    }
  }
  return { at, changes };
}

/** The earliest change to `state` at or after `since` (the instant a scenario applied a POST it received). */
function firstChange(state: string, since: number): { at: number | null; count: number } {
  let at: number | null = null;
  let count = 0;
  for (const { id } of running().scenarios) {
    for (const change of running().stats(id).history) {
      const when = Date.parse(change.at);
      if (change.state !== state || when < since) continue;
      count++;
      if (at === null || when < at) at = when;
    }
  }
  return { at, count };
}

/** Up to `limit` scenarios not in `state`, with their counters and recent history, to explain a stuck wait. */
function stragglers(state: string, limit: number): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  for (const { id } of running().scenarios) {
    if (found.length >= limit) break;
    const stats = running().stats(id);
    if (stats.state !== state) found.push({ id, state: stats.state, posts: stats.posts, failedPosts: stats.failedPosts, lastPostAt: stats.lastPostAt, history: stats.history });
  }
  return found;
}

async function start(specs: FleetScenarioSpec[]): Promise<Record<string, unknown>> {
  if (fleet) throw new Error('the fleet shard is already started');
  fleet = await startFleet(specs);
  return { scenarios: fleet.scenarios };
}

serveIpc(async (message) => {
  switch (message.type) {
    case 'start':
      return start(message.specs as FleetScenarioSpec[]);
    case 'summary':
      return { ...summary() };
    case 'reactivated':
      return { count: reactivated(message.since as number) };
    case 'leaseCounters':
      return leaseCounters();
    case 'lastChange':
      return lastChange(message.state as string, message.since as number);
    case 'firstChange':
      return firstChange(message.state as string, message.since as number);
    case 'stragglers':
      return { stragglers: stragglers(message.state as string, 5) };
    case 'configure': {
      const patch = message.patch as { delayMs?: number; failRate?: number };
      for (const { id } of running().scenarios) running().configure(id, patch);
      return {};
    }
    case 'stop':
      await fleet?.stop();
      fleet = null;
      setImmediate(() => process.exit(0));
      return {};
    default:
      throw new Error(`unknown message ${message.type}`);
  }
});
process.send?.({ ready: true });
