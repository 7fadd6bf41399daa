/**
 * The one schema of our manifests: typed values out of raw documents, or problems naming file, line, field.
 * Preset, MaintenanceState and Policy are checked here; Schedule specs are checked by the schedules module.
 */
import { parseTtl } from '../config/duration';
import { readHealthChecks, type HealthCheckSpec } from '../health/health-check-spec';
import { describe, isPlainObject, ManifestError, type ManifestProblem, type RawManifest } from './manifest';

/** Ids of presets, schedules and scenarios as the API accepts them: lowercase, digits, dashes. */
export const SAFE_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** Which scenarios a preset selects: any of `names` (ids or globs) or `tags`, minus `exclude`. */
export interface Selector {
  names: string[];
  tags: string[];
  exclude: string[];
}

/** A named, reusable selection of scenarios. */
export interface Preset {
  id: string;
  description: string;
  aliases: string[];
  selector: Selector;
  /** Shipped with the product: cannot be overwritten or deleted. */
  isDefault: boolean;
}

/** One per-scenario override. */
export interface OverrideSpec {
  state: 'active' | 'inactive';
  ttlMs: number | null;
  reason: string | null;
}

/** The declared state as a manifest: applied presets plus overrides. */
export interface MaintenanceStateSpec {
  presets: string[];
  overrides: Record<string, OverrideSpec>;
}

/** A limit as a count (`3`) or a percentage of some whole (`"25%"`), as the policy states it. */
export type CountOrPercent = number | `${number}%`;

/** Safety policy (SPEC 4). */
export interface Policy {
  /** At most this many active at once: a count, or a percentage of the fleet. Null: unlimited. */
  maxActive: CountOrPercent | null;
  maxHeavy: number | null;
  /** Groups of scenario ids of which at most one may be active. */
  conflicts: string[][];
  resourceLimits: { cpuLoadPercent: number; memoryPercent: number };
  cooldownSeconds: number;
  bulkConfirmThreshold: number;
  defaultTimeoutMinutes: number | null;
  /** Alertmanager and Prometheus checks behind the HealthCheck gate (SPEC 11); none by default. */
  healthChecks: HealthCheckSpec[];
  /**
   * Failed activations a change may have before its other activations wait (FailureBudget, SPEC 10): a
   * count, or a percentage of the change's activations. Null: no budget. Absent in policies stored before it.
   */
  maxFailures?: CountOrPercent | null;
}

/** The shipped defaults of SPEC 4. */
export const DEFAULT_POLICY: Policy = {
  maxActive: null,
  maxHeavy: 2,
  conflicts: [],
  resourceLimits: { cpuLoadPercent: 90, memoryPercent: 90 },
  cooldownSeconds: 0,
  bulkConfirmThreshold: 3,
  defaultTimeoutMinutes: null,
  healthChecks: [],
  maxFailures: null,
};

/** Collects problems against one manifest, then throws them all at once. */
class Checker {
  readonly problems: ManifestProblem[] = [];
  constructor(readonly manifest: RawManifest) {}

  fail(path: (string | number)[], message: string): void {
    this.problems.push({ file: this.manifest.file, line: this.manifest.lineOf(path), field: path.join('.'), message });
  }

