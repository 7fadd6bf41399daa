import { closestName, unknownNameMessage } from './unknown-name';

const PRESETS = ['full', 'minimal', 'off-hours', 'performance', 'security'];

describe('unknownNameMessage', () => {
  it.each([
    ['a typo gets the closest match and the list', 'ful', PRESETS, 'unknown preset "ful"; did you mean "full"? known: full, minimal, off-hours, performance, security'],
    ['no plausible match lists the known ones', 'zzzzzz', PRESETS, 'unknown preset "zzzzzz"; known: full, minimal, off-hours, performance, security'],
    ['a long list is cut short', 'x', Array.from({ length: 20 }, (_, i) => `p${i}`), 'unknown preset "x"; known: p0, p1, p2, p3, p4, p5, p6, p7, and 12 more'],
    ['nothing known says so', 'x', [], 'unknown preset "x"; there are none'],
  ])('%s', (_, name, known, message) => {
    expect(unknownNameMessage('preset', name, known)).toBe(message);
  });

  it('suggests a name that contains what was typed', () => {
    expect(closestName('perf', PRESETS)).toBe('performance');
    expect(closestName('securty', PRESETS)).toBe('security');
    expect(closestName('qqqq', PRESETS)).toBeNull();
  });
});
