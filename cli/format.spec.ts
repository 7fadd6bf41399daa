import type { ActivityEntry, ChangePlan, PresetChangeResult, Scenario, ScenarioChangeResult, Status, StopAllResult } from './api-types';
import { activityLine, appliedDocumentLines, blockedLine, emptyListText, stopAllLines, planLines, presetChangeLines, reasonText, scenarioChangeLine, scenarioTable, shortDuration, statusLines, table, ttlLeft, defaultScheduleName, scheduleDetail, scheduleTable } from './format';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function scenario(id: string, patch: Partial<Scenario> = {}): Scenario {
  return {
    id, name: id, displayName: id, description: '', tags: [], weight: 'light', endpoint: 'http://127.0.0.1:1', isActive: false,
    desiredState: 'inactive', targetState: 'inactive', observedState: 'inactive', desiredSource: 'default (inactive)', reason: null, message: null, conditions: [], activeUntil: null, lastActive: null, leaseExpiresAt: null,
    endpointSource: 'maintenance.endpoint', canDeactivate: true, conflictsWith: [], inFlight: null, failures: 0, gone: false, ...patch,
  };
}

const emptyPlan: ChangePlan = { activate: [], deactivate: [], blocked: [], touched: [] };

describe('table', () => {
  it('aligns columns and leaves the last one unpadded', () => {
    expect(table(['A', 'BB'], [['long', 'x'], ['s', 'yy']])).toBe('A     BB\nlong  x\ns     yy');
  });
});

describe('shortDuration and ttlLeft', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [250_000, '4m 10s'],
    [7_200_000, '2h'],
    [7_500_000, '2h 5m'],
    [90_061_000, '1d 1h'],
  ])('%i ms reads %s', (ms, text) => expect(shortDuration(ms)).toBe(text));

  it('says - without a TTL and expiring once it passed', () => {
    expect(ttlLeft(null, NOW)).toBe('-');
    expect(ttlLeft('2026-01-01T13:30:00Z', NOW)).toBe('1h 30m');
    expect(ttlLeft('2026-01-01T11:00:00Z', NOW)).toBe('expiring');
  });
});

describe('scenarioTable', () => {
  it('shows observed, desired, TTL and the reason with its message', () => {
    const text = scenarioTable(
      [
        scenario('code-smell', { isActive: true, observedState: 'active', desiredState: 'active', activeUntil: '2026-01-01T12:30:00Z' }),
        scenario('database-vacuum', { desiredState: 'active', reason: 'Conflict', message: 'conflicts with backup-manager' }),
        scenario('gone-away', { observedState: 'unreachable', reason: 'Unreachable', message: 'connection refused' }),
      ],
      NOW,
    );
    expect(text.split('\n')).toEqual([
      'ID               OBSERVED                DESIRED   TTL  REASON',
      'code-smell       active                  active    30m  -',
      'database-vacuum  inactive                active    -    Conflict: conflicts with backup-manager',
      'gone-away        unreachable (inactive)  inactive  -    Unreachable: connection refused',
    ]);
  });

  it('says so when there is nothing', () => expect(scenarioTable([], NOW)).toBe('no maintenance scenarios found'));

  it.each([
    [{ state: 'active' }, 'no scenarios in state active'],
    [{ tag: 'backup' }, 'no scenarios tagged backup'],
    [{ search: 'vac' }, 'no scenarios matching "vac"'],
    [{ state: 'blocked', tag: 'backup' }, 'no scenarios in state blocked, tagged backup'],
  ])('says which filter left nothing: %j', (filters, text) => {
    expect(scenarioTable([], NOW, filters)).toBe(text);
    expect(emptyListText(filters)).toBe(text);
  });
});

describe('scenario change lines', () => {
  const result = (patch: Partial<ScenarioChangeResult>): ScenarioChangeResult => ({
    success: true, scenario: 'code-smell', newState: 'active', reason: null, message: null, activeUntil: null, state: scenario('code-smell'), ...patch,
  });

  it.each([
    [result({}), 'code-smell: active'],
    [result({ activeUntil: '2026-01-01T14:00:00Z' }), 'code-smell: active (until 2026-01-01T14:00:00Z, 2h left)'],
    [result({ newState: 'inactive' }), 'code-smell: inactive'],
    [result({ success: false, newState: 'inactive', reason: 'ActionFailed', message: 'HTTP 500' }), 'code-smell: still inactive, not acknowledged (ActionFailed: HTTP 500)'],
  ])('%#: %s', (input, line) => expect(scenarioChangeLine(input, NOW)).toBe(line));

  it('names the gate and its message when blocked', () => {
    expect(blockedLine('code-smell', 'Conflict', 'conflicts with x')).toBe('code-smell: blocked by Conflict: conflicts with x');
    expect(reasonText('Cooldown', null)).toBe('Cooldown');
  });
});

