/**
 * A fleet on disk: `<dir>/<id>/.vrooli/service.json` in the real Vrooli shape, so the orchestrator's
 * discovery finds demo scenarios exactly as it finds real ones. Writing serves tests; reading serves
 * `main.ts`, which brings a committed fleet directory to life.
 */
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fleet, FleetScenario, FleetScenarioSpec, ResourceLevel, ServiceMeta } from './fleet';
import { DEFAULT_STATE_ENDPOINT, type JsonObject, type JsonValue, isJsonObject, parseJson } from './wire';

/** Changes `writeFleetDir` makes on top of the generated files. */
export interface FleetDirExtra {
  /** JSON Merge Patch (RFC 7386) per scenario id: `null` deletes a key, objects merge, other values replace. */
  patch?: Record<string, JsonObject>;
  /** Extra folders written verbatim, e.g. a service without the maintenance tag that discovery must skip. */
  others?: Record<string, JsonObject>;
}

/** A folder `readFleetDir` could not turn into a scenario, and why. */
export interface SkippedFolder {
  id: string;
  reason: string;
}

const MAINTENANCE_TAG = 'maintenance';
const RESOURCE_LEVELS: readonly ResourceLevel[] = ['low', 'medium', 'high'];

/** The service.json a fleet scenario would ship, in the shape of real Vrooli files. */
export function buildServiceJson(scenario: FleetScenario): JsonObject {
  const meta = scenario.service;
  const maintenance: JsonObject = { canDeactivate: meta.canDeactivate ?? true, defaultState: 'inactive' };
  if (meta.resourceUsage !== undefined) maintenance.resourceUsage = { ...meta.resourceUsage };
  else maintenance.weight = meta.weight ?? 'light';
  if (meta.conflictsWith !== undefined && meta.conflictsWith.length > 0) maintenance.conflictsWith = [...meta.conflictsWith];
  // A legacy-only scenario must not declare its route: the point is that the orchestrator falls back on 404.
  if (!scenario.legacyOnly && scenario.stateEndpoint !== DEFAULT_STATE_ENDPOINT) {
    maintenance.stateEndpoint = scenario.stateEndpoint;
  }
  return {
    version: '1.0.0',
    service: {
      name: scenario.id,
      displayName: meta.displayName ?? titleCase(scenario.id),
      description: meta.description ?? `Demo maintenance scenario ${scenario.id}`,
      version: '1.0.0',
      tags: [MAINTENANCE_TAG, ...(meta.tags ?? []).filter((tag) => tag !== MAINTENANCE_TAG)],
      type: 'scenario',
    },
    ports: { api: { env_var: 'API_PORT', port: scenario.port, description: 'Maintenance state API' } },
    maintenance,
  };
}

/** Writes one service.json per fleet scenario (plus `extra`); resolves to the files written. */
export async function writeFleetDir(
  dir: string,
  fleet: Pick<Fleet, 'scenarios'>,
  extra: FleetDirExtra = {},
): Promise<string[]> {
  const documents = new Map<string, JsonValue>();
  for (const scenario of fleet.scenarios) {
    const patch = extra.patch?.[scenario.id];
    documents.set(scenario.id, patch === undefined ? buildServiceJson(scenario) : mergePatch(buildServiceJson(scenario), patch));
  }
  for (const [id, document] of Object.entries(extra.others ?? {})) documents.set(id, document);
  const written: string[] = [];
  for (const [id, document] of documents) {
    const folder = join(dir, id, '.vrooli');
    await mkdir(folder, { recursive: true });
    const file = join(folder, 'service.json');
    await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
    written.push(file);
  }
  return written;
}

/** RFC 7386 JSON Merge Patch: returns a new value, leaving `target` untouched. */
export function mergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return patch;
  const result: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value);
  }
  return result;
}

