/**
 * Banners that change what the screen means: a lost connection (data may be stale), an emergency stop, and
 * break-glass activations passing the gates (SPEC 10).
 */
import { useEffect, useState } from 'preact/hooks';
import { roleHint, useCan } from '../live/access';
import { api, errorMessage } from '../api/client';
import { useDashboard, type Notice } from '../live/dashboard';
import { useCell, useResource } from '../live/resource';
import { clockTime, formatDuration } from '../lib/format';
import { useNow } from '../lib/ticker';
import { isTransient, SUCCESS_NOTICE_MS } from '../lib/notices';

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
  // What the token's role may not do is disabled, not left to fail with 403 (SPEC 8).
  const canOperate = useCan('operator');
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
    <button type="button" class={`button ${compact ? '' : 'primary'}`} onClick={resume} disabled={busy || !canOperate} title={canOperate ? undefined : roleHint('operator')}>
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

/**
 * Every break-glass activation in force: which scenario passes the gates, who broke the glass and why, and
 * the time left, counted down each second. It goes when the TTL lapses (the next status after it).
 */
export function BreakGlassBanner() {
  const status = useResource(useDashboard().status).data;
  // useNow ticks each second and re-renders; read the clock itself too, so a banner drawn between ticks (a
  // status that just arrived) never shows more time left than the TTL.
  const now = Math.max(useNow(), Date.now());
  const glass = status?.breakGlass ?? [];
  if (glass.length === 0) return null;
  return (
    <div class="banner banner-warning" role="status" data-testid="break-glass-banner">
      <div>
        <strong>Break-glass</strong>: {glass.length === 1 ? 'one scenario passes' : `${glass.length} scenarios pass`} the window, host, health, failure-budget and cooldown gates.
        <ul class="banner-list">
          {glass.map((entry) => (
            <li key={entry.scenario} data-testid="break-glass-entry">
              <strong>{entry.scenario}</strong> by {entry.actor}: “{entry.reason}”, <span data-testid="break-glass-left">{formatDuration(Date.parse(entry.expiresAt) - now)} left</span> (until{' '}
              <time dateTime={entry.expiresAt}>{clockTime(entry.expiresAt, now)}</time>)
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** One message; a success closes itself unless the user is reading it (pointer over it, or focus inside). */
function NoticeItem({ notice, onDismiss }: { notice: Notice; onDismiss(): void }) {
  const [held, setHeld] = useState(false);
  const transient = isTransient(notice);
  useEffect(() => {
    if (!transient || held) return;
    const timer = window.setTimeout(onDismiss, SUCCESS_NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [transient, held]);
  return (
    <div
      class={`notice notice-${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : undefined}
      data-kind={notice.kind}
      onMouseEnter={() => setHeld(true)}
      onMouseLeave={() => setHeld(false)}
      onFocusIn={() => setHeld(true)}
      onFocusOut={() => setHeld(false)}
    >
      <span>{notice.text}</span>
      <button type="button" class="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}

/**
 * Outcomes of this tab's actions: one stack of at most three, in the sticky top bar under STOP ALL, so
 * it takes its own room instead of lying over the controls (on a phone, over the cards' switches). A
 * polite live region, so screen readers hear each message once; errors interrupt.
 */
export function Notices() {
  const dashboard = useDashboard();
  const notices = useCell(dashboard.notices);
  return (
    <div class="notices" aria-live="polite" data-testid="notices">
      {notices.map((notice) => (
        <NoticeItem key={notice.id} notice={notice} onDismiss={() => dashboard.dismiss(notice.id)} />
      ))}
    </div>
  );
}
