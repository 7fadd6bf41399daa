/**
 * The limits a manifest keeps (src/presets/manifest.ts, issue 16): at most 1,000,000 bytes, 100
 * occurrences of one anchored YAML value (yaml's maxAliasCount counts the anchor itself, so 99 aliases),
 * 1,000 documents. Each through the API (POST /api/v1/apply and /presets/import): at the
 * limit it is read, one past it is refused with a 400 naming the limit, and nothing changes, though the
 * refused text carries a valid change.
 */
import { startTestSystem, type TestSystem } from './support/system';

const HEADER = 'apiVersion: maintenance/v1';

/** A Preset named `name` whose selector lists `alpha` through one anchor and `uses` aliases of it. */
function aliased(name: string, uses: number): string {
  return `${HEADER}\nkind: Preset\nmetadata: {name: ${name}}\nspec:\n  selector:\n    names: [&a alpha${', *a'.repeat(uses)}]\n`;
}

/** `count` Preset documents, `prefix-0` ... */
function documents(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, index) => `${HEADER}\nkind: Preset\nmetadata: {name: ${prefix}-${index}}\nspec: {selector: {names: [alpha]}}\n`).join('---\n');
}

/**
 * A Preset padded with a YAML comment to exactly `bytes` bytes, of two-byte characters: half as many
 * characters, so the request DTO's own cap (1,000,000 characters) lets it through to the manifest parser.
 */
function sized(name: string, bytes: number): string {
  const body = `${HEADER}\nkind: Preset\nmetadata: {name: ${name}}\nspec: {selector: {names: [alpha]}}\n#`;
  const rest = bytes - Buffer.byteLength(body);
  return body + 'é'.repeat(Math.floor(rest / 2)) + 'x'.repeat(rest % 2);
}

describe('manifest limits, through the API', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startTestSystem({ specs: [{ id: 'alpha' }, { id: 'bravo' }] });
  }, 30_000);
  afterAll(() => system?.stop());

  /** Everything a manifest can change: presets, desired state, policy, schedules, notifiers. */
  async function state(): Promise<string> {
    const views = ['presets', 'desired-state', 'policy', 'schedules', 'notifiers'];
    return JSON.stringify(await Promise.all(views.map(async (view) => (await fetch(`${system.url}/api/v1/${view}`)).json())));
  }

  const post = (route: string, body: unknown) => fetch(`${system.url}/api/v1/${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** Expects `text` refused on both routes with `message`, the state untouched. */
  async function refusedEverywhere(text: string, message: RegExp): Promise<void> {
    const before = await state();
    for (const [route, body] of [['apply', { manifests: text, source: 'limit.yaml' }], ['presets/import', { document: text, source: 'limit.yaml' }]] as const) {
      const response = await post(route, body);
      expect([route, response.status]).toEqual([route, 400]);
      expect(await response.json()).toMatchObject({ statusCode: 400, message: expect.stringMatching(message) });
    }
    expect(await state()).toBe(before);
  }

  it('reads 1,000,000 bytes and refuses one byte more', async () => {
    const text = sized('big-enough', 1_000_000);
    expect(Buffer.byteLength(text)).toBe(1_000_000);
    const atLimit = await post('apply', { manifests: text, dryRun: true });
    expect(atLimit.status).toBe(200);
    await refusedEverywhere(sized('too-big', 1_000_001), /limit\.yaml:1: is larger than 1000000 bytes/);
  });

  it('reads an anchored value used 100 times and refuses the 101st', async () => {
    const atLimit = await post('apply', { manifests: aliased('hundred-aliases', 99), dryRun: true });
    expect(atLimit.status).toBe(200);
    await refusedEverywhere(aliased('too-many-aliases', 100), /limit\.yaml:\d+: invalid YAML: Excessive alias count/);
  });

  it('reads 1,000 documents and refuses the 1,001st', async () => {
    const atLimit = await post('apply', { manifests: documents('many', 1000), dryRun: true });
    expect(atLimit.status).toBe(200);
    expect(((await atLimit.json()) as { documents: unknown[] }).documents).toHaveLength(1000);
    await refusedEverywhere(documents('too-many', 1001), /limit\.yaml:1: has more than 1000 documents/);
  }, 30_000);
});
