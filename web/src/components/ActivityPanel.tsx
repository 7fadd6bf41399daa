/** The activity log, newest first, live, filterable by category. */
import { ACTIVITY_CATEGORIES, type ActivityCategory, type ActivityEntry } from '../api/types';
import { useDashboard } from '../live/dashboard';
import { useCell, useResource } from '../live/resource';
import { clockTime } from '../lib/format';
import { Loaded, Panel } from './Panel';

/** Rows rendered; the feed keeps a few more so a filter change has something to show at once. */
const SHOWN = 100;

function Entry({ entry }: { entry: ActivityEntry }) {
  return (
    <li class={`entry entry-${entry.level}`} data-category={entry.category}>
      <time dateTime={entry.timestamp} class="entry-time">
        {clockTime(entry.timestamp)}
      </time>
      <span class="chip">{entry.category}</span>
      {entry.level !== 'info' && <span class={`chip chip-${entry.level}`}>{entry.level}</span>}
      <span class="entry-message">
        {entry.scenario && <code>{entry.scenario}</code>} {entry.message}
      </span>
      <span class="entry-actor muted">{entry.actor}</span>
    </li>
  );
}

/** The panel with its category select. */
export function ActivityPanel() {
  const dashboard = useDashboard();
  const state = useResource(dashboard.activity);
  const category = useCell(dashboard.activityCategory);
  const select = (
    <label class="inline-field">
      <span>Category</span>
      <select value={category ?? ''} onChange={(event) => dashboard.activityCategory.set((event.currentTarget.value || null) as ActivityCategory | null)}>
        <option value="">All</option>
        {ACTIVITY_CATEGORIES.map((value) => (
          <option key={value} value={value}>
            {value}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <Panel id="activity" title="Activity" actions={select}>
      <Loaded state={state} retry={() => dashboard.activity.refresh()} what="the activity log">
        {(entries) =>
          entries.length === 0 ? (
            <p class="empty">{category ? `No ${category} activity yet.` : 'No activity yet.'}</p>
          ) : (
            <div class="log" role="log" aria-label="Activity log, newest first" tabIndex={0}>
              <ol>
                {entries.slice(0, SHOWN).map((entry) => (
                  <Entry key={entry.id} entry={entry} />
                ))}
              </ol>
            </div>
          )
        }
      </Loaded>
    </Panel>
  );
}
