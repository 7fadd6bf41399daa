/**
 * Explain and plan at instants around DST changes (issue 18): Europe/Berlin, America/New_York and
 * Australia/Lord_Howe (a 30-minute change). Real parts: a SQLite store, ScheduleService with its window
 * maths, DeclaredState, the planner; the scenarios are plain specs the planner never calls.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActivityService } from '../src/activity/activity.service';
import type { ScenarioSpec } from '../src/discovery/scenario';
import { ExplainService } from '../src/explain/explain.service';
import { loadDefaultPresets, PresetCatalog } from '../src/presets/preset-catalog';
import { FixedHostLoadProbe } from '../src/reconciler/host-load';
import { unknownRecord, type ObservedRecord } from '../src/reconciler/types';
import { ScheduleService } from '../src/schedules/schedule.service';
import { DeclaredState, type ScenarioSource } from '../src/state/declared-state';
import { PolicyService } from '../src/state/policy.service';
import { openSqliteStore } from '../src/store/open-store';
import type { SqliteStore } from '../src/store/sqlite.store';

const spec = (id: string, tags: string[]): ScenarioSpec => ({
  id, name: id, displayName: id, description: '', tags: ['maintenance', ...tags], weight: 'light', canDeactivate: true, conflictsWith: [],
  stateEndpoint: '/api/maintenance/state', endpoint: 'http://127.0.0.1:9', endpointSource: 'port', endpointProblem: null, sourceFile: null,
});
const fleet = [spec('backup-manager', ['backup']), spec('security-scanner', ['security'])];
const scenarios: ScenarioSource = { list: () => fleet, gone: [], get: (id) => fleet.find((s) => s.id === id), isGone: () => false, forget: () => undefined };
const inactive: ObservedRecord = { ...unknownRecord(), state: 'inactive', lastAck: 'inactive' };

describe('explain and plan at instants across DST changes', () => {
  let dataDir: string;
  let store: SqliteStore;
  let activity: ActivityService;
  let schedules: ScheduleService;
  let explainer: ExplainService;
  let now = Date.parse('2026-01-01T00:00:00Z');

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'mo-explain-dst-'));
    store = await openSqliteStore(dataDir);
    activity = new ActivityService(store.activity);
    const policy = new PolicyService(store.settings, activity);
    const presets = new PresetCatalog(loadDefaultPresets(join(__dirname, '..', 'manifests', 'presets')), store.presets);
    schedules = new ScheduleService(store.schedules, presets, activity, null, () => now);
    const declared = new DeclaredState(scenarios, presets, policy, schedules, new FixedHostLoadProbe({ cpuLoadPercent: 0, memoryPercent: 0 }), activity);
    // The security preset is applied: security-scanner is desired active, and only deny windows hold it.
    declared.model = { presets: ['security'], overrides: {}, emergencyStop: null };
    const loop = { observed: new Map(fleet.map((s) => [s.id, inactive])), verdicts: new Map() };
    explainer = new ExplainService({ scenarios, presets, policy, declared, windows: schedules, loop, health: { results: () => [] }, clock: () => now, serverTimeZone: 'UTC' });
  });
  afterAll(async () => {
    await activity?.close();
    await store?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A deny window over security, two hours from `cron` in `timeZone`; the only schedule while the test runs. */
  async function denyWindow(cron: string, timeZone: string, duration = '2h'): Promise<void> {
    for (const view of schedules.list()) await schedules.delete(view.name, 'test');
    await schedules.save({ name: 'nightly-freeze', kind: 'deny', preset: 'security', cron, duration, timeZone }, 'test');
  }
  const explainAt = (at: string, tz: string) => explainer.explain('security-scanner', at, tz);
  const heldAt = (at: string, tz: string) => explainAt(at, tz).gates.find((gate) => gate.gate === 'WindowClosed')!.verdict;

  it.each([
    // [zone, cron, `at` on the wall clock, expected instant, WindowClosed verdict, next transition]
    // Berlin springs forward on 2026-03-29: 02:00 does not exist, the window opens at 03:00 CEST (01:00Z) for 2 h.
    ['Europe/Berlin', '0 2 * * *', '2026-03-29T01:59', '2026-03-29T00:59:00.000Z', 'pass', { at: '2026-03-29T01:00:00.000Z', cause: 'deny window nightly-freeze opens at 03:00 Europe/Berlin' }],
    ['Europe/Berlin', '0 2 * * *', 'sun 02:30', '2026-03-29T01:00:00.000Z', 'block', { at: '2026-03-29T03:00:00.000Z', cause: 'deny window nightly-freeze closes at 05:00 Europe/Berlin' }],
    // Berlin falls back on 2026-10-25: 02:00 CEST (00:00Z) opens it once; it closes 2 h later, at 03:00 CET.
    ['Europe/Berlin', '0 2 * * *', '2026-10-25T02:30+01:00', '2026-10-25T01:30:00.000Z', 'block', { at: '2026-10-25T02:00:00.000Z', cause: 'deny window nightly-freeze closes at 03:00 Europe/Berlin' }],
    ['Europe/Berlin', '0 2 * * *', '2026-10-25T03:00', '2026-10-25T02:00:00.000Z', 'pass', { at: '2026-10-26T01:00:00.000Z', cause: 'deny window nightly-freeze opens at Mon 2026-10-26 02:00 Europe/Berlin' }],
    // New York springs forward on 2026-03-08: 02:00 EST does not exist; the window opens at 03:00 EDT (07:00Z).
    ['America/New_York', '0 2 * * *', 'sun 01:30', '2026-03-08T06:30:00.000Z', 'pass', { at: '2026-03-08T07:00:00.000Z', cause: 'deny window nightly-freeze opens at 03:00 America/New_York' }],
    ['America/New_York', '0 2 * * *', 'sun 04:59', '2026-03-08T08:59:00.000Z', 'block', { at: '2026-03-08T09:00:00.000Z', cause: 'deny window nightly-freeze closes at 05:00 America/New_York' }],
    // New York falls back on 2026-11-01 at 02:00 EDT: 01:30 comes twice, the window opens at its first (05:30Z) for 1 h.
    ['America/New_York', '30 1 * * *', '2026-11-01T01:45-05:00', '2026-11-01T06:45:00.000Z', 'pass', { at: '2026-11-02T06:30:00.000Z', cause: 'deny window nightly-freeze opens at Mon 2026-11-02 01:30 America/New_York' }],
    // Lord Howe moves 30 minutes forward on 2026-10-04 at 02:00: 02:00-02:30 does not exist, the window opens at 02:30 (+11, 15:30Z).
    ['Australia/Lord_Howe', '0 2 * * *', 'sun 02:15', '2026-10-03T15:30:00.000Z', 'block', { at: '2026-10-03T17:30:00.000Z', cause: 'deny window nightly-freeze closes at 04:30 Australia/Lord_Howe' }],
    ['Australia/Lord_Howe', '0 2 * * *', '2026-10-04T01:59', '2026-10-03T15:29:00.000Z', 'pass', { at: '2026-10-03T15:30:00.000Z', cause: 'deny window nightly-freeze opens at 02:30 Australia/Lord_Howe' }],
    // Lord Howe moves 30 minutes back on 2026-04-05 at 02:00 (+11 -> +10:30): 01:45 comes twice; the window opens at the first (14:45Z).
    ['Australia/Lord_Howe', '45 1 * * *', '2026-04-05T01:50+10:30', '2026-04-04T15:20:00.000Z', 'block', { at: '2026-04-04T15:45:00.000Z', cause: 'deny window nightly-freeze closes at 02:15 Australia/Lord_Howe' }],
  ])('%s "%s": at %s (%s) the window gate says %s', async (zone, cron, at, instant, verdict, next) => {
    now = Date.parse(instant) - 3 * 86_400_000;
    await denyWindow(cron, zone, cron.startsWith('30 1') || cron.startsWith('45 1') ? '1h' : '2h');
    const explanation = explainAt(at, zone);
    expect(explanation.at).toBe(instant);
    expect(heldAt(at, zone)).toBe(verdict);
    expect(explanation.target).toBe(verdict === 'block' ? 'inactive' : 'active');
    expect(explanation.nextTransition).toEqual(next);
    // The fleet plan at that instant agrees with explain: the same planner on the same inputs.
    const planned = explainer.planAt(at, zone);
    expect(planned.scenarios.find((s) => s.id === 'security-scanner')).toMatchObject({ target: explanation.target, reason: explanation.reason });
    expect(planned.activate).toEqual(verdict === 'block' ? [] : ['security-scanner']);
  });

  it('a what-if records no window opening or closing in the activity log', async () => {
    now = Date.parse('2026-03-20T00:00:00Z');
    await denyWindow('0 2 * * *', 'Europe/Berlin');
    await activity.flush();
    const before = activity.latest(1000).length;
    explainAt('sun 02:30', 'Europe/Berlin');
    explainer.planAt('sun 02:30', 'Europe/Berlin');
    explainer.timeline();
    await activity.flush();
    const entries = activity.latest(1000);
    expect(entries.length).toBe(before);
    expect(entries.some((entry) => /window nightly-freeze opened/.test(entry.message))).toBe(false);
  });
});
