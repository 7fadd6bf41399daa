/** Banners that change what the screen means: a lost connection (data may be stale) and an emergency stop. */
import { useState } from 'preact/hooks';
import { api, errorMessage } from '../api/client';
import { useDashboard } from '../live/dashboard';
import { useCell, useResource } from '../live/resource';
import { clockTime } from '../lib/format';

/** Shown while the event stream is down; EventSource (or our backoff) keeps reconnecting. */
export function ConnectionBanner() {
  const state = useCell(useDashboard().connection);
  if (state !== 'lost') return null;
  return (
    <div class="banner banner-warning" role="status" data-testid="connection-banner">
      <strong>Connection lost.</strong> Reconnecting… What you see may be out of date.
    </div>
  );
}

/** Resumes after an emergency stop; lifts the latch only, nothing comes back on its own. */
export function ResumeButton({ compact = false }: { compact?: boolean }) {
  const dashboard = useDashboard();
  const [busy, setBusy] = useState(false);
  const resume = async () => {
    setBusy(true);
    try {
      await api.resume();
      dashboard.notify('success', 'Resumed: activations are allowed again. Nothing was reactivated; apply a preset or activate scenarios.');
      dashboard.afterAction();
    } catch (error: unknown) {
      dashboard.notify('error', `Resume failed: ${errorMessage(error)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button type="button" class={`button ${compact ? '' : 'primary'}`} onClick={resume} disabled={busy}>
      {busy ? 'Resuming…' : 'Resume'}
    </button>
  );
}

/** Who stopped everything, when and why, for as long as the latch holds. */
export function EmergencyBanner() {
  const status = useResource(useDashboard().status).data;
  const stop = status?.emergencyStop;
  if (!stop) return null;
  return (
    <div class="banner banner-danger" role="status" data-testid="emergency-banner">
      <div>
        <strong>Emergency stop</strong> by {stop.actor} at <time dateTime={stop.at}>{clockTime(stop.at)}</time>: “{stop.reason}”. Nothing activates until resume.
      </div>
      <ResumeButton />
    </div>
  );
}

/** Outcomes of this tab's actions; polite live region so screen readers hear them once. */
export function Notices() {
  const dashboard = useDashboard();
  const notices = useCell(dashboard.notices);
  return (
    <div class="notices" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} class={`notice notice-${notice.kind}`}>
          <span>{notice.text}</span>
          <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => dashboard.dismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
