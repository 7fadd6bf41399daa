/**
 * Only the leader acts on time (SPEC 9): TTL expiries and window edges are recorded and announced by the
 * replica that leads, once, and a follower keeps quiet. Real SQLite stores; the clock and the role are set by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActivityInput } from '../activity/activity';
import type { NotificationEvent } from '../notify/notification';
import { PresetCatalog } from '../presets/preset-catalog';
import { emptyDesiredState, type DesiredStateModel } from '../reconciler/desired';
import { ScheduleService } from '../schedules/schedule.service';
import { openSqliteStore } from '../store/open-store';
import type { Store } from '../store/store.port';
import { DeclaredState, NO_WINDOWS, type ScenarioSource } from './declared-state';
import { PolicyService } from './policy.service';

const T0 = Date.parse('2026-12-08T10:00:00Z');
const NO_SCENARIOS: ScenarioSource = { list: () => [], gone: [], get: () => undefined, isGone: () => false, forget: () => undefined };
const HOST = { read: () => ({ cpu: null, memory: null }) } as never;

describe('time acts through the leader', () => {
  let dir: string;
  let store: Store;
  let recorded: ActivityInput[];
  let announced: NotificationEvent[];
  const activity = { record: (input: ActivityInput) => void recorded.push(input) };
  const notifications = { notify: (event: NotificationEvent) => void announced.push(event) };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mo-leader-time-'));
    store = await openSqliteStore(dir);
    recorded = [];
    announced = [];
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('TTL overrides', () => {
    const withTtl = (): DesiredStateModel => ({
      ...emptyDesiredState(),
      overrides: { backup: { state: 'active', expiresAt: T0 + 60_000, reason: 'test', actor: 'ops', setAt: T0 - 3_600_000 } },
    });
    const declared = () => new DeclaredState(NO_SCENARIOS, new PresetCatalog([], store.presets), new PolicyService(store.settings, activity), NO_WINDOWS, HOST, activity, { notifications });
    const expiries = () => recorded.filter((entry) => entry.data?.action === 'expire');

    it('a follower neither warns, nor expires, nor stores', () => {
      const state = declared();
      let saves = 0;
      state.shareExpiries({ mayAct: () => false, saveHeld: async () => void saves++ });
      state.model = withTtl();
      state.prepare(T0);
      state.prepare(T0 + 120_000);
      expect(Object.keys(state.model.overrides)).toEqual(['backup']);
      expect([recorded, announced, saves]).toEqual([[], [], 0]);
    });

    it('the leader expires once, stores it, and drops silently the same override a stale write brings back', () => {
      const state = declared();
      let saves = 0;
      state.shareExpiries({ mayAct: () => true, saveHeld: async () => void saves++ });
      state.model = withTtl();
      state.prepare(T0);
      expect(announced.map((event) => event.event)).toEqual(['override.expiring']);
      state.prepare(T0 + 120_000);
      expect(state.model.overrides).toEqual({});
      expect([expiries().length, saves]).toEqual([1, 1]);

      state.model = withTtl(); // a follower's write made before it heard of the expiry
      state.prepare(T0 + 121_000);
      expect(state.model.overrides).toEqual({});
      expect([expiries().length, saves]).toEqual([1, 2]);
      expect(announced.map((event) => event.event)).toEqual(['override.expiring', 'override.expired']);
    });

    it.each([
      ['was due before this replica led: the previous leader sent it', T0 + 60_000, []],
      ['falls due after this replica took the lead: sent', T0 - 120_000, ['override.expiring']],
    ])('a TTL warning that %s', (_, since, events) => {
      const state = declared();
      state.shareExpiries({ mayAct: () => true, saveHeld: async () => undefined, leadingSince: () => since });
      state.model = withTtl(); // its warning falls due at T0 - 30 s (15 minutes before it expires)
      state.model.overrides.backup.expiresAt = T0 + 15 * 60_000 - 30_000;
      state.prepare(T0 + 90_000);
      expect(announced.map((event) => event.event)).toEqual(events);
    });

    it('saves an expiry again at the next pass when the database was away', async () => {
      const state = declared();
      const outcomes = [false, true];
      const saved: boolean[] = [];
      state.shareExpiries({
        mayAct: () => true,
        saveHeld: async () => {
          const ok = outcomes.shift() ?? true;
          saved.push(ok);
          if (!ok) throw new Error('database away');
        },
      });
      state.model = withTtl();
      state.prepare(T0 + 120_000);
      await new Promise((resolve) => setImmediate(resolve));
      state.prepare(T0 + 121_000);
      await new Promise((resolve) => setImmediate(resolve));
      state.prepare(T0 + 122_000);
      expect(saved).toEqual([false, true]);
      expect(expiries()).toHaveLength(1);
    });
  });

  describe('window edges', () => {
    it('a follower tracks open windows silently; on taking the lead it announces only later edges', async () => {
      let now = T0;
      const schedules = new ScheduleService(store.schedules, new PresetCatalog([], store.presets), activity, null, () => now);
      schedules.useNotifications(notifications);
      let leads = false;
      schedules.announceOnlyWhen(() => leads);
      await schedules.save({ name: 'freeze', kind: 'blackout', at: '2026-12-08T10:10:00Z', duration: '10m', timeZone: 'UTC' }, 'ops');
      recorded = [];

      now = T0 + 11 * 60_000;
      expect(schedules.openWindows(now).deny).toHaveLength(1);
      leads = true; // the leader died; this replica leads from here on
      now += 60_000;
      schedules.openWindows(now);
      expect([recorded, announced]).toEqual([[], []]);

      now = T0 + 21 * 60_000;
      schedules.openWindows(now);
      expect(announced.map((event) => event.event)).toEqual(['window.closed']);
      expect(recorded.map((entry) => entry.message)).toEqual(['window freeze closed']);
    });
  });
});
