import { globMatches, selects } from './selector';

describe('selects', () => {
  const scenario = { id: 'database-vacuum', tags: ['maintenance', 'database', 'vacuum'] };
  it.each([
    [{ names: ['*'], tags: [], exclude: [] }, true],
    [{ names: ['database-*'], tags: [], exclude: [] }, true],
    [{ names: ['backup-manager'], tags: [], exclude: [] }, false],
    [{ names: [], tags: ['vacuum'], exclude: [] }, true],
    [{ names: [], tags: ['maintenance'], exclude: [] }, false],
    [{ names: ['*'], tags: [], exclude: ['database-vacuum'] }, false],
    [{ names: [], tags: ['database'], exclude: ['data*'] }, false],
    [{ names: [], tags: [], exclude: [] }, false],
  ])('%j -> %s', (selector, expected) => {
    expect(selects(selector, scenario)).toBe(expected);
  });

  it('treats glob metacharacters of regular expressions literally', () => {
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('a?b', 'axb')).toBe(true);
  });
});
