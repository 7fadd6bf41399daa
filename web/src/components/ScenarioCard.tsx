/** One scenario: status, desired vs observed, why it is blocked, TTL left, tags, and the toggle. */
import { useEffect, useState } from 'preact/hooks';
import { useCan } from '../live/access';
import { api, ApiError, errorMessage } from '../api/client';
import type { Scenario } from '../api/types';
import { useDashboard } from '../live/dashboard';
import { mark, useResource } from '../live/resource';
import { formatDuration } from '../lib/format';
import { problemHolds, type CardProblem } from '../lib/problem';
import { statusOf } from '../lib/status';
import { useNow } from '../lib/ticker';
import { ExplainDrawer } from './ExplainDrawer';
import { StatusBadge } from './StatusBadge';
import { Switch } from './Switch';

/** Counts down to the end of an activation; its own component so only it re-renders every second. */
function TtlLeft({ until }: { until: string }) {
  const left = new Date(until).getTime() - useNow();
  return <span>{left > 0 ? `${formatDuration(left)} left` : 'expiring'}</span>;
}

function observedText(scenario: Scenario): string {
  if (scenario.observedState === 'unknown') return `unknown (last acknowledged ${scenario.isActive ? 'active' : 'inactive'})`;
  return scenario.observedState;
}

/** What a failed toggle tells the user, and what it is about (so the card knows when it stops being true). */
function problemOf(error: unknown): CardProblem {
  const raisedAt = mark();
  if (error instanceof ApiError && error.status === 409) {
    const text = `Refused: ${error.message}`;
    if (error.reason === 'EmergencyStop') return { kind: 'stopped', text, raisedAt };
    if (error.reason) return { kind: 'gate', gate: error.reason, text, raisedAt };
  }
  return { kind: 'failed', text: errorMessage(error), raisedAt };
}

/**
 * The last toggle's problem, until the server's state (changed by any client, a timer or a schedule) no
 * longer matches it, or it is closed. Its own component, so only a card with a problem follows the status.
 */
function ProblemLine({ problem, scenario, onClear }: { problem: CardProblem; scenario: Scenario; onClear(): void }) {
  const dashboard = useDashboard();
  const scenarios = useResource(dashboard.scenarios);
  const status = useResource(dashboard.status);
  const holds = problemHolds(problem, { scenario, scenarioRequestedAt: scenarios.requestedAt, emergencyStop: status.data?.emergencyStop != null, statusRequestedAt: status.requestedAt });
  useEffect(() => {
    if (!holds) onClear();
  }, [holds]);
  if (!holds) return null;
  return (
    <p class="card-problem" role="alert">
      <span>{problem.text}</span>
      <button type="button" class="icon-button" aria-label="Dismiss" onClick={onClear}>
        ×
      </button>
    </p>
  );
}

/** The card. The switch shows and sets the declared state; the badge shows what the scenario reports. */
export function ScenarioCard({ scenario }: { scenario: Scenario }) {
  // What the token's role may not do is disabled, not left to fail with 403 (SPEC 8).
  const canOperate = useCan('operator');
  const dashboard = useDashboard();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<CardProblem | null>(null);
  const [explaining, setExplaining] = useState(false);
  const kind = busy ? 'transitioning' : statusOf(scenario);
  const wantsActive = scenario.desiredState === 'active';

  const toggle = async () => {
    setBusy(true);
    setProblem(null);
    const target = wantsActive ? 'inactive' : 'active';
    try {
      // The API answers once the scenario acknowledged (bounded), so the card can say what really happened.
      const result = wantsActive ? await api.deactivate(scenario.id) : await api.activate(scenario.id);
      if (!result.success) setProblem({ kind: 'pending', target, text: `Asked to be ${target}; it reports ${result.newState}. The reconciler keeps trying.`, raisedAt: mark() });
    } catch (error: unknown) {
      setProblem(problemOf(error));
    } finally {
      setBusy(false);
      dashboard.afterAction();
    }
  };

  const titleId = `scenario-${scenario.id}-title`;
  return (
    <article class={`card card-${kind}`} aria-labelledby={titleId} data-scenario={scenario.id}>
      <div class="card-head">
        <div class="card-name">
          <h3 id={titleId}>{scenario.displayName}</h3>
          {scenario.displayName !== scenario.id && <code class="card-id">{scenario.id}</code>}
        </div>
        <Switch label={`Activate ${scenario.displayName}`} checked={wantsActive} busy={busy} disabled={scenario.gone || !canOperate} onToggle={toggle} />
      </div>
      <div class="card-status">
        <StatusBadge kind={kind} />
        {scenario.gone && <span class="chip chip-warn">gone</span>}
      </div>
      <dl class="card-facts">
        <div>
          <dt>Desired</dt>
          <dd>
            {scenario.desiredState}
            {scenario.desiredSource && !scenario.desiredSource.startsWith('default') && <span class="muted"> · {scenario.desiredSource}</span>}
          </dd>
        </div>
        <div>
          <dt>Observed</dt>
          <dd>{observedText(scenario)}</dd>
        </div>
        {scenario.activeUntil && (
          <div>
            <dt>TTL</dt>
            <dd>
              <TtlLeft until={scenario.activeUntil} />
            </dd>
          </div>
        )}
      </dl>
      {scenario.reason && (
        <p class="card-reason" data-testid="reason">
          <strong>{scenario.reason}</strong>
          {scenario.message ? `: ${scenario.message}` : ''}
        </p>
      )}
      {problem && <ProblemLine problem={problem} scenario={scenario} onClear={() => setProblem(null)} />}
      <button type="button" class="link-button" aria-label={`Why is ${scenario.displayName} ${scenario.targetState}?`} onClick={() => setExplaining(true)}>
        why?
      </button>
      {explaining && <ExplainDrawer id={scenario.id} name={scenario.displayName} onClose={() => setExplaining(false)} />}
      <ul class="chips" aria-label="Tags and weight">
        <li class={`chip ${scenario.weight === 'heavy' ? 'chip-heavy' : ''}`}>{scenario.weight}</li>
        {/* Every scenario carries `maintenance`; showing it would only add noise. */}
        {scenario.tags
          .filter((tag) => tag !== 'maintenance')
          .map((tag) => (
            <li key={tag} class="chip">
              {tag}
            </li>
          ))}
      </ul>
    </article>
  );
}
