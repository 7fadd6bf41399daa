/**
 * How a create-preset request becomes a selector. Pure. Four shapes are accepted, one at a time:
 * - `selector: {names, tags, exclude}`, the shape of a Preset manifest;
 * - `names` / `tags` / `exclude` at the top level (this project's CLI);
 * - `states: {id: true|false}` (the original's Go CLI, optionally with `tags`): true ids are the preset's
 *   names, false ids its excludes, so a scenario switched off stays off even when a tag would pick it;
 * - nothing, or `fromCurrentState: true` (the original's README and Go CLI): the scenarios active now.
 */
import { DomainError } from '../common/domain-error';
import type { Selector } from '../presets/schema';
import { unknownNameMessage } from '../presets/unknown-name';

/** What a create request carries. */
export interface CreatePresetInput {
  name: string;
  description?: string;
  selector?: Partial<Selector>;
  names?: string[];
  tags?: string[];
  exclude?: string[];
  states?: Record<string, boolean>;
  fromCurrentState?: boolean;
  aliases?: string[];
}

/** The selector a request asks for, and how it was given (said in the activity log and the description). */
export interface RequestedSelector {
  selector: Selector;
  /** `snapshot` when it saves the scenarios active now. */
  kind: 'selector' | 'states' | 'snapshot';
}

/**
 * The selector of a create request. `activeNow` are the scenarios active now (for a snapshot); `known`
 * the discovered ids, against which `states` is checked (a typo there would select nothing, silently).
 */
export function requestedSelector(input: CreatePresetInput, activeNow: readonly string[], known: readonly string[]): RequestedSelector {
  const flat = Boolean(input.names?.length || input.tags?.length || input.exclude?.length);
  const shapes = [input.selector ? 'selector' : '', input.states ? 'states' : '', input.fromCurrentState ? 'fromCurrentState' : '', flat && !input.states ? 'names/tags/exclude' : ''].filter(Boolean);
  if (shapes.length > 1) throw new DomainError('Invalid', `give one of selector, states, fromCurrentState or names/tags/exclude, not ${shapes.join(' and ')}`);
  if (input.states && (input.names?.length || input.exclude?.length)) throw new DomainError('Invalid', 'states takes tags alongside it, not names or exclude');
  if (input.selector) return { kind: 'selector', selector: checkedSelector(input.selector) };
  if (input.states) return { kind: 'states', selector: fromStates(input.states, input.tags ?? [], known) };
  if (flat) return { kind: 'selector', selector: checkedSelector({ names: input.names, tags: input.tags, exclude: input.exclude }) };
  if (input.fromCurrentState === false) throw new DomainError('Invalid', 'give a selector, states, or fromCurrentState: true (the scenarios active now)');
  return { kind: 'snapshot', selector: { names: [...activeNow], tags: [], exclude: [] } };
}

function checkedSelector(selector: Partial<Selector>): Selector {
  const full = { names: selector.names ?? [], tags: selector.tags ?? [], exclude: selector.exclude ?? [] };
  if (!full.names.length && !full.tags.length) throw new DomainError('Invalid', 'a selector needs names or tags (exclude only takes away from them)');
  return full;
}

function fromStates(states: Record<string, boolean>, tags: string[], known: readonly string[]): Selector {
  const ids = Object.keys(states);
  if (ids.length === 0) throw new DomainError('Invalid', 'states must name at least one scenario: {"id": true}');
  const knownIds = new Set(known);
  const unknown = ids.find((id) => !knownIds.has(id));
  if (unknown !== undefined) throw new DomainError('Invalid', `states: ${unknownNameMessage('scenario', unknown, known)}`, { unknownScenario: unknown });
  const names = ids.filter((id) => states[id] === true).sort();
  if (names.length === 0 && tags.length === 0) throw new DomainError('Invalid', 'states must set at least one scenario to true (or come with tags)');
  return { names, tags, exclude: ids.filter((id) => states[id] === false).sort() };
}
