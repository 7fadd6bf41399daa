/** The one status a scenario card shows, derived from the API's state and conditions. Pure. */
import type { Scenario } from '../api/types';

/** What the indicator shows; each has a colour, a glyph and a word, so colour is never the only cue. */
export type StatusKind = 'inactive' | 'active' | 'transitioning' | 'blocked' | 'unreachable' | 'error';

/** Label and glyph per kind. */
export const STATUS_LABEL: Record<StatusKind, { text: string; glyph: string }> = {
  active: { text: 'Active', glyph: '●' },
  inactive: { text: 'Inactive', glyph: '○' },
  transitioning: { text: 'Transitioning', glyph: '◐' },
  blocked: { text: 'Blocked', glyph: '⊘' },
  unreachable: { text: 'Unreachable', glyph: '⚠' },
  error: { text: 'Error', glyph: '✕' },
};

function isTrue(scenario: Scenario, type: 'Progressing' | 'Blocked' | 'Stalled'): boolean {
  return scenario.conditions.some((condition) => condition.type === type && condition.status === 'True');
}

/**
 * The most urgent fact first: a scenario that does not answer or is stalled needs a human; a gate explains
 * why something desired is not running; transitioning means the loop is on it.
 */
export function statusOf(scenario: Scenario): StatusKind {
  if (scenario.observedState === 'unreachable' || scenario.reason === 'Unreachable') return 'unreachable';
  if (isTrue(scenario, 'Stalled')) return 'error';
  if (isTrue(scenario, 'Blocked')) return 'blocked';
  const observed = scenario.isActive ? 'active' : 'inactive';
  if (scenario.inFlight !== null || isTrue(scenario, 'Progressing') || scenario.targetState !== observed) return 'transitioning';
  return observed;
}

/** The list filters of the scenario panel. */
export type ScenarioFilter = 'all' | 'active' | 'blocked' | 'unreachable';

/** Whether a scenario passes a filter and a free-text search over id, name and tags. */
export function matches(scenario: Scenario, filter: ScenarioFilter, search: string): boolean {
  const kind = statusOf(scenario);
  if (filter === 'active' && !scenario.isActive) return false;
  if (filter === 'blocked' && kind !== 'blocked') return false;
  if (filter === 'unreachable' && kind !== 'unreachable') return false;
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return [scenario.id, scenario.name, scenario.displayName, ...scenario.tags].some((text) => text.toLowerCase().includes(needle));
}
