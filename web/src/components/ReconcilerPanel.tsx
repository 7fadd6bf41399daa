/** The reconciler's health: when it last passed, how long it took, and its last error. */
import { useDashboard } from '../live/dashboard';
import { useResource } from '../live/resource';
import { relative } from '../lib/format';
import { useNow } from '../lib/ticker';
import { Loaded, Panel } from './Panel';

/** The panel. */
export function ReconcilerPanel() {
  const resource = useDashboard().status;
  const state = useResource(resource);
  const now = useNow();
  return (
    <Panel id="reconciler" title="Reconciler">
      <Loaded state={state} retry={() => resource.refresh()} what="the status">
        {(status) => (
          <dl class="facts">
            <div>
              <dt>Health</dt>
              <dd>
                <span class={`pill pill-${status.health === 'healthy' ? 'healthy' : 'degraded'}`}>{status.health}</span>
              </dd>
            </div>
            <div>
              <dt>Last pass</dt>
              <dd>
                {status.reconciler ? (
                  <>
                    <time dateTime={status.reconciler.lastPassAt}>{relative(status.reconciler.lastPassAt, now)}</time>, took {status.reconciler.lastPassMs} ms
                  </>
                ) : (
                  'no pass yet'
                )}
              </dd>
            </div>
            <div>
              <dt>Last error</dt>
              <dd class={status.reconciler?.lastError ? 'text-error' : ''}>{status.reconciler?.lastError ?? 'none'}</dd>
            </div>
            <div>
              <dt>Applied presets</dt>
              <dd>{status.appliedPresets?.length ? status.appliedPresets.join(', ') : 'none'}</dd>
            </div>
          </dl>
        )}
      </Loaded>
    </Panel>
  );
}
