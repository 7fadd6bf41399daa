/**
 * Pure parsing of a Vrooli `.vrooli/service.json` (SPEC 2). Real files span several schema generations and
 * any field may be missing or of the wrong type, so every read is defensive and nothing here throws.
 */
import { findJsonErrorOffset, positionOf } from './json-position';
import { DEFAULT_STATE_ENDPOINT, type Weight } from './scenario';

/** The tag that makes a service a maintenance scenario. */
export const MAINTENANCE_TAG = 'maintenance';

/** Why a candidate file did not become a scenario. */
export type SkipCode = 'InvalidJson' | 'NotAnObject' | 'NotTagged' | 'Unreadable' | 'Self';

/** True for skips that point at a file someone should fix, as opposed to a service that is simply not maintenance. */
export function isBrokenFile(code: SkipCode): boolean {
  return code === 'InvalidJson' || code === 'NotAnObject' || code === 'Unreadable';
}

/** What discovery needs from one service.json, before endpoint resolution. */
export interface ParsedServiceFile {
  id: string;
  name: string;
  displayName: string;
  description: string;
  /** Deduplicated tags from every accepted location, `maintenance` always spelled in lower case. */
  tags: string[];
  weight: Weight;
  canDeactivate: boolean;
  conflictsWith: string[];
  stateEndpoint: string;
  /** `maintenance.endpoint` when it is an http(s) URL (trailing slash removed); not yet allow-listed. */
  declaredEndpoint: string | null;
  /** A fixed API port, or null when the file declares none (a range is not a port). */
  fixedPort: number | null;
  /** The declared `ports.api.range`, kept only to explain a missing endpoint. */
  portRange: string | null;
  /** Fields present but unusable, each ignored with this explanation. */
  warnings: string[];
}

/** Either a usable file or a human reason it was skipped. */
export type ParseResult = { ok: true; file: ParsedServiceFile } | { ok: false; code: SkipCode; reason: string };

type Json = Record<string, unknown>;

/** Parses one service.json text for the scenario folder `id`. Never throws. */
export function parseServiceFile(id: string, text: string): ParseResult {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  if (!isObject(root)) return { ok: false, code: 'NotAnObject', reason: `top level is ${describe(root)}, not an object` };
  const tags = collectTags(root);
  if (!tags.includes(MAINTENANCE_TAG)) {
    return { ok: false, code: 'NotTagged', reason: 'no "maintenance" tag in service.tags, tags or metadata.tags' };
  }
  const warnings: string[] = [];
  const service = isObject(root.service) ? root.service : {};
  const block = readMaintenanceBlock(root, warnings);
  const name = text1(service.name) ?? text1(root.name) ?? id;
  const api = readApiPort(root, warnings);
  return {
    ok: true,
    file: {
      id,
      name,
      displayName: text1(service.displayName) ?? text1(root.displayName) ?? name,
      description: text1(service.description) ?? text1(root.description) ?? '',
      tags,
      weight: readWeight(block, warnings),
      canDeactivate: readCanDeactivate(block, warnings),
      conflictsWith: readIdList(block.conflictsWith, 'maintenance.conflictsWith', warnings).filter((other) => other !== id),
      stateEndpoint: readStateEndpoint(block, warnings),
      declaredEndpoint: readDeclaredEndpoint(block, warnings),
      fixedPort: api.port,
      portRange: api.range,
      warnings,
    },
  };
}

/** A port number 1-65535 from a number or an all-digit string, else null. */
export function toPort(value: unknown): number | null {
  const number = typeof value === 'string' && /^\s*\d{1,5}\s*$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number >= 1 && number <= 65_535 ? number : null;
}

/** Normalises a state route: must be a path; a missing leading slash is added. Null when unusable. */
export function toStatePath(value: unknown): string | null {
  const path = text1(value);
  if (path === null || /^[a-z][a-z0-9+.-]*:/i.test(path) || /\s/.test(path)) return null;
  return path.startsWith('/') ? path : `/${path}`;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; code: SkipCode; reason: string } {
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // editors on Windows add a BOM
  try {
    return { ok: true, value: JSON.parse(clean) };
  } catch (error: unknown) {
    const detail = error instanceof Error ? error.message : String(error);
    const offset = findJsonErrorOffset(clean);
    const at = offset >= 0 ? positionOf(clean, offset) : null;
    const where = at ? ` at line ${at.line}, column ${at.column}` : '';
    return { ok: false, code: 'InvalidJson', reason: `invalid JSON${where}: ${shortJsonMessage(detail)}` };
  }
}

