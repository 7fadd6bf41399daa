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

const KIND_CHIP: Record<Schedule['kind'], string> = { allow: 'chip-on', deny: 'chip-warn', blackout: 'chip-warn' };

/** What the window does while open, in words. */
function Effect({ schedule }: { schedule: Schedule }) {
  if (schedule.kind === 'blackout') return <>while open, blocks activations of every scenario{schedule.summary && <> · {schedule.summary}</>}</>;
  return (
    <>
      {schedule.kind === 'deny' ? 'while open, blocks activations of' : 'while open, applies preset'} <code>{schedule.preset}</code>
    </>
  );
}

/** When it opens: once at `at`, or its cron with the day offset and the dates it is valid between. */
function Timing({ schedule }: { schedule: Schedule }) {
  const zone = schedule.timeZone ?? 'UTC';
  if (schedule.at) {
    return (
      <>
        {' '}
        · once at <code>{schedule.at}</code> for {schedule.duration} ({zone})
      </>
    );
  }
  if (!schedule.cron) return null;
  const offset = schedule.offsetDays ? ` ${schedule.offsetDays > 0 ? '+' : '−'}${Math.abs(schedule.offsetDays)}d` : '';
  return (
    <>
      {' '}
      · <code>{schedule.cron}</code>
      {offset} for {schedule.duration} ({zone})
      {schedule.validFrom && <> from {schedule.validFrom}</>}
      {schedule.validUntil && <> until {schedule.validUntil}</>}
    </>
  );
}

function ScheduleRow({ schedule }: { schedule: Schedule }) {
  return (
    <li class={`schedule schedule-${schedule.kind}`}>
      <div class="schedule-head">
        <strong>{schedule.name}</strong>
        <span class={`chip ${KIND_CHIP[schedule.kind] ?? 'chip-on'}`}>{schedule.kind}</span>
        {schedule.at && <span class="chip">one-off</span>}
        {schedule.source === 'calendar' && <span class="chip">calendar{schedule.readOnly ? ', read-only' : ''}</span>}
        {schedule.source === 'blackout-feed' && <span class="chip">blackout feed, read-only</span>}
      </div>
      <div class="muted">
        <Effect schedule={schedule} />
        <Timing schedule={schedule} />
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