/**
 * Reads every `<dir>/<id>/.vrooli/service.json` tagged maintenance into fleet specs, sorted by id.
 * Folders without a fixed API port or with broken JSON are skipped with a reason rather than failing
 * the whole demo, since one bad file should not take the other scenarios down.
 */
export async function readFleetDir(dir: string): Promise<{ specs: FleetScenarioSpec[]; skipped: SkippedFolder[] }> {
  const entries = await readdir(dir, { withFileTypes: true });
  const specs: FleetScenarioSpec[] = [];
  const skipped: SkippedFolder[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const id = entry.name;
    let text: string;
    try {
      text = await readFile(join(dir, id, '.vrooli', 'service.json'), 'utf8');
    } catch {
      continue; // not a scenario folder at all
    }
    const parsed = parseJson(text);
    if (!parsed.ok || !isJsonObject(parsed.value)) {
      skipped.push({ id, reason: parsed.ok ? 'service.json is not an object' : parsed.message });
      continue;
    }
    const spec = specFromServiceJson(id, parsed.value);
    if (typeof spec === 'string') skipped.push({ id, reason: spec });
    else specs.push(spec);
  }
  return { specs, skipped };
}

/** A fleet spec from one parsed service.json, or the reason it cannot be served. */
export function specFromServiceJson(id: string, doc: JsonObject): FleetScenarioSpec | string {
  const service = objectAt(doc, 'service');
  const tags = stringsAt(service, 'tags') ?? stringsAt(doc, 'tags') ?? stringsAt(objectAt(doc, 'metadata'), 'tags') ?? [];
  if (!tags.includes(MAINTENANCE_TAG)) return 'not tagged "maintenance"';
  const port = apiPort(doc);
  if (port === null) return 'no fixed API port (ports.api.port, ports.api.default or ports.api)';
  const maintenance = objectAt(doc, 'maintenance');
  const meta: ServiceMeta = { tags: tags.filter((tag) => tag !== MAINTENANCE_TAG) };
  const displayName = service?.displayName;
  const description = service?.description;
  if (typeof displayName === 'string') meta.displayName = displayName;
  if (typeof description === 'string') meta.description = description;
  if (maintenance?.weight === 'light' || maintenance?.weight === 'heavy') meta.weight = maintenance.weight;
  const usage = objectAt(maintenance, 'resourceUsage');
  if (usage !== undefined) meta.resourceUsage = resourceUsage(usage);
  const conflicts = stringsAt(maintenance, 'conflictsWith');
  if (conflicts !== undefined) meta.conflictsWith = conflicts;
  if (typeof maintenance?.canDeactivate === 'boolean') meta.canDeactivate = maintenance.canDeactivate;
  const spec: FleetScenarioSpec = { id, port, service: meta };
  if (typeof maintenance?.stateEndpoint === 'string') spec.stateEndpoint = maintenance.stateEndpoint;
  return spec;
}

function apiPort(doc: JsonObject): number | null {
  const api = objectAt(doc, 'ports')?.api;
  const candidates = isJsonObject(api) ? [api.port, api.default] : [api];
  for (const candidate of candidates) {
    const port = typeof candidate === 'string' && /^\d+$/.test(candidate) ? Number(candidate) : candidate;
    if (typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536) return port;
  }
  return null;
}

function resourceUsage(usage: JsonObject): NonNullable<ServiceMeta['resourceUsage']> {
  const result: NonNullable<ServiceMeta['resourceUsage']> = {};
  for (const key of ['cpu', 'memory', 'disk'] as const) {
    const level = RESOURCE_LEVELS.find((candidate) => candidate === usage[key]);
    if (level !== undefined) result[key] = level;
  }
  return result;
}

function objectAt(doc: JsonObject | undefined, key: string): JsonObject | undefined {
  const value = doc?.[key];
  return isJsonObject(value) ? value : undefined;
}

function stringsAt(doc: JsonObject | undefined, key: string): string[] | undefined {
  const value = doc?.[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

function titleCase(id: string): string {
  return id
    .split(/[-_]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join(' ');
}