/** Drops V8's position and echo of the input, which we replace with a line and column. */
function shortJsonMessage(message: string): string {
  return message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '');
}

function collectTags(root: Json): string[] {
  const service = isObject(root.service) ? root.service : {};
  const metadata = isObject(root.metadata) ? root.metadata : {};
  const seen = new Set<string>();
  for (const source of [service.tags, root.tags, metadata.tags]) {
    if (!Array.isArray(source)) continue;
    for (const tag of source) {
      const clean = text1(tag);
      if (clean !== null) seen.add(clean.toLowerCase() === MAINTENANCE_TAG ? MAINTENANCE_TAG : clean);
    }
  }
  return [...seen];
}

function readMaintenanceBlock(root: Json, warnings: string[]): Json {
  if (root.maintenance === undefined || root.maintenance === null) return {};
  if (isObject(root.maintenance)) return root.maintenance;
  warnings.push(`maintenance is ${describe(root.maintenance)}, not an object; ignored`);
  return {};
}

function readWeight(block: Json, warnings: string[]): Weight {
  if (block.weight !== undefined) {
    const weight = typeof block.weight === 'string' ? block.weight.trim().toLowerCase() : null;
    if (weight === 'light' || weight === 'heavy') return weight;
    warnings.push(`maintenance.weight ${show(block.weight)} is not "light" or "heavy"; ignored`);
  }
  const usage = isObject(block.resourceUsage) ? block.resourceUsage : {};
  return isHighLevel(usage.cpu) || isHighLevel(usage.memory) ? 'heavy' : 'light';
}

/** Qualitative levels are free text in real files; "high" (and "very high") mean heavy. */
function isHighLevel(level: unknown): boolean {
  return typeof level === 'string' && /^(very[\s_-]?)?high$/i.test(level.trim());
}

function readCanDeactivate(block: Json, warnings: string[]): boolean {
  if (block.canDeactivate === undefined) return true;
  if (typeof block.canDeactivate === 'boolean') return block.canDeactivate;
  warnings.push(`maintenance.canDeactivate ${show(block.canDeactivate)} is not a boolean; using true`);
  return true;
}

function readIdList(value: unknown, field: string, warnings: string[]): string[] {
  if (value === undefined || value === null) return [];
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : null;
  if (items === null) {
    warnings.push(`${field} is ${describe(value)}, not a list of ids; ignored`);
    return [];
  }
  const ids = items.map(text1).filter((item): item is string => item !== null);
  return [...new Set(ids)];
}

function readStateEndpoint(block: Json, warnings: string[]): string {
  if (block.stateEndpoint === undefined) return DEFAULT_STATE_ENDPOINT;
  const path = toStatePath(block.stateEndpoint);
  if (path !== null) return path;
  warnings.push(`maintenance.stateEndpoint ${show(block.stateEndpoint)} is not a path; using ${DEFAULT_STATE_ENDPOINT}`);
  return DEFAULT_STATE_ENDPOINT;
}

function readDeclaredEndpoint(block: Json, warnings: string[]): string | null {
  if (block.endpoint === undefined || block.endpoint === null) return null;
  const url = toBaseUrl(block.endpoint);
  if (url === null) warnings.push(`maintenance.endpoint ${show(block.endpoint)} is not an http(s) URL; ignored`);
  return url;
}

/** An http(s) URL as a base (no trailing slash), or null. */
export function toBaseUrl(value: unknown): string | null {
  const text = text1(value);
  if (text === null) return null;
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    // A base URL gets routes appended, and credentials would leak into logs and the API.
    if (url.username || url.password || url.search || url.hash) return null;
    return url.href.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

function readApiPort(root: Json, warnings: string[]): { port: number | null; range: string | null } {
  const ports = isObject(root.ports) ? root.ports : {};
  const api = ports.api;
  if (api === undefined || api === null) return { port: null, range: null };
  if (!isObject(api)) {
    const port = toPort(api);
    if (port === null) warnings.push(`ports.api ${show(api)} is not a port number; ignored`);
    return { port, range: null };
  }
  for (const key of ['port', 'default'] as const) {
    if (api[key] === undefined) continue;
    const port = toPort(api[key]);
    if (port !== null) return { port, range: text1(api.range) };
    warnings.push(`ports.api.${key} ${show(api[key])} is not a port number; ignored`);
  }
  return { port: null, range: text1(api.range) };
}

/** A trimmed non-empty string, or null. */
function text1(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short rendering of a bad value for a warning; real files can hold large objects where a scalar belongs. */
function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
