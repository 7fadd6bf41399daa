import { checkTtl } from './flags';

describe('checkTtl', () => {
  it.each(['30m', '2h', '1h30m', '600', '1s', ' 45s '])('takes %j', (input) => expect(checkTtl(input)).toBe(input.trim()));

  it.each(['0', '0s', '0m', '0h0m', '500ms', '0.5'])('refuses %j: neither "at once" nor "never" is guessed', (input) => {
    expect(() => checkTtl(input)).toThrow(`--ttl ${input} is refused: an activation lasts at least 1s`);
    expect(() => checkTtl(input)).toThrow(/Leave --ttl out for the default timeout/);
  });

  it('refuses what is not a duration, quoting it', () => {
    expect(() => checkTtl('soon')).toThrow('--ttl: "soon" is not a duration');
    expect(() => checkTtl('-5')).toThrow(/--ttl: "-5" is not a duration/);
  });
});
