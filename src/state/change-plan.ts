/** What a change of declared state would do, computed before it is made (dry runs, confirmations). Pure. */
import type { Plan } from '../reconciler/planner';
import { GATES, type DesiredEntry } from '../reconciler/types';

/** The plan of a change, as the API, the CLI and the dashboard show it. */
export interface ChangePlan {
  activate: string[];
  deactivate: string[];
  blocked: { scenario: string; reason: string; message: string }[];
  /** Scenarios whose declared state the change alters. */
  touched: string[];
}

/** Ids whose declared state differs between two resolutions, sorted. */
export function touchedScenarios(before: ReadonlyMap<string, DesiredEntry>, after: ReadonlyMap<string, DesiredEntry>): string[] {
  return [...after.keys()].filter((id) => (before.get(id)?.state ?? 'inactive') !== after.get(id)!.state).sort();
}

/** Summarizes a plan for a hypothetical declared state against the current one. */
export function summarizeChange(
  before: ReadonlyMap<string, DesiredEntry>,
  after: ReadonlyMap<string, DesiredEntry>,
  planned: Pick<Plan, 'actions' | 'verdicts'>,
): ChangePlan {
  const touched = touchedScenarios(before, after);
  const blocked = [...planned.verdicts]
    .filter(([, verdict]) => verdict.desired.state === 'active' && verdict.reason && (GATES as readonly string[]).includes(verdict.reason))
    .map(([scenario, verdict]) => ({ scenario, reason: verdict.reason as string, message: verdict.message ?? '' }));
  return {
    activate: planned.actions.filter((action) => action.action === 'activate').map((action) => action.scenario).sort(),
    deactivate: planned.actions.filter((action) => action.action === 'deactivate').map((action) => action.scenario).sort(),
    blocked,
    touched,
  };
}
