/** "Why?": a scenario's explanation — desired state and source, every gate in order, target, observed, health checks, next transition. */
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { Explanation } from '../api/types';
import { clockTime, relative } from '../lib/format';
import { Dialog } from './Dialog';

/** Where the desired state comes from, in words. */
function sourceText(source: Explanation['desired']['source']): string {
  if (source.kind === 'default') return 'nothing selects it';
  if (source.kind === 'preset') return `preset ${source.name}`;
  if (source.kind === 'window') return `allow window ${source.name} (preset ${source.preset})`;
  const reason = source.reason ? ` (${source.reason})` : '';
  return `${source.kind === 'breakGlass' ? 'break-glass' : source.kind}${reason}${source.expiresAt ? `, until ${clockTime(source.expiresAt)}` : ''}`;
}

/** Loads the explanation when opened; closes on Escape or the button. */
export function ExplainDrawer({ id, name, onClose }: { id: string; name: string; onClose(): void }) {
  const [explanation, setExplanation] = useState<Explanation | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.explain(id).then(setExplanation, (caught: unknown) => setError(errorMessage(caught)));
  }, [id]);
  const now = Date.now();
  return (
    <Dialog title={`Why is ${name} ${explanation ? explanation.target : '…'}?`} id={`explain-${id}`} onClose={onClose}>
      <div class="explain" data-testid="explain">
        {error && <p role="alert">Could not explain {id}: {error}</p>}
        {!explanation && !error && <p class="empty">Loading…</p>}
        {explanation && (
          <>
            <dl class="card-facts">
              <div>
                <dt>Desired</dt>
                <dd data-testid="explain-desired">
                  {explanation.desired.state}, from {sourceText(explanation.desired.source)}
                </dd>
              </div>
              <div>
                <dt>Target</dt>
                <dd data-testid="explain-target">
                  {explanation.target}
                  {explanation.reason && ` (${explanation.reason}${explanation.message ? `: ${explanation.message}` : ''})`}
                </dd>
              </div>
              <div>
                <dt>Observed</dt>
                <dd>
                  {explanation.observed.state}
                  {explanation.observed.inFlight && `, ${explanation.observed.inFlight} in flight`}
                  {explanation.observed.leaseExpiresAt && `, lease until ${clockTime(explanation.observed.leaseExpiresAt, now)}`}
                </dd>
              </div>
            </dl>
            <table class="gates" data-testid="explain-gates">
              <caption>Gates, in the order the loop checks them</caption>
              <thead>
                <tr>
                  <th scope="col">Gate</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {explanation.gates.map((gate) => (
                  <tr key={gate.gate} class={`gate-${gate.verdict}${gate.applied ? '' : ' gate-unapplied'}`} data-gate={gate.gate}>
                    <th scope="row">{gate.gate}</th>
                    <td>{gate.verdict}</td>
                    <td>{gate.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {explanation.healthChecks.length > 0 && (
              <ul class="health-checks" aria-label="Health checks">
                {explanation.healthChecks.map((check) => (
                  <li key={check.check}>
                    <strong>{check.check}</strong> {check.ok ? 'passes' : 'fails'} · {check.readAt ? `read ${relative(check.readAt, now)}` : 'not read yet'} · {check.message}
                  </li>
                ))}
              </ul>
            )}
            <p data-testid="explain-next">
              <strong>Next:</strong>{' '}
              {explanation.nextTransition ? (
                <>
                  <time dateTime={explanation.nextTransition.at}>{clockTime(explanation.nextTransition.at, now)}</time> ({relative(explanation.nextTransition.at, now)}): {explanation.nextTransition.cause}
                </>
              ) : (
                'nothing scheduled changes it'
              )}
            </p>
          </>
        )}
        <div class="dialog-actions">
          <button type="button" class="button" data-autofocus onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}
