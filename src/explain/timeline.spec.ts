import { emptyDesiredState, type DesiredStateModel } from '../reconciler/desired';
import { timelineEntries } from './timeline';

const HOUR = 3_600_000;
const from = Date.parse('2026-12-07T00:00:00Z');
const to = from + 7 * 24 * HOUR;

function model(): DesiredStateModel {
  const base = emptyDesiredState();
  base.overrides['database-vacuum'] = { state: 'active', expiresAt: from + 2 * HOUR, reason: 'nightly', actor: 'local:ann', setAt: from };
  base.overrides['security-scanner'] = { state: 'active', expiresAt: from + HOUR, reason: 'INC-7', actor: 'admin', setAt: from, breakGlass: true };
  base.overrides['usage-report'] = { state: 'inactive', expiresAt: null, reason: null, actor: 'local:bob', setAt: from };
  return base;
}

describe('timelineEntries: overrides and break-glass', () => {
  it('shows each override with a TTL until it lapses, and a break-glass activation on a row of its own', () => {
    const entries = timelineEntries([], model(), () => [], from, to);
    expect(entries.map((entry) => [entry.kind, entry.scenarios[0], entry.end, entry.reason])).toEqual([
      ['breakGlass', 'security-scanner', new Date(from + HOUR).toISOString(), 'INC-7'],
      ['override', 'database-vacuum', new Date(from + 2 * HOUR).toISOString(), 'nightly'],
    ]);
  });

  it('leaves out what lapsed before the range and what is set after it', () => {
    expect(timelineEntries([], model(), () => [], from + 3 * HOUR, to)).toEqual([]);
    expect(timelineEntries([], model(), () => [], from - 2 * HOUR, from)).toEqual([]);
  });
});
