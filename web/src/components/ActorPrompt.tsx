/**
 * Who is acting, in anonymous loopback mode: asked once per browser (kept in localStorage) and sent with
 * every change as `X-Maintenance-Actor`, so the activity log says `local:alice` rather than `local`.
 * With a token the token's name is the actor and nothing is asked.
 */
import { useState } from 'preact/hooks';
import { hasToken } from '../api/client';
import { useDashboard } from '../live/dashboard';
import { useCell, useResource } from '../live/resource';
import { actorNameProblem } from '../lib/actor';

/** The form: a name, or "Not now" (recorded as `local`; the header's name button asks again). */
export function ActorForm({ onDone }: { onDone(): void }) {
  const dashboard = useDashboard();
  const [name, setName] = useState(dashboard.actorName.current ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const save = (event: Event) => {
    event.preventDefault();
    const trimmed = name.trim();
    const why = actorNameProblem(trimmed);
    if (why) {
      setProblem(why);
      return;
    }
    dashboard.setActorName(trimmed);
    onDone();
  };
  const skip = () => {
    dashboard.setActorName('');
    onDone();
  };
  return (
    <form class="actor-form" onSubmit={save} noValidate data-testid="actor-form">
      <label class="inline-field actor-field">
        <span>Your name for the activity log</span>
        <input
          name="actor"
          value={name}
          maxLength={64}
          autoComplete="username"
          aria-invalid={problem !== null}
          aria-describedby={problem ? 'actor-error' : undefined}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </label>
      <button type="submit" class="button primary">
        Save
      </button>
      <button type="button" class="button" onClick={skip}>
        Not now
      </button>
      {problem && (
        <p id="actor-error" class="form-error actor-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}

/** The one-time question, as a banner that blocks nothing (an emergency stop must never wait for it). */
export function ActorPrompt() {
  const dashboard = useDashboard();
  const name = useCell(dashboard.actorName);
  const reachable = useResource(dashboard.status).data !== null;
  const [editing, setEditing] = useState(true);
  if (hasToken || name !== null || !reachable || !editing) return null;
  return (
    <div class="banner banner-info" role="region" aria-label="Your name">
      <p class="banner-text">Changes you make here are recorded with your name. Without one they say <code>local</code>.</p>
      <ActorForm onDone={() => setEditing(false)} />
    </div>
  );
}
