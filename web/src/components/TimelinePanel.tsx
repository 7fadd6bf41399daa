/**
 * The next 7 days: every window run by kind (allow, deny, blackout) and override expiries on one strip per
 * kind, with a now-line. A click on the strip (or an instant typed below it) shows the fleet as the loop's
 * own planner would leave it at that instant (POST /plan {at}).
 */
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import type { FleetPlan, Timeline, TimelineEntry } from '../api/types';
import { clockTime } from '../lib/format';
import { Panel } from './Panel';

const ROWS: { kind: TimelineEntry['kind']; label: string }[] = [
  { kind: 'allow', label: 'Allow windows' },
  { kind: 'deny', label: 'Deny windows' },
  { kind: 'blackout', label: 'Blackouts' },
  { kind: 'override', label: 'Overrides' },
  { kind: 'breakGlass', label: 'Break-glass' },
];
const REFRESH_MS = 60_000;

/** Where an instant sits on the strip, as a percentage clamped to it. */
function position(iso: string | null, from: number, span: number, fallback: number): number {
  const at = iso === null ? fallback : Date.parse(iso);
  return Math.min(100, Math.max(0, ((at - from) / span) * 100));
}

/** What the fleet looks like at the clicked instant. */
function PlanAt({ plan }: { plan: FleetPlan }) {
  const scenarios = plan.scenarios ?? [];
  const active = scenarios.filter((scenario) => scenario.target === 'active');
  const held = scenarios.filter((scenario) => scenario.desired === 'active' && scenario.target !== 'active');
  return (
    <div class="plan-at" data-testid="plan-at" aria-live="polite">
      <p>
        At <time dateTime={plan.at}>{plan.at ? clockTime(plan.at) : ""}</time>: <strong data-testid="plan-at-count">{active.length}</strong> of {scenarios.length} scenarios active
      </p>
      {active.length > 0 && (
        <ul class="chips" aria-label="Active at that instant" data-testid="plan-at-active">
          {active.map((scenario) => (
            <li key={scenario.id} class="chip chip-on">
              {scenario.id}
            </li>
          ))}
        </ul>
      )}
      {held.length > 0 && (
        <ul class="plan-held" aria-label="Held at that instant" data-testid="plan-at-held">
          {held.map((scenario) => (
            <li key={scenario.id}>
              <code>{scenario.id}</code>: {scenario.reason}
              {scenario.message ? ` — ${scenario.message}` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The panel. */
export function TimelinePanel() {
  const [timeline, setTimeline] = useState<Timeline | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [plan, setPlan] = useState<FleetPlan | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  useEffect(() => {
    const load = () => api.timeline().then((body) => (setTimeline(body), setError(null)), (caught: unknown) => setError(errorMessage(caught)));
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const planAt = (at: string) => {
    setPlanError(null);
    api.planAt(at).then(setPlan, (caught: unknown) => setPlanError(errorMessage(caught)));
  };
  if (!timeline) return <Panel id="timeline" title="Next 7 days">{error ? <p role="alert">Could not load the timeline: {error}</p> : <p class="empty">Loading the timeline…</p>}</Panel>;
  const from = Date.parse(timeline.from);
  const to = Date.parse(timeline.to);
  const span = to - from;
  const onStrip = (event: MouseEvent) => {
    const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    planAt(new Date(from + fraction * span).toISOString());
  };
  const days = Array.from({ length: Math.round(span / 86_400_000) }, (_, index) => from + index * 86_400_000);
  const rows = ROWS.filter((row) => row.kind === 'allow' || row.kind === 'deny' || timeline.entries.some((entry) => entry.kind === row.kind));
  return (
    <Panel id="timeline" title="Next 7 days">
      <div class="timeline" data-testid="timeline" onClick={onStrip} title="Click an instant to see the fleet planned then">
        {days.map((day) => (
          <span key={day} class="timeline-day" style={{ left: `${position(new Date(day).toISOString(), from, span, from)}%` }}>
            {new Date(day).toLocaleDateString([], { weekday: 'short', day: 'numeric' })}
          </span>
        ))}
        {rows.map((row) => (
          <div key={row.kind} class="timeline-row" aria-label={row.label} role="list">
            <span class="timeline-label">{row.label}</span>
            {timeline.entries
              .filter((entry) => entry.kind === row.kind)
              .map((entry) => {
                const left = position(entry.start, from, span, from);
                const right = position(entry.end, from, span, to);
                const name = entry.schedule ?? entry.scenarios[0] ?? '';
                return (
                  <span
                    key={`${name}-${entry.start}`}
                    role="listitem"
                    class={`timeline-bar timeline-${entry.kind}`}
                    style={{ left: `${left}%`, width: `${Math.max(0.4, right - left)}%` }}
                    title={`${name}: ${clockTime(entry.start)} – ${entry.end ? clockTime(entry.end) : 'open-ended'}${entry.preset ? ` (preset ${entry.preset})` : ''}, ${entry.scenarioCount} scenarios`}
                    data-entry={name}
                  />
                );
              })}
          </div>
        ))}
        <span class="timeline-now" data-testid="timeline-now" style={{ left: `${position(timeline.now, from, span, from)}%` }} aria-label="now" />
      </div>
      <form
        class="timeline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (typed.trim()) planAt(typed.trim());
        }}
      >
        <label>
          Plan at <input type="text" value={typed} placeholder="sat 02:00, +3h, 2026-12-24T02:00" onInput={(event) => setTyped((event.currentTarget as HTMLInputElement).value)} />
        </label>
        <button type="submit" class="button">
          Show
        </button>
      </form>
      {planError && <p role="alert">Could not plan: {planError}</p>}
      {plan && <PlanAt plan={plan} />}
    </Panel>
  );
}
