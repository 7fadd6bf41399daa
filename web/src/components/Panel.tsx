/** A titled section of the page, and the honest loading / error / empty states every panel shares. */
import type { ComponentChildren } from 'preact';
import type { ResourceState } from '../live/resource';

/** A section with a heading that screen readers can jump to. */
export function Panel({ id, title, actions, children }: { id: string; title: string; actions?: ComponentChildren; children: ComponentChildren }) {
  return (
    <section class="panel" aria-labelledby={`${id}-heading`} id={id}>
      <div class="panel-head">
        <h2 id={`${id}-heading`}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/**
 * Renders `children(data)` once there is data; before that says "Loading…" or the error with a retry.
 * With stale data and a new error, the data stays and a short note says it could not be refreshed.
 */
export function Loaded<T>({ state, retry, what, children }: { state: ResourceState<T>; retry(): void; what: string; children: (data: T) => ComponentChildren }) {
  if (state.data === null) {
    if (state.error) {
      return (
        <div class="empty error-state" role="alert">
          <p>
            Could not load {what}: {state.error.message}
          </p>
          <button type="button" class="button" onClick={retry}>
            Try again
          </button>
        </div>
      );
    }
    return <p class="empty">Loading {what}…</p>;
  }
  return (
    <>
      {state.error && <p class="stale-note">Could not refresh {what}: {state.error.message}. Showing the last known data.</p>}
      {children(state.data)}
    </>
  );
}
