/**
 * Everything the dashboard shows, wired to the one event stream, so a change made anywhere (this tab,
 * another browser, the CLI, a schedule) shows without a reload: `state` events refetch the scenarios and
 * the status; each activity entry is appended to the log and refetches what its category can have
 * changed (see `RESOURCES_OF`); a reconnect refetches everything, since events may have been missed.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { api, apiUrl, storedActorName, storeActorName } from '../api/client';
import type { ActivityCategory, ActivityEntry, History, Preset, ScenarioList, ScheduleList, Status } from '../api/types';
import { mergeEntries } from '../lib/activity';
import { pushNotice, type Notice } from '../lib/notices';
import { connectEvents, type ConnectionState } from './events';
import { Cell, Resource } from './resource';

export type { Notice } from '../lib/notices';

/** The live model of the dashboard. */
export interface Dashboard {
  scenarios: Resource<ScenarioList>;
  status: Resource<Status>;
  presets: Resource<Preset[]>;
  schedules: Resource<ScheduleList>;
  history: Resource<History>;
  activity: Resource<ActivityEntry[]>;
  /** The log's category filter; `null` shows every category. */
  activityCategory: Cell<ActivityCategory | null>;
  connection: Cell<ConnectionState>;
  /** Outcomes of this tab's actions, newest last: at most three, successes go by themselves. */
  notices: Cell<Notice[]>;
  /** The name for the activity log (see `storedActorName`): a name, `''` declined, `null` never asked. */
  actorName: Cell<string | null>;
  setActorName(name: string): void;
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
  /** Refetches what an action of this tab changed, without waiting for the event. */
  afterAction(): void;
  /** Loads everything and opens the stream; returns the teardown. */
  start(): () => void;
}

/** Builds the model; nothing is fetched before `start()`. */
export function createDashboard(): Dashboard {
  let nextNotice = 0;
  const activityCategory = new Cell<ActivityCategory | null>(null);
  // Merged rather than replaced: an entry that arrived over the stream while this request ran must stay.
  const activity: Resource<ActivityEntry[]> = new Resource(async () => {
    const category = activityCategory.current;
    const entries = await api.activity(category ?? undefined);
    return mergeEntries(activity.current.data ?? [], entries, activityCategory.current);
  });
  const dashboard: Dashboard = {
    scenarios: new Resource(api.scenarios),
    status: new Resource(api.status),
    presets: new Resource(api.presets),
    schedules: new Resource(api.schedules),
    history: new Resource(api.history),
    activity,
    activityCategory,
    connection: new Cell<ConnectionState>('connecting'),
    notices: new Cell<Notice[]>([]),
    actorName: new Cell<string | null>(storedActorName()),
    setActorName(name) {
      storeActorName(name);
      dashboard.actorName.set(name);
    },
    notify(kind, text) {
      nextNotice += 1;
      dashboard.notices.set(pushNotice(dashboard.notices.current, { id: nextNotice, kind, text }));
    },
    dismiss(id) {
      dashboard.notices.set(dashboard.notices.current.filter((notice) => notice.id !== id));
    },
    afterAction() {
      dashboard.scenarios.refresh();
      dashboard.status.refresh();
    },
    start: () => start(dashboard),
  };
  activityCategory.subscribe(() => {
    activity.update((entries) => mergeEntries(entries ?? [], [], activityCategory.current));
    activity.refresh();
  });
  return dashboard;
}

function refreshAll(dashboard: Dashboard): void {
  for (const resource of [dashboard.scenarios, dashboard.status, dashboard.presets, dashboard.schedules, dashboard.history, dashboard.activity]) resource.refresh();
}

type Refreshable = 'scenarios' | 'status' | 'presets' | 'schedules';

/**
 * What an entry of each category can have changed beyond the log itself. `api` and `system` entries are
 * intents, emergency stop and resume: the declared state (applied presets, overrides, the latch) changes
 * even when no scenario does, so no `state` event may follow. A window opening or closing changes the
 * declared state and the schedules' open/next times. The rest reach the screen through `state` events.
 */
export const RESOURCES_OF: Record<ActivityCategory, readonly Refreshable[]> = {
  api: ['scenarios', 'status', 'presets'],
  system: ['scenarios', 'status', 'presets'],
  schedule: ['scenarios', 'status', 'schedules'],
  action: ['scenarios', 'status'],
  gate: ['scenarios', 'status'],
  reconcile: [],
  discovery: [],
  // A delivery's outcome changes nothing the page shows but the log itself.
  notification: [],
  // A change of leader changes who the header names.
  leader: ['status'],
};

function onActivity(dashboard: Dashboard, entry: ActivityEntry): void {
  dashboard.activity.update((entries) => mergeEntries(entries ?? [], [entry], dashboard.activityCategory.current));
  const stale = new Set<Refreshable>(RESOURCES_OF[entry.category] ?? ['scenarios', 'status', 'presets', 'schedules']);
  // A preset created, imported or deleted (category api) changes the list; one named elsewhere may too.
  if (entry.preset) stale.add('presets');
  for (const name of stale) dashboard[name].refresh();
}

function start(dashboard: Dashboard): () => void {
  refreshAll(dashboard);
  const stream = connectEvents(apiUrl('/events', {}, true), {
    onState: () => {
      dashboard.scenarios.refresh();
      dashboard.status.refresh();
    },
    onActivity: (entry) => onActivity(dashboard, entry),
    onReconnected: () => refreshAll(dashboard),
    onConnection: (state) => dashboard.connection.set(state),
  });
  // History samples are taken on a server timer and have no event; one request per sample interval, and
  // none while the tab is hidden.
  const historyTimer = window.setInterval(() => {
    if (document.visibilityState === 'visible' && dashboard.connection.current === 'open') dashboard.history.refresh();
  }, 10_000);
  const onVisible = () => {
    if (document.visibilityState === 'visible') dashboard.history.refresh();
  };
  document.addEventListener('visibilitychange', onVisible);
  return () => {
    stream.close();
    window.clearInterval(historyTimer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}

/** The dashboard of this page, for components. */
export const DashboardContext = createContext<Dashboard | null>(null);

/** The dashboard from context; a missing provider is a programming error. */
export function useDashboard(): Dashboard {
  const dashboard = useContext(DashboardContext);
  if (!dashboard) throw new Error('useDashboard outside <DashboardContext.Provider>');
  return dashboard;
}
