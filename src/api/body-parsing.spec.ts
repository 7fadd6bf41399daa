import { MAX_JSON_DEPTH, nestsDeeperThan } from './body-parsing';

/** `depth` arrays inside each other: `[[...]]`. */
function nested(depth: number): unknown {
  let value: unknown = [];
  for (let level = 1; level < depth; level++) value = [value];
  return value;
}

describe('nestsDeeperThan', () => {
  it('lets a body as deep as the limit through and refuses one level more', () => {
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('counts objects and arrays alike, and scalars not at all', () => {
    expect(nestsDeeperThan({ a: { b: [{ c: 1 }] } }, 3)).toBe(true);
    expect(nestsDeeperThan({ a: { b: [1, 'x', null] } }, 3)).toBe(false);
    expect(nestsDeeperThan('text', 0)).toBe(false);
  });

  it('walks 100,000 levels without a stack', () => {
    expect(nestsDeeperThan(nested(100_000), MAX_JSON_DEPTH)).toBe(true);
  });
});
