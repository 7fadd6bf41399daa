/** Selector matching: which scenarios a preset picks. Pure. */
import type { Selector } from './schema';

/** The tag every maintenance scenario carries; it never selects anything on its own. */
export const UNIVERSAL_TAG = 'maintenance';

/** What a selector needs to know about a scenario. */
export interface Selectable {
  id: string;
  tags: string[];
}

/** True when `selector` picks `scenario`: any name or tag matches, and no exclude does. */
export function selects(selector: Selector, scenario: Selectable): boolean {
  if (selector.exclude.some((pattern) => globMatches(pattern, scenario.id))) return false;
  if (selector.names.some((pattern) => globMatches(pattern, scenario.id))) return true;
  return selector.tags.some((tag) => tag !== UNIVERSAL_TAG && scenario.tags.includes(tag));
}

/** Ids of the scenarios a selector picks, in the order given. */
export function selectedIds(selector: Selector, scenarios: readonly Selectable[]): string[] {
  return scenarios.filter((scenario) => selects(selector, scenario)).map((scenario) => scenario.id);
}

const globCache = new Map<string, RegExp>();

/** Shell-style glob on ids: `*` any run, `?` one character; anything else literal. */
export function globMatches(pattern: string, id: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === id;
  let regex = globCache.get(pattern);
  if (!regex) {
    const source = pattern.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    regex = new RegExp(`^${source}$`);
    globCache.set(pattern, regex);
  }
  return regex.test(id);
}
