/** The page: top bar, banners, then scenarios and presets beside the live panels (stacked on a phone). */
import { ApiError, hasToken } from './api/client';
import { TokenPrompt } from './components/TokenPrompt';
import { ActivityPanel } from './components/ActivityPanel';
import { ActorPrompt } from './components/ActorPrompt';
import { BreakGlassBanner, ConnectionBanner, EmergencyBanner, Notices } from './components/Banners';
import { GraphsPanel } from './components/GraphsPanel';
import { Header } from './components/Header';
import { PresetPanel } from './components/PresetPanel';
import { ReconcilerPanel } from './components/ReconcilerPanel';
import { ScenarioPanel } from './components/ScenarioPanel';
import { SchedulesPanel } from './components/SchedulesPanel';
import { TimelinePanel } from './components/TimelinePanel';
import { useDashboard } from './live/dashboard';
import { useResource } from './live/resource';

/** The whole dashboard. */
export function App() {
  const status = useResource(useDashboard().status);
  const unauthorized = status.error instanceof ApiError && status.error.status === 401;
  return (
    <>
      <a class="skip-link" href="#scenarios">
        Skip to scenarios
      </a>
      {/* STOP ALL and the messages stick together: messages take their own room, never over a control. */}
      <div class="sticky-top">
        <Header />
        <Notices />
      </div>
      <div class="banners">
        <ConnectionBanner />
        <EmergencyBanner />
        <BreakGlassBanner />
        {unauthorized && <TokenPrompt rejected={hasToken} />}
        <ActorPrompt />
      </div>
      <main class="layout">
        <div class="column-main">
          <PresetPanel />
          <TimelinePanel />
          <ScenarioPanel />
        </div>
        <div class="column-side">
          <ReconcilerPanel />
          <GraphsPanel />
          <SchedulesPanel />
          <ActivityPanel />
        </div>
      </main>
    </>
  );
}
