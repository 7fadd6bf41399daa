/**
 * What a scenario card says went wrong with its last toggle, and when that stops being true. Pure.
 * A message describes the server's state at one moment; it is judged again only against data requested
 * after it was raised, so a refetch that was already under way cannot clear it too early.
 */
import type { Scenario } from '../api/types';

/** Why the last toggle did not do what was asked. */
export type CardProblem =
  /** Refused because the emergency stop latch is set: true until someone resumes. */
  | { kind: 'stopped'; text: string; raisedAt: number }
  /** Refused by a gate; the scenario stays desired active: true while that gate holds it. */
  | { kind: 'gate'; gate: string; text: string; raisedAt: number }
  /** Asked for a state the scenario has not reached yet: true until it does or is asked otherwise. */
  | { kind: 'pending'; target: 'active' | 'inactive'; text: string; raisedAt: number }
  /** Anything else (the server unreachable, an unknown id): true until closed or the next toggle. */
  | { kind: 'failed'; text: string; raisedAt: number };

/** What the card knows now, each with the sequence number of the request that brought it (see `mark`). */
export interface CardFacts {
  scenario: Scenario;
  scenarioRequestedAt: number;
  emergencyStop: boolean;
  statusRequestedAt: number;
}

/** Whether `problem` still describes the scenario. */
export function problemHolds(problem: CardProblem, facts: CardFacts): boolean {
  if (problem.kind === 'stopped') return facts.statusRequestedAt <= problem.raisedAt || facts.emergencyStop;
  if (facts.scenarioRequestedAt <= problem.raisedAt) return true;
  const { scenario } = facts;
  switch (problem.kind) {
    case 'gate':
      return scenario.reason === problem.gate && scenario.desiredState === 'active';
    case 'pending':
      return scenario.desiredState === problem.target && (scenario.isActive ? 'active' : 'inactive') !== problem.target;
    case 'failed':
      return true;
  }
}