describe('planLines', () => {
  it('lists activations, deactivations and every blocked scenario with its reason', () => {
    const plan: ChangePlan = { activate: ['a', 'b'], deactivate: ['c'], blocked: [{ scenario: 'd', reason: 'ConcurrencyLimit', message: 'maxHeavy 2 reached' }], touched: ['a', 'b', 'c', 'd'] };
    expect(planLines(plan, 'would')).toEqual(['would activate:   a, b', 'would deactivate: c', 'would be blocked:', '  SCENARIO  REASON', '  d         ConcurrencyLimit: maxHeavy 2 reached']);
  });

  it('says when nothing changes', () => expect(planLines(emptyPlan)).toEqual(['no changes: every scenario already matches the declared state']));
});

describe('presetChangeLines', () => {
  const result: PresetChangeResult = {
    success: false, preset: 'full', activated: ['a'], deactivated: [], blocked: [{ scenario: 'b', reason: 'Conflict', message: 'conflicts with a' }],
    failed: [{ scenario: 'c', message: 'no acknowledgement yet' }], plan: { ...emptyPlan, activate: ['a', 'c'] },
  };

  it('reports activated, blocked and not converged scenarios', () => {
    const text = presetChangeLines(result, 'applied', false).join('\n');
    expect(text).toContain('preset full applied');
    expect(text).toContain('activated:   a');
    expect(text).toMatch(/b\s+Conflict: conflicts with a/);
    expect(text).toMatch(/not converged:[\s\S]*c\s+no acknowledgement yet/);
  });

  it('shows a blocked scenario once, as blocked, even when the server also counts it as deactivated', () => {
    const text = presetChangeLines({ ...result, deactivated: ['b'], failed: [] }, 'applied', false).join('\n');
    expect(text).not.toContain('deactivated');
    expect(text).toMatch(/blocked:[\s\S]*b\s+Conflict/);
  });

  it('prints the plan on a dry run', () => {
    expect(presetChangeLines(result, 'applied', true)).toEqual(['preset full (dry run, nothing changed):', '  would activate:   a, c']);
  });
});

describe('stopAllLines', () => {
  it('says who stopped and why, what was deactivated, and that presets and overrides were cleared', () => {
    const result: StopAllResult = { success: true, emergencyStop: true, reason: 'no reason given', actor: 'local:alice', deactivated: ['a', 'b'], stillActive: [], clearedPresets: ['nightly'], clearedOverrides: [] };
    expect(stopAllLines(result)).toEqual([
      'emergency stop by local:alice: no reason given',
      'deactivated: a, b',
      'applied presets and overrides cleared (presets: nightly; overrides: none)',
      "nothing activates until 'maintenance-orchestrator resume'; after it only open allow windows come back on their own",
    ]);
  });

  it('names the cleared presets and overrides when the server says which', () => {
    const result: StopAllResult = { success: true, emergencyStop: true, reason: 'r', actor: 'a', deactivated: [], stillActive: [], clearedPresets: ['performance'], clearedOverrides: [] };
    expect(stopAllLines(result)).toContain('applied presets and overrides cleared (presets: performance; overrides: none)');
  });
});

describe('appliedDocumentLines', () => {
  it('lists the scenarios of a state that did not converge', () => {
    const failed = [{ scenario: 'x', message: 'HTTP 500 from http://127.0.0.1:1' }];
    expect(appliedDocumentLines([{ kind: 'MaintenanceState', name: 's', result: 'applied', plan: { ...emptyPlan, activate: ['x'] }, failed }], false)).toEqual([
      'MaintenanceState/s: applied',
      '  activate:   x',
      '  not converged:',
      '    SCENARIO  MESSAGE',
      '    x         HTTP 500 from http://127.0.0.1:1',
    ]);
  });

  it('shows each document and its plan', () => {
    expect(appliedDocumentLines([{ kind: 'MaintenanceState', name: 'weekday', result: 'planned', plan: { ...emptyPlan, activate: ['x'] } }, { kind: 'Policy', name: null, result: 'policy replaced' }], true)).toEqual([
      'MaintenanceState/weekday: planned',
      '  would activate:   x',
      'Policy/(unnamed): policy replaced',
    ]);
  });
});

