/**
 * Everything the dashboard shows, wired to the one event stream: `state` events refetch the scenarios and
 * the status, activity entries are appended as they come (and nudge the few resources they concern), and
 * a reconnect refetches everything because events may have been missed while the stream was down.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { api, apiUrl } from '../api/client';
import type { ActivityCategory, ActivityEntry, History, Preset, ScenarioList, ScheduleList, Status } from '../api/types';
import { mergeEntries } from '../lib/activity';
import { connectEvents, type ConnectionState } from './events';
import { Cell, Resource } from './resource';

/** The outcome of an action, said in words (refusals keep the server's reason). */
export interface Notice {
  id: number;
  kind: 'success' | 'warning' | 'error';
  text: string;
}

/** Notices shown at once; older ones go, so the stack never covers the page. */
const NOTICES_KEPT = 3;

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
  /** Outcomes of this tab's actions, newest last, until dismissed. */
  notices: Cell<Notice[]>;
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
    notify(kind, text) {
      nextNotice += 1;
      dashboard.notices.set([...dashboard.notices.current, { id: nextNotice, kind, text }].slice(-NOTICES_KEPT));
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

function onActivity(dashboard: Dashboard, entry: ActivityEntry): void {
  dashboard.activity.update((entries) => mergeEntries(entries ?? [], [entry], dashboard.activityCategory.current));
  // Emergency stop and resume change the status without necessarily changing a scenario.
  if (entry.category === 'system' || entry.category === 'api') dashboard.status.refresh();
  if (entry.category === 'schedule') dashboard.schedules.refresh();
  if (entry.preset) dashboard.presets.refresh();
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
