import type { Preset } from '../presets/schema';
import { emptyDesiredState, expiredOverrides, nextOverrideExpiry, nextOverrideWarning, OVERRIDE_WARNING_MS, overridesExpiringSoon, resolveDesired, type Override } from './desired';

const preset = (id: string, tags: string[]): Preset => ({ id, description: '', aliases: [], isDefault: true, selector: { names: [], tags, exclude: [] } });
const presets = new Map([['perf', preset('perf', ['performance'])], ['night', preset('night', ['backup'])]]);
const scenarios = [
  { id: 'cache', tags: ['maintenance', 'performance'] },
  { id: 'backup', tags: ['maintenance', 'backup'] },
  { id: 'lint', tags: ['maintenance', 'quality'] },
];

describe('resolveDesired', () => {
  const now = 1_000_000;
  it('is all inactive by default', () => {
    const desired = resolveDesired(scenarios, emptyDesiredState(), presets, [], now);
    expect([...desired.values()].map((entry) => entry.state)).toEqual(['inactive', 'inactive', 'inactive']);
  });

  it('lets an override win over a preset, and drops an expired one', () => {
    const model = { ...emptyDesiredState(), presets: ['perf'], overrides: { cache: { state: 'inactive' as const, expiresAt: null, reason: 'noisy', actor: 'a', setAt: 0 }, lint: { state: 'active' as const, expiresAt: now - 1, reason: null, actor: 'a', setAt: 0 } } };
    const desired = resolveDesired(scenarios, model, presets, [], now);
    expect(desired.get('cache')).toEqual({ state: 'inactive', source: { kind: 'override', reason: 'noisy', expiresAt: null } });
    expect(desired.get('lint')?.state).toBe('inactive');
  });

  it('adds the preset of an open allow window', () => {
    const desired = resolveDesired(scenarios, emptyDesiredState(), presets, [{ schedule: 'sunday', preset: 'night' }], now);
    expect(desired.get('backup')).toEqual({ state: 'active', source: { kind: 'window', schedule: 'sunday', preset: 'night' } });
  });

  it('finds expired overrides and the next expiry', () => {
    const model = { ...emptyDesiredState(), overrides: { a: { state: 'active' as const, expiresAt: 5, reason: null, actor: 'x', setAt: 0 }, b: { state: 'active' as const, expiresAt: 9, reason: null, actor: 'x', setAt: 0 } } };
    expect(expiredOverrides(model, 5)).toEqual(['a']);
    expect(nextOverrideExpiry(model)).toBe(5);
  });
});

describe('override.expiring', () => {
  const MIN = 60_000;
  const override = (setAt: number, expiresAt: number | null): Override => ({ state: 'active', expiresAt, reason: null, actor: 'ops', setAt });
  const model = {
    ...emptyDesiredState(),
    overrides: {
      long: override(0, 60 * MIN), // warned at 45 min
      longer: override(0, 90 * MIN), // warned at 75 min
      short: override(0, 10 * MIN), // too short to be warned
      exact: override(0, 15 * MIN), // as long as the lead: it would be warned as it is set
      forever: override(0, null),
    },
  };

  it.each([
    [44 * MIN, []],
    [45 * MIN, ['long']],
    [59 * MIN, ['long']],
    [60 * MIN, []], // lapsed: override.expired, not expiring
    [75 * MIN, ['longer']],
  ])('at %d ms the due warnings are %j', (now, expected) => {
    expect(overridesExpiringSoon(model, now)).toEqual(expected);
  });

  it('wakes the loop at the next warning still ahead, never at one already past', () => {
    expect(OVERRIDE_WARNING_MS).toBe(15 * MIN);
    expect(nextOverrideWarning(model, 0)).toBe(45 * MIN);
    expect(nextOverrideWarning(model, 45 * MIN)).toBe(75 * MIN);
    expect(nextOverrideWarning(model, 75 * MIN)).toBeNull();
  });
});
