import { activityAction, type ActivityEntry } from './activity';

const entry = (category: ActivityEntry['category'], data: Record<string, unknown> | null) => ({ category, data });

describe('activityAction', () => {
  it.each<[string, ReturnType<typeof entry>, string]>([
    ['an intent names its action', entry('api', { action: 'apply-preset', touched: 3 }), 'apply-preset'],
    ['a successful call says what it did', entry('action', { action: 'deactivate', result: 'success' }), 'deactivated'],
    ['a failed call', entry('action', { action: 'activate', result: 'failure' }), 'activate-failed'],
    ['an abandoned call', entry('action', { action: 'activate', result: 'aborted' }), 'activate-abandoned'],
    ['a TTL expiry', entry('action', { action: 'expire' }), 'expire'],
    ['a gate', entry('gate', { gate: 'Conflict' }), 'blocked'],
    ['anything else: its category', entry('discovery', null), 'discovery'],
  ])('%s', (_, input, action) => {
    expect(activityAction(input)).toBe(action);
  });
});
