/** Test helpers around the demo fleet in `examples/`: real HTTP scenarios, a temp scenarios dir, a JSON client. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Fleet, type FleetDirExtra, type FleetScenarioSpec, writeFleetDir } from '../../examples/demo-scenario/fleet';

export * from '../../examples/demo-scenario/fleet';
export { startScenarioServer, ScenarioServer } from '../../examples/demo-scenario/scenario-server';
export type { ScenarioServerOptions, ScenarioStats, StateCall } from '../../examples/demo-scenario/scenario-server';
export type { MaintenanceState } from '../../examples/demo-scenario/wire';

/** `count` specs with ids `demo-0001`..., each passed through `tweak` (e.g. to mark some heavy or down). */
export function demoSpecs(count: number, tweak?: (spec: FleetScenarioSpec, index: number) => FleetScenarioSpec): FleetScenarioSpec[] {
  return Array.from({ length: count }, (_, index) => {
    const spec: FleetScenarioSpec = { id: `demo-${String(index + 1).padStart(4, '0')}`, service: { tags: ['demo'] } };
    return tweak ? tweak(spec, index) : spec;
  });
}

/** Writes the fleet's service.json files into a fresh temp dir; `cleanup` removes it. */
export async function tempFleetDir(fleet: Pick<Fleet, 'scenarios'>, extra?: FleetDirExtra): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mo-fleet-'));
  await writeFleetDir(dir, fleet, extra);
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A JSON reply: status and parsed body (null when the body was not JSON). */
export interface JsonReply {
  status: number;
  body: unknown;
}

/** GET (no body) or POST (with body) a JSON route; rejects on connection errors, as a closed port should. */
export async function requestJson(url: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<JsonReply> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed };
}
