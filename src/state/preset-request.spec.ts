import { requestedSelector, type CreatePresetInput } from './preset-request';

const KNOWN = ['backup-manager', 'code-smell', 'log-cleanup'];
const ACTIVE = ['code-smell'];
const pick = (input: Omit<CreatePresetInput, 'name'>) => requestedSelector({ name: 'p', ...input }, ACTIVE, KNOWN);

describe('requestedSelector', () => {
  it.each<[string, Omit<CreatePresetInput, 'name'>, ReturnType<typeof pick>]>([
    ['selector, as a manifest writes it', { selector: { tags: ['backup'], exclude: ['x'] } }, { kind: 'selector', selector: { names: [], tags: ['backup'], exclude: ['x'] } }],
    ['names/tags/exclude at the top level', { names: ['code-*'], exclude: ['code-smell'] }, { kind: 'selector', selector: { names: ['code-*'], tags: [], exclude: ['code-smell'] } }],
    ['states: true ids selected, false ids excluded', { states: { 'log-cleanup': true, 'code-smell': false }, tags: ['q'] }, { kind: 'states', selector: { names: ['log-cleanup'], tags: ['q'], exclude: ['code-smell'] } }],
    ['fromCurrentState', { fromCurrentState: true }, { kind: 'snapshot', selector: { names: ['code-smell'], tags: [], exclude: [] } }],
    ['nothing at all', {}, { kind: 'snapshot', selector: { names: ['code-smell'], tags: [], exclude: [] } }],
  ])('%s', (_, input, expected) => {
    expect(pick(input)).toEqual(expected);
  });

  it.each<[string, Omit<CreatePresetInput, 'name'>, RegExp]>([
    ['two shapes at once', { selector: { tags: ['a'] }, fromCurrentState: true }, /not selector and fromCurrentState/],
    ['an empty selector', { selector: { exclude: ['a'] } }, /needs names or tags/],
    ['exclude alone', { exclude: ['a'] }, /needs names or tags/],
    ['a states typo', { states: { 'code-smel': true } }, /unknown scenario "code-smel"; did you mean "code-smell"\?/],
    ['states all false', { states: { 'code-smell': false } }, /at least one scenario to true/],
    ['states with names', { states: { 'code-smell': true }, names: ['x'] }, /not names or exclude/],
    ['fromCurrentState false and nothing else', { fromCurrentState: false }, /fromCurrentState: true/],
  ])('refuses %s', (_, input, message) => {
    expect(() => pick(input)).toThrow(message);
  });
});
