/** Every scenario as a card, with search by name or tag and the active / blocked / unreachable filters. */
import { useMemo, useState } from 'preact/hooks';
import type { Scenario } from '../api/types';
import { useDashboard } from '../live/dashboard';
import { useResource } from '../live/resource';
import { matches, statusOf, type ScenarioFilter } from '../lib/status';
import { Loaded, Panel } from './Panel';
import { ScenarioCard } from './ScenarioCard';

/** Cards rendered at once; a fleet of thousands is searched, not scrolled. */
const PAGE = 120;

const FILTERS: { value: ScenarioFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Active' },
  { value: 'blocked', label: 'Blocked' },
  { value: 'unreachable', label: 'Unreachable' },
];

function countFor(scenarios: Scenario[], filter: ScenarioFilter): number {
  if (filter === 'all') return scenarios.length;
  if (filter === 'active') return scenarios.filter((scenario) => scenario.isActive).length;
  return scenarios.filter((scenario) => statusOf(scenario) === filter).length;
}

function ScenarioGrid({ scenarios }: { scenarios: Scenario[] }) {
  const [search, setSearch] = useState('');
  const [filter, setFilter] = useState<ScenarioFilter>('all');
  const [limit, setLimit] = useState(PAGE);
  const shown = useMemo(() => scenarios.filter((scenario) => matches(scenario, filter, search)), [scenarios, filter, search]);
  const clear = () => {
    setSearch('');
    setFilter('all');
  };
  return (
    <>
      <div class="toolbar">
        <label class="search">
          <span class="sr-only">Search scenarios by name or tag</span>
          <input type="search" placeholder="Search by name or tag" value={search} onInput={(event) => setSearch(event.currentTarget.value)} />
        </label>
        <div class="segmented" role="group" aria-label="Filter scenarios">
          {FILTERS.map((option) => (
            <button key={option.value} type="button" class="segment" aria-pressed={filter === option.value} onClick={() => setFilter(option.value)}>
              {option.label} <span class="segment-count">{countFor(scenarios, option.value)}</span>
            </button>
          ))}
        </div>
      </div>
      <p class="muted result-count" aria-live="polite">
        {shown.length === scenarios.length ? `${scenarios.length} scenarios` : `${shown.length} of ${scenarios.length} scenarios`}
      </p>
      {scenarios.length === 0 ? (
        <div class="empty">
          <p>No maintenance scenarios discovered yet.</p>
          <p class="muted">The orchestrator scans SCENARIOS_DIR for folders whose .vrooli/service.json is tagged “maintenance”, and accepts registrations at /api/v1/registrations.</p>
        </div>
      ) : shown.length === 0 ? (
        <div class="empty">
          <p>No scenario matches{search.trim() ? ` “${search.trim()}”` : ''}{filter !== 'all' ? ` among ${filter} scenarios` : ''}.</p>
          <button type="button" class="button" onClick={clear}>
            Clear search and filter
          </button>
        </div>
      ) : (
        <div class="cards">
          {shown.slice(0, limit).map((scenario) => (
            <ScenarioCard key={scenario.id} scenario={scenario} />
          ))}
        </div>
      )}
      {shown.length > limit && (
        <button type="button" class="button more" onClick={() => setLimit(limit + PAGE)}>
          Show {Math.min(PAGE, shown.length - limit)} more of {shown.length - limit} hidden
        </button>
      )}
    </>
  );
}

/** The panel around the grid. */
export function ScenarioPanel() {
  const resource = useDashboard().scenarios;
  const state = useResource(resource);
  return (
    <Panel id="scenarios" title="Scenarios">
      <Loaded state={state} retry={() => resource.refresh()} what="scenarios">
        {(list) => <ScenarioGrid scenarios={list.scenarios} />}
      </Loaded>
    </Panel>
  );
}
