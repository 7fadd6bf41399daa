import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [7, 60_000],
    [30, 60_000],
  ])('after %i failures waits about %i ms', (failures, expected) => {
    expect(backoffDelay(failures, () => 0.5)).toBe(expected);
    expect(backoffDelay(failures, () => 0)).toBe(Math.round(expected * 0.8));
    expect(backoffDelay(failures, () => 1)).toBe(Math.round(expected * 1.2));
  });
});
