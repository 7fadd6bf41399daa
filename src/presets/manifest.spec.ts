import { ManifestError, parseManifests } from './manifest';
import { maintenanceStateFromManifest, policyFromManifest, presetFromManifest, DEFAULT_POLICY } from './schema';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ManifestError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a ManifestError');
}

describe('manifests', () => {
  it('reads several documents of several kinds', () => {
    const docs = parseManifests(
      ['apiVersion: maintenance/v1', 'kind: Preset', 'metadata: {name: nightly}', 'spec: {selector: {tags: [backup]}}', '---', 'apiVersion: maintenance/v1', 'kind: Policy', 'spec: {maxHeavy: 1}'].join('\n'),
      'f.yaml',
    );
    expect(docs.map((doc) => doc.kind)).toEqual(['Preset', 'Policy']);
    expect(presetFromManifest(docs[0]).selector.tags).toEqual(['backup']);
    expect(policyFromManifest(docs[1])).toEqual({ ...DEFAULT_POLICY, maxHeavy: 1 });
  });

  it.each([
    ['an unknown field, with its line', 'apiVersion: maintenance/v1\nkind: Preset\nmetadata: {name: x}\nspec:\n  selector: {tags: [a]}\n  colour: red\n', /f\.yaml:6: spec\.colour: is not a known field/],
    ['a wrong apiVersion', 'apiVersion: v2\nkind: Preset\nspec: {}\n', /f\.yaml:1: apiVersion: must be "maintenance\/v1"/],
    ['an unknown kind', 'apiVersion: maintenance/v1\nkind: Thing\nspec: {}\n', /f\.yaml:2: kind: must be one of/],
    ['invalid YAML', 'apiVersion: [\n', /f\.yaml:\d+: invalid YAML/],
    ['a list instead of a mapping', '- a\n- b\n', /a manifest must be a mapping, not a list/],
    ['a duplicate key', 'apiVersion: maintenance/v1\nkind: Preset\nkind: Policy\nspec: {}\n', /invalid YAML/],
    ['an empty file', '', /holds no manifest/],
  ])('refuses %s', (_, text, pattern) => {
    const run = () => {
      const [doc] = parseManifests(text, 'f.yaml');
      presetFromManifest(doc);
    };
    expect(problemsOf(run).join('\n')).toMatch(pattern);
  });

  it('refuses a YAML alias bomb without expanding it', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]', 'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]'].join('\n');
    expect(problemsOf(() => parseManifests(bomb, 'bomb.yaml')).join('\n')).toMatch(/bomb\.yaml:\d+: invalid YAML/);
  });

  it('refuses a text over the size limit', () => {
    expect(problemsOf(() => parseManifests('#'.repeat(2_000_000), 'big.yaml')).join()).toMatch(/larger than/);
  });

  it('checks MaintenanceState overrides field by field', () => {
    const text = 'apiVersion: maintenance/v1\nkind: MaintenanceState\nspec:\n  presets: [full]\n  overrides:\n    a: {state: on}\n    b: {state: active, ttl: 2x}\n';
    const problems = problemsOf(() => maintenanceStateFromManifest(parseManifests(text, 's.yaml')[0]));
    expect(problems).toEqual([expect.stringMatching(/s\.yaml:6: spec\.overrides\.a\.state: must be active or inactive/), expect.stringMatching(/s\.yaml:7: spec\.overrides\.b\.ttl: "2x" is not a duration/)]);
  });

  it('reads a valid MaintenanceState with TTLs', () => {
    const text = 'apiVersion: maintenance/v1\nkind: MaintenanceState\nspec:\n  presets: [performance]\n  overrides:\n    code-smell: {state: active, ttl: 2h, reason: sweep}\n';
    expect(maintenanceStateFromManifest(parseManifests(text, 's.yaml')[0])).toEqual({ presets: ['performance'], overrides: { 'code-smell': { state: 'active', ttlMs: 7_200_000, reason: 'sweep' } } });
  });

  it('checks policy numbers and conflict groups', () => {
    const text = 'apiVersion: maintenance/v1\nkind: Policy\nspec:\n  maxHeavy: -1\n  conflicts: [[a]]\n';
    const problems = problemsOf(() => policyFromManifest(parseManifests(text, 'p.yaml')[0]));
    expect(problems.join('\n')).toMatch(/p\.yaml:4: spec\.maxHeavy: must be a whole number/);
    expect(problems.join('\n')).toMatch(/spec\.conflicts\.0: a conflict group needs at least two/);
  });

  it('refuses preset ids that are not lowercase ids', () => {
    const text = 'apiVersion: maintenance/v1\nkind: Preset\nmetadata: {name: FULL}\nspec: {selector: {names: ["*"]}}\n';
    expect(problemsOf(() => presetFromManifest(parseManifests(text, 'x.yaml')[0])).join()).toMatch(/metadata\.name: must be a lowercase id/);
  });
});