describe('activityLine and statusLines', () => {
  const entry: ActivityEntry = { id: 1, timestamp: '2026-01-01T12:00:00.000Z', category: 'api', level: 'info', scenario: 'code-smell', preset: null, actor: 'alice', message: 'activate requested', data: null, action: 'api' };

  it('prints timestamp category scenario actor message', () => {
    expect(activityLine(entry)).toBe('2026-01-01T12:00:00.000Z api code-smell alice activate requested');
    expect(activityLine({ ...entry, scenario: null, actor: null, level: 'warn' })).toBe('2026-01-01T12:00:00.000Z api - - [warn] activate requested');
  });

  it('summarizes the status, the emergency stop included', () => {
    const status: Status = {
      health: 'healthy', maintenanceState: 'stopped', totalScenarios: 11, activeScenarios: 0, inactiveScenarios: 11, recentActivity: [entry], uptime: 65,
      blockedScenarios: 1, emergencyStop: { reason: 'incident 42', actor: 'alice', at: '2026-01-01T11:00:00Z' }, appliedPresets: [], overrides: {}, unreachableScenarios: 0, reconciler: null,
      breakGlass: [{ scenario: 'security-scanner', actor: 'bob', reason: 'INC-7: scan during the freeze', setAt: '2026-01-01T10:00:00Z', expiresAt: '2026-01-01T12:30:00Z' }],
      role: 'follower', leader: { id: 'orch-1', epoch: 7, since: '2026-01-01T10:00:00.000Z' },
    };
    const text = statusLines(status).join('\n');
    expect(text).toMatch(/maintenance:\s+stopped \(0 of 11 active, 1 blocked\)/);
    expect(text).toContain('ACTIVE since 2026-01-01T11:00:00Z by alice: incident 42');
    expect(text).toContain('BREAK-GLASS:     security-scanner by bob until 2026-01-01T12:30:00Z: INC-7: scan during the freeze');
    expect(text).toContain('leader:          orch-1 (epoch 7, since 2026-01-01T10:00:00.000Z); this replica is follower');
    expect(text).toMatch(/uptime:\s+1m 5s/);
    expect(text).toContain('  2026-01-01T12:00:00.000Z api code-smell alice activate requested');
  });
});

describe('schedules', () => {
  it('derives a name from preset and cron', () => {
    expect(defaultScheduleName('security-only', '0 2 * * 0')).toBe('security-only-0-2-x-x-0');
    expect(defaultScheduleName('full', '*/15 9-17 * * 1-5')).toBe('full-x-15-9-17-x-x-1-5');
  });

  it('shows open windows until their close, others with the next opening, in zone and UTC', () => {
    const base = { preset: 'security', kind: 'allow' as const, source: 'store' as const, readOnly: false, cron: '0 2 * * 0', duration: '2h', timeZone: 'Europe/Berlin', openedAt: null };
    const text = scheduleTable([
      { ...base, name: 'a', open: true, closesAt: '2026-11-29T03:00:00.000Z', nextOpen: null, nextClose: '2026-11-29T03:00:00.000Z', nextOpenLocal: null, nextCloseLocal: '2026-11-29 04:00 CET' },
      { ...base, name: 'b', open: false, closesAt: null, nextOpen: '2026-11-29T01:00:00.000Z', nextClose: '2026-11-29T03:00:00.000Z', nextOpenLocal: '2026-11-29 02:00 CET', nextCloseLocal: '2026-11-29 04:00 CET' },
    ]);
    expect(text).toContain('OPEN until 2026-11-29 04:00 CET (03:00Z)');
    expect(text).toContain('opens 2026-11-29 02:00 CET (01:00Z), closes 2026-11-29 04:00 CET (03:00Z)');
  });

  it('shows blackouts as covering every scenario, one-off windows by their at, cron with its offset and dates', () => {
    const closed = { readOnly: false, source: 'store' as const, open: false, openedAt: null, closesAt: null, nextOpen: null, nextClose: null, nextOpenLocal: null, nextCloseLocal: null };
    const rows = [
      { ...closed, name: 'holiday-freeze', kind: 'blackout' as const, at: '2026-12-24T00:00', duration: '3d', timeZone: 'Europe/Berlin' },
      { ...closed, name: 'patch', kind: 'allow' as const, preset: 'security', cron: '0 2 8-14 * 2', offsetDays: 2, validFrom: '2026-01-01', validUntil: '2026-12-31', duration: '3h', timeZone: 'UTC' },
      { ...closed, name: 'ics-xmas (Christmas)', kind: 'blackout' as const, source: 'blackout-feed' as const, readOnly: true, summary: 'Christmas' },
    ];
    const text = scheduleTable(rows);
    expect(text).toMatch(/holiday-freeze\s+blackout\s+\(every scenario\)\s+once at 2026-12-24T00:00 Europe\/Berlin for 3d/);
    expect(text).toContain('0 2 8-14 * 2 +2 days UTC for 3h from 2026-01-01 until 2026-12-31');
    expect(text).toContain('blackout feed (read-only): Christmas');
    const detail = scheduleDetail(rows[0]);
    expect(detail).toContain('kind:        blackout (blocks activations of every scenario while open)');
    expect(detail).toContain('at:          2026-12-24T00:00 in Europe/Berlin, for 3d (once)');
    expect(detail).not.toContain('preset:');
  });
});
