import type { ScenarioSpec } from '../discovery/scenario';
import { unknownRecord } from '../reconciler/types';
import { standaloneTimers } from '../schedules/scheduler-timers';
import type { InventoryRow } from '../store/store.port';
import type { SeenScenario } from './inventory-diff';
import { FLUSH_MS, InventoryPublisher, MAX_GAP_MS } from './inventory-publisher';

const spec = (id: string): ScenarioSpec => ({
  id, name: id, displayName: id, description: '', tags: ['maintenance'], weight: 'light', canDeactivate: true, conflictsWith: [],
  stateEndpoint: '/api/maintenance/state', endpoint: 'http://127.0.0.1:1', endpointSource: 'port', endpointProblem: null, sourceFile: `/s/${id}`,
});

/** The inventory port over an array of writes; `failNext` makes the next write fail as a database away would. */
class RecordedInventory {
  writes: { changed: string[]; removed: readonly string[]; replace: boolean }[] = [];
  failNext = false;
  /** How long each write takes to answer. */
  delayMs = 0;
  async write(changed: readonly InventoryRow[], removed: readonly string[], options: { replace?: boolean } = {}): Promise<number> {
    if (this.delayMs) await sleep(this.delayMs);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database away');
    }
    this.writes.push({ changed: changed.map((row) => row.id), removed, replace: options.replace ?? false });
    return this.writes.length;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('InventoryPublisher', () => {
  const seen: SeenScenario[] = ['a', 'b', 'c'].map((id) => ({ spec: spec(id), gone: false, verdict: undefined, observed: unknownRecord() }));
  let inventory: RecordedInventory;
  let publisher: InventoryPublisher;
  const timers = standaloneTimers();
  beforeEach(() => {
    inventory = new RecordedInventory();
    publisher = new InventoryPublisher(inventory, { seen: () => seen }, timers);
  });
  afterEach(() => publisher.stop());

  it('replaces the inventory at once on taking the lead, then gathers a burst of changes into one write', async () => {
    publisher.start();
    await sleep(20);
    expect(inventory.writes).toEqual([{ changed: ['a', 'b', 'c'], removed: [], replace: true }]);
    for (const [index, scenario] of seen.entries()) {
      scenario.observed!.state = 'active';
      publisher.changed();
      if (index === 0) await sleep(10);
    }
    await sleep(FLUSH_MS + 50);
    expect(inventory.writes.slice(1)).toEqual([{ changed: ['a', 'b', 'c'], removed: [], replace: false }]);
  });

  it('tries a failed write again, and replaces again after the lead came back', async () => {
    inventory.failNext = true;
    publisher.start();
    await sleep(20);
    expect(inventory.writes).toEqual([]);
    await sleep(1_100);
    expect(inventory.writes).toEqual([expect.objectContaining({ replace: true })]);
    publisher.stop();
    publisher.changed();
    await sleep(FLUSH_MS + 50);
    expect(inventory.writes).toHaveLength(1);
    publisher.start();
    await sleep(20);
    expect(inventory.writes[1]).toEqual({ changed: ['a', 'b', 'c'], removed: [], replace: true });
  });

  it('waits after a write ten times what it took (capped) before the next, so publishing never crowds out the scenario calls', async () => {
    inventory.delayMs = 100;
    publisher.start();
    await sleep(150);
    expect(inventory.writes).toHaveLength(1);
    expect(publisher.delayMs()).toBeGreaterThanOrEqual(800);
    expect(publisher.delayMs()).toBeLessThanOrEqual(MAX_GAP_MS);
    seen[0].observed!.state = 'inactive';
    publisher.changed();
    await sleep(FLUSH_MS + 250);
    expect(inventory.writes).toHaveLength(1);
    await sleep(1_000);
    expect(inventory.writes).toHaveLength(2);
    inventory.delayMs = 1_000;
    seen[0].observed!.state = 'active';
    publisher.changed();
    for (let waited = 0; inventory.writes.length < 3 && waited < 4_000; waited += 10) await sleep(10);
    await sleep(0);
    expect(inventory.writes).toHaveLength(3);
    expect(publisher.delayMs()).toBeGreaterThan(MAX_GAP_MS - 100);
  });
});
