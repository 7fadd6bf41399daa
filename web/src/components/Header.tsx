/** The sticky top bar: what state maintenance is in, and STOP ALL, always in reach. */
import { useState } from 'preact/hooks';
import { roleHint, useCan } from '../live/access';
import { hasToken } from '../api/client';
import { useDashboard } from '../live/dashboard';
import { useCell, useResource } from '../live/resource';
import { actorLabel } from '../lib/actor';
import { ActorForm } from './ActorPrompt';
import { ResumeButton } from './Banners';
import { Dialog } from './Dialog';
import { StopAllDialog } from './StopAllDialog';

const STATE_TEXT = { active: 'Maintenance active', inactive: 'No maintenance running', stopped: 'Emergency stop' } as const;

/** Who the activity log will say acted from this page; a click changes the name (anonymous mode only). */
function ActorButton() {
  const name = useCell(useDashboard().actorName);
  const [open, setOpen] = useState(false);
  if (hasToken || name === null) return null;
  return (
    <>
      <button type="button" class="button actor-button" aria-label={`Recorded as ${actorLabel({ token: false, name })}: change your name`} onClick={() => setOpen(true)}>
        {actorLabel({ token: false, name })}
      </button>
      {open && (
        <Dialog id="actor" title="Your name for the activity log" onClose={() => setOpen(false)}>
          <p class="muted">Sent with every change from this browser; the activity log shows it as local:name.</p>
          <ActorForm onDone={() => setOpen(false)} />
        </Dialog>
      )}
    </>
  );
}

/** Which replica leads (SPEC 9), and whether this page talks to it or to a follower. */
function LeaderNote({ status }: { status: { role: string; leader: { id: string; epoch: number } | null } }) {
  const leader = status.leader;
  const text = leader ? `led by ${leader.id} (epoch ${leader.epoch})` : 'no leader';
  return (
    <span class="counts" data-testid="leader" title={status.role === 'leader' ? 'This replica leads: it calls the scenarios.' : 'This replica follows: changes made here are stored and the leader carries them out.'}>
      {' · '}
      {text}
      {status.role === 'follower' ? ' · this replica follows' : ''}
    </span>
  );
}

/** Title, overall state, counts, who is acting, STOP ALL and (when stopped) RESUME. */
export function Header() {
  // What the token's role may not do is disabled, not left to fail with 403 (SPEC 8).
  const canOperate = useCan('operator');
  const status = useResource(useDashboard().status).data;
  const [stopping, setStopping] = useState(false);
  return (
    <header class="topbar">
      <div class="topbar-title">
        <h1>Maintenance Orchestrator</h1>
        {status && (
          <p class="topbar-summary">
            <span class={`pill pill-${status.maintenanceState}`} data-testid="maintenance-state">
              {STATE_TEXT[status.maintenanceState]}
            </span>
            <span class={`pill pill-${status.health === 'healthy' ? 'healthy' : 'degraded'}`}>{status.health}</span>
            <span class="counts" data-testid="header-counts">
              {status.activeScenarios} active · {status.blockedScenarios ?? 0} blocked · {status.unreachableScenarios ?? 0} unreachable · {status.totalScenarios} total
            </span>
            <LeaderNote status={status} />
          </p>
        )}
      </div>
      <div class="topbar-actions">
        <ActorButton />
        {status?.emergencyStop && <ResumeButton compact />}
        <button type="button" class="button danger stop-all" onClick={() => setStopping(true)} disabled={!canOperate} title={canOperate ? undefined : roleHint('operator')}>
          STOP ALL
        </button>
      </div>
      {stopping && <StopAllDialog onClose={() => setStopping(false)} />}
    </header>
  );
}