  onlyKnown(value: Record<string, unknown>, path: string[], known: string[]): void {
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) this.fail([...path, key], `is not a known field (known: ${known.join(', ')})`);
    }
  }

  stringList(value: unknown, path: (string | number)[], pattern?: RegExp): string[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) {
      this.fail(path, `must be a list of strings, got ${describe(value)}`);
      return [];
    }
    return value.filter((item, index) => {
      const ok = typeof item === 'string' && item.length > 0 && (!pattern || pattern.test(item));
      if (!ok) this.fail([...path, index], `must be ${pattern ? 'an id or glob' : 'a non-empty string'}, got ${describe(item)}`);
      return ok;
    }) as string[];
  }

  optionalString(value: unknown, path: string[]): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') this.fail(path, `must be a string, got ${describe(value)}`);
    return typeof value === 'string' ? value : null;
  }

  integer(value: unknown, path: string[], min: number, max: number, fallback: number | null): number | null {
    if (value === undefined) return fallback;
    if (value === null) return null;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(path, `must be a whole number from ${min} to ${max}, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  /** A count (a whole number) or a percentage such as "25%" (0% to 100%). */
  countOrPercent(value: unknown, path: string[], fallback: CountOrPercent | null): CountOrPercent | null {
    if (value === undefined) return fallback;
    if (value === null) return null;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1_000_000) return value;
    const percent = typeof value === 'string' ? /^\s*(\d{1,3}(\.\d+)?)\s*%\s*$/.exec(value) : null;
    if (percent && Number(percent[1]) <= 100) return `${Number(percent[1])}%`;
    this.fail(path, `must be a count (a whole number from 0 to 1000000) or a percentage such as "25%" (from 0% to 100%), got ${describe(value)}`);
    return fallback;
  }

  done<T>(value: T): T {
    if (this.problems.length > 0) throw new ManifestError(this.problems);
    return value;
  }
}

const GLOB = /^[A-Za-z0-9*?._-]+$/;

/** Validates a `kind: Preset` manifest. */
export function presetFromManifest(manifest: RawManifest, isDefault = false): Preset {
  const check = new Checker(manifest);
  const { metadata, spec } = manifest;
  check.onlyKnown(metadata, ['metadata'], ['name', 'description', 'aliases', 'labels']);
  check.onlyKnown(spec, ['spec'], ['selector']);
  const id = metadata.name;
  if (typeof id !== 'string' || !SAFE_ID.test(id)) {
    check.fail(['metadata', 'name'], `must be a lowercase id (a-z, 0-9, -, ., _; at most 63), got ${describe(id)}`);
  }
  const aliases = check.stringList(metadata.aliases, ['metadata', 'aliases'], SAFE_ID);
  const description = check.optionalString(metadata.description, ['metadata', 'description']) ?? '';
  const rawSelector = spec.selector;
  let selector: Selector = { names: [], tags: [], exclude: [] };
  if (!isPlainObject(rawSelector)) {
    check.fail(['spec', 'selector'], 'is required: a mapping with names, tags and/or exclude');
  } else {
    check.onlyKnown(rawSelector, ['spec', 'selector'], ['names', 'tags', 'exclude']);
    selector = {
      names: check.stringList(rawSelector.names, ['spec', 'selector', 'names'], GLOB),
      tags: check.stringList(rawSelector.tags, ['spec', 'selector', 'tags']),
      exclude: check.stringList(rawSelector.exclude, ['spec', 'selector', 'exclude'], GLOB),
    };
  }
  return check.done({ id: id as string, description, aliases, selector, isDefault });
}

/** Validates a `kind: MaintenanceState` manifest. */
export function maintenanceStateFromManifest(manifest: RawManifest): MaintenanceStateSpec {
  const check = new Checker(manifest);
  const { spec } = manifest;
  check.onlyKnown(spec, ['spec'], ['presets', 'overrides']);
  const presets = check.stringList(spec.presets, ['spec', 'presets'], SAFE_ID);
  const overrides: Record<string, OverrideSpec> = {};
  if (spec.overrides !== undefined && spec.overrides !== null && !isPlainObject(spec.overrides)) {
    check.fail(['spec', 'overrides'], 'must be a mapping of scenario id to {state, ttl?, reason?}');
  } else {
    for (const [id, raw] of Object.entries((spec.overrides as Record<string, unknown>) ?? {})) {
      const override = readOverride(check, id, raw);
      if (override) overrides[id] = override;
    }
  }
  return check.done({ presets, overrides });
}

function readOverride(check: Checker, id: string, raw: unknown): OverrideSpec | null {
  const path = ['spec', 'overrides', id];
  if (!SAFE_ID.test(id)) check.fail(path, 'is not a valid scenario id');
  if (!isPlainObject(raw)) {
    check.fail(path, 'must be a mapping {state, ttl?, reason?}');
    return null;
  }
  check.onlyKnown(raw, path, ['state', 'ttl', 'reason']);
  if (raw.state !== 'active' && raw.state !== 'inactive') check.fail([...path, 'state'], `must be active or inactive, got ${describe(raw.state)}`);
  let ttlMs: number | null = null;
  if (raw.ttl !== undefined && raw.ttl !== null) {
    try {
      ttlMs = parseTtl(raw.ttl as string | number);
    } catch (error) {
      check.fail([...path, 'ttl'], (error as Error).message);
    }
  }
  const reason = check.optionalString(raw.reason, [...path, 'reason']);
  return { state: raw.state as OverrideSpec['state'], ttlMs, reason };
}

/** Validates a `kind: Policy` manifest; missing fields take the shipped defaults. */
export function policyFromManifest(manifest: RawManifest): Policy {
  const check = new Checker(manifest);
  return check.done(readPolicy(check, manifest.spec, ['spec']));
}

/** Validates a policy given as a plain object (the API body), reporting problems against `source`. */
export function policyFromObject(value: unknown, source: RawManifest): Policy {
  const check = new Checker(source);
  if (!isPlainObject(value)) {
    check.fail([], 'a policy must be a mapping');
    return check.done(DEFAULT_POLICY);
  }
  return check.done(readPolicy(check, value, ['spec']));
}

function readPolicy(check: Checker, spec: Record<string, unknown>, at: string[]): Policy {
  const known = ['maxActive', 'maxHeavy', 'maxFailures', 'conflicts', 'resourceLimits', 'cooldownSeconds', 'bulkConfirmThreshold', 'defaultTimeoutMinutes', 'healthChecks'];
  check.onlyKnown(spec, at, known);
  const limits = isPlainObject(spec.resourceLimits) ? spec.resourceLimits : {};
  if (spec.resourceLimits !== undefined && !isPlainObject(spec.resourceLimits)) check.fail([...at, 'resourceLimits'], 'must be a mapping');
  check.onlyKnown(limits, [...at, 'resourceLimits'], ['cpuLoadPercent', 'memoryPercent']);
  const conflicts: string[][] = [];
  if (spec.conflicts !== undefined && spec.conflicts !== null) {
    if (!Array.isArray(spec.conflicts)) check.fail([...at, 'conflicts'], 'must be a list of groups (lists of scenario ids)');
    else spec.conflicts.forEach((group, index) => {
      const ids = check.stringList(group, [...at, 'conflicts', index], SAFE_ID);
      if (ids.length < 2) check.fail([...at, 'conflicts', index], 'a conflict group needs at least two scenario ids');
      else conflicts.push(ids);
    });
  }
  const d = DEFAULT_POLICY;
  return {
    maxActive: check.countOrPercent(spec.maxActive, [...at, 'maxActive'], d.maxActive),
    maxHeavy: check.integer(spec.maxHeavy, [...at, 'maxHeavy'], 0, 1_000_000, d.maxHeavy),
    conflicts,
    resourceLimits: {
      cpuLoadPercent: check.integer(limits.cpuLoadPercent, [...at, 'resourceLimits', 'cpuLoadPercent'], 1, 1000, 90) ?? 90,
      memoryPercent: check.integer(limits.memoryPercent, [...at, 'resourceLimits', 'memoryPercent'], 1, 100, 90) ?? 90,
    },
    cooldownSeconds: check.integer(spec.cooldownSeconds, [...at, 'cooldownSeconds'], 0, 86_400 * 7, 0) ?? 0,
    bulkConfirmThreshold: check.integer(spec.bulkConfirmThreshold, [...at, 'bulkConfirmThreshold'], 0, 1_000_000, 3) ?? 3,
    defaultTimeoutMinutes: check.integer(spec.defaultTimeoutMinutes, [...at, 'defaultTimeoutMinutes'], 1, 525_600, d.defaultTimeoutMinutes),
    healthChecks: readHealthChecks(spec.healthChecks, [...at, 'healthChecks'], (path, message) => check.fail(path, message)),
    maxFailures: check.countOrPercent(spec.maxFailures, [...at, 'maxFailures'], d.maxFailures ?? null),
  };
}
