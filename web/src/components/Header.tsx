/** The sticky top bar: what state maintenance is in, and STOP ALL, always in reach. */
import { useState } from 'preact/hooks';
import { useDashboard } from '../live/dashboard';
import { useResource } from '../live/resource';
import { ResumeButton } from './Banners';
import { StopAllDialog } from './StopAllDialog';

const STATE_TEXT = { active: 'Maintenance active', inactive: 'No maintenance running', stopped: 'Emergency stop' } as const;

/** Title, overall state, counts, STOP ALL and (when stopped) RESUME. */
export function Header() {
  const status = useResource(useDashboard().status).data;
  const [stopping, setStopping] = useState(false);
  return (
    <header class="topbar">
      <div class="topbar-title">
        <h1>Maintenance Orchestrator</h1>
        {status && (
          <p class="topbar-summary">
            <span class={`pill pill-${status.maintenanceState}`}>{STATE_TEXT[status.maintenanceState]}</span>
            <span class={`pill pill-${status.health === 'healthy' ? 'healthy' : 'degraded'}`}>{status.health}</span>
            <span class="counts">
              {status.activeScenarios} active · {status.blockedScenarios ?? 0} blocked · {status.unreachableScenarios ?? 0} unreachable · {status.totalScenarios} total
            </span>
          </p>
        )}
      </div>
      <div class="topbar-actions">
        {status?.emergencyStop && <ResumeButton compact />}
        <button type="button" class="button danger stop-all" onClick={() => setStopping(true)}>
          STOP ALL
        </button>
      </div>
      {stopping && <StopAllDialog onClose={() => setStopping(false)} />}
    </header>
  );
}
