/** Maintenance windows: open now (and until when) or when they next open. */
import type { Schedule } from '../api/types';
import { useDashboard } from '../live/dashboard';
import { useResource } from '../live/resource';
import { clockTime, relative } from '../lib/format';
import { useNow } from '../lib/ticker';
import { Loaded, Panel } from './Panel';

function When({ schedule }: { schedule: Schedule }) {
  const now = useNow();
  if (schedule.open) {
    return (
      <span class="window-open">
        <span class="status status-active">
          <span aria-hidden="true">●</span> Open now
        </span>
        {schedule.closesAt && (
          <>
            {' '}
            closes {relative(schedule.closesAt, now)} (<time dateTime={schedule.closesAt}>{clockTime(schedule.closesAt, now)}</time>)
          </>
        )}
      </span>
    );
  }
  if (!schedule.nextOpen) return <span class="muted">No upcoming opening</span>;
  // The zone's own wall clock is what the schedule means; the browser's clock may be elsewhere.
  return (
    <span>
      Next opens {relative(schedule.nextOpen, now)} (<time dateTime={schedule.nextOpen}>{schedule.nextOpenLocal ?? clockTime(schedule.nextOpen, now)}</time>)
    </span>
  );
}

function ScheduleRow({ schedule }: { schedule: Schedule }) {
  return (
    <li class="schedule">
      <div class="schedule-head">
        <strong>{schedule.name}</strong>
        <span class={`chip ${schedule.kind === 'deny' ? 'chip-warn' : 'chip-on'}`}>{schedule.kind === 'deny' ? 'deny' : 'allow'}</span>
        {schedule.source === 'calendar' && <span class="chip">calendar{schedule.readOnly ? ', read-only' : ''}</span>}
      </div>
      <div class="muted">
        {schedule.kind === 'deny' ? 'while open, blocks activations of' : 'while open, applies preset'} <code>{schedule.preset}</code>
        {schedule.cron && (
          <>
            {' '}
            · <code>{schedule.cron}</code> for {schedule.duration} ({schedule.timeZone ?? 'UTC'})
          </>
        )}
      </div>
      <When schedule={schedule} />
    </li>
  );
}

/** The panel; says so when the server has no schedules route. */
export function SchedulesPanel() {
  const resource = useDashboard().schedules;
  const state = useResource(resource);
  return (
    <Panel id="schedules" title="Schedules">
      <Loaded state={state} retry={() => resource.refresh()} what="schedules">
        {(list) =>
          !list.available ? (
            <p class="empty">Schedules are unavailable: this orchestrator has no schedules API.</p>
          ) : list.schedules.length === 0 ? (
            <p class="empty">No schedules. Create a maintenance window with `maintenance-orchestrator schedule create`.</p>
          ) : (
            <ul class="schedules">
              {list.schedules.map((schedule) => (
                <ScheduleRow key={schedule.name} schedule={schedule} />
              ))}
            </ul>
          )
        }
      </Loaded>
    </Panel>
  );
}
