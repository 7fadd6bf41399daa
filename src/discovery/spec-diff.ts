/** Field-level comparison of scenario specs, so a rescan reports only real changes. */
import type { ScenarioSpec } from './scenario';

/** Names of the fields whose values differ between two specs of the same scenario (deep, order-sensitive for lists). */
export function changedFields(before: ScenarioSpec, after: ScenarioSpec): (keyof ScenarioSpec)[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof ScenarioSpec)[]);
  return [...keys].filter((key) => !isSameJson(before[key], after[key]));
}

/** Deep equality for JSON-like values; key order does not matter. */
export function isSameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && isSameJson(left[key], right[key]));
}
