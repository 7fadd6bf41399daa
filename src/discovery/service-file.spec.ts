import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseServiceFile, type ParsedServiceFile, type ParseResult } from './service-file';

const CORPUS = path.resolve(__dirname, '../../test/fixtures/vrooli/vrooli-service-json');

function parsed(result: ParseResult): ParsedServiceFile {
  if (!result.ok) throw new Error(`expected a parsed file, got: ${result.reason}`);
  return result.file;
}

const tagged = (extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ service: { name: 'svc', tags: ['maintenance'] }, ...extra });

describe('parseServiceFile: where the maintenance tag may live', () => {
  it.each([
    ['service.tags', { service: { tags: ['backup', 'maintenance'] } }],
    ['legacy root tags', { name: 'legacy', tags: ['system', 'maintenance'] }],
    ['legacy metadata.tags', { name: 'api', metadata: { tags: ['api', 'maintenance'] } }],
    ['any letter case, with spaces', { service: { tags: [' Maintenance '] } }],
  ])('accepts the tag in %s', (_where, body) => {
    const file = parsed(parseServiceFile('x', JSON.stringify(body)));
    expect(file.tags).toContain('maintenance');
  });

  it.each([
    ['no tags at all', { service: { name: 'a' } }],
    ['metadata.keywords (not a tag location)', { metadata: { keywords: ['maintenance'] } }],
    ['tags as a string', { service: { tags: 'maintenance' } }],
    ['a similar tag', { service: { tags: ['maintenance-tools'] } }],
  ])('skips a file with %s', (_what, body) => {
    const result = parseServiceFile('x', JSON.stringify(body));
    expect(result).toEqual({ ok: false, code: 'NotTagged', reason: expect.stringContaining('no "maintenance" tag') });
  });

  it('merges and deduplicates tags from every location', () => {
    const body = { service: { tags: ['a', 'maintenance'] }, tags: ['a', 'b'], metadata: { tags: ['MAINTENANCE', 'c', 7] } };
    expect(parsed(parseServiceFile('x', JSON.stringify(body))).tags).toEqual(['a', 'maintenance', 'b', 'c']);
  });
});

describe('parseServiceFile: names', () => {
  it.each([
    ['service fields', { service: { name: 'n', displayName: 'D', description: 'd', tags: ['maintenance'] } }, ['n', 'D', 'd']],
    ['legacy root fields', { name: 'n', displayName: 'D', description: 'd', tags: ['maintenance'] }, ['n', 'D', 'd']],
    ['nothing but the tag', { tags: ['maintenance'] }, ['the-id', 'the-id', '']],
    ['wrong types', { service: { name: 5, displayName: [], description: {}, tags: ['maintenance'] } }, ['the-id', 'the-id', '']],
  ])('reads %s', (_what, body, [name, displayName, description]) => {
    const file = parsed(parseServiceFile('the-id', JSON.stringify(body)));
    expect([file.name, file.displayName, file.description]).toEqual([name, displayName, description]);
  });
});

describe('parseServiceFile: maintenance block', () => {
  it.each([
    ['no block', undefined, 'light'],
    ['weight heavy', { weight: 'heavy' }, 'heavy'],
    ['weight Light, any case', { weight: 'Light' }, 'light'],
    ['resourceUsage cpu high', { resourceUsage: { cpu: 'high', memory: 'low' } }, 'heavy'],
    ['resourceUsage memory very-high', { resourceUsage: { memory: 'very-high' } }, 'heavy'],
    ['resourceUsage medium (real ecosystem-manager)', { resourceUsage: { cpu: 'medium', memory: 'medium', disk: 'low' } }, 'light'],
    ['disk high alone does not count', { resourceUsage: { disk: 'high' } }, 'light'],
    ['explicit weight wins over resourceUsage', { weight: 'light', resourceUsage: { cpu: 'high' } }, 'light'],
    ['bad weight falls back to resourceUsage', { weight: 'medium', resourceUsage: { cpu: 'high' } }, 'heavy'],
    ['resourceUsage of the wrong type', { resourceUsage: 'high' }, 'light'],
  ])('weight: %s', (_what, maintenance, weight) => {
    expect(parsed(parseServiceFile('x', tagged({ maintenance }))).weight).toBe(weight);
  });

  it.each([
    ['ids', ['a', 'b', 'a', ' c '], ['a', 'b', 'c']],
    ['a comma-separated string', 'a, b', ['a', 'b']],
    ['itself, which is dropped', ['x', 'a'], ['a']],
    ['a wrong type', 42, []],
    ['mixed junk', ['a', null, 3, ''], ['a']],
  ])('conflictsWith: %s', (_what, conflictsWith, expected) => {
    expect(parsed(parseServiceFile('x', tagged({ maintenance: { conflictsWith } }))).conflictsWith).toEqual(expected);
  });

  it.each([
    ['defaults', {}, { canDeactivate: true, stateEndpoint: '/api/maintenance/state', declaredEndpoint: null }],
    ['canDeactivate false', { canDeactivate: false }, { canDeactivate: false }],
    ['canDeactivate as a string is ignored', { canDeactivate: 'no' }, { canDeactivate: true }],
    ['defaultState active is ignored (always inactive at start)', { defaultState: 'active' }, { canDeactivate: true }],
    ['stateEndpoint without a slash', { stateEndpoint: 'api/v2/state' }, { stateEndpoint: '/api/v2/state' }],
    ['stateEndpoint as a full URL is refused', { stateEndpoint: 'http://x/state' }, { stateEndpoint: '/api/maintenance/state' }],
    ['endpoint with a trailing slash', { endpoint: 'http://127.0.0.1:9000/' }, { declaredEndpoint: 'http://127.0.0.1:9000' }],
    ['endpoint that is not a URL', { endpoint: 'localhost:9000' }, { declaredEndpoint: null }],
    ['endpoint with credentials', { endpoint: 'http://u:p@127.0.0.1:1' }, { declaredEndpoint: null }],
  ])('%s', (_what, maintenance, expected) => {
    expect(parsed(parseServiceFile('x', tagged({ maintenance })))).toMatchObject(expected);
  });

  it('explains ignored fields as warnings', () => {
    const file = parsed(parseServiceFile('x', tagged({ maintenance: { weight: 'medium', canDeactivate: 'no' } })));
    expect(file.warnings).toEqual([
      expect.stringContaining('maintenance.weight "medium"'),
      expect.stringContaining('maintenance.canDeactivate "no"'),
    ]);
  });

  it('ignores a block that is not an object', () => {
    const file = parsed(parseServiceFile('x', tagged({ maintenance: ['heavy'] })));
    expect(file).toMatchObject({ weight: 'light', canDeactivate: true });
    expect(file.warnings[0]).toContain('not an object');
  });
});

describe('parseServiceFile: fixed port', () => {
  it.each([
    ['ports.api.port', { api: { port: 15010, range: '15000-19999' } }, 15010],
    ['ports.api.default', { api: { default: 20010, range: '20000-20999' } }, 20010],
    ['port before default', { api: { port: 1, default: 2 } }, 1],
    ['scalar ports.api', { api: 3250 }, 3250],
    ['numeric string', { api: { port: '8080' } }, 8080],
    ['scalar numeric string', { api: ' 8081 ' }, 8081],
    ['a range only', { api: { range: '15000-19999' } }, null],
    ['a scalar range', { api: '15000-19999' }, null],
    ['an env template', { api: { port: '${API_PORT:-8090}' } }, null],
    ['out of range', { api: { port: 70000 } }, null],
    ['zero', { api: { port: 0 } }, null],
    ['fractional', { api: { port: 80.5 } }, null],
    ['bad port, good default', { api: { port: 'auto', default: 9000 } }, 9000],
    ['no api port', { ui: { port: 3000 } }, null],
    ['ports as an array', [1, 2], null],
  ])('%s', (_what, ports, expected) => {
    expect(parsed(parseServiceFile('x', tagged({ ports }))).fixedPort).toBe(expected);
  });

  it('keeps the range to explain a missing endpoint', () => {
    expect(parsed(parseServiceFile('x', tagged({ ports: { api: { range: '15000-19999' } } }))).portRange).toBe('15000-19999');
  });
});

describe('parseServiceFile: garbage', () => {
  it.each([
    ['an empty file', '', 'InvalidJson', 'invalid JSON at line 1, column 1'],
    ['a trailing comma', '{\n  "a": 1,\n}', 'InvalidJson', 'invalid JSON at line 3, column 1'],
    ['a missing value', '{"a":}', 'InvalidJson', 'invalid JSON at line 1, column 6'],
    ['a truncated file', '{"service": {"tags": ["maint', 'InvalidJson', 'invalid JSON at line 1, column 29'],
    ['comments', '// hi\n{}', 'InvalidJson', 'invalid JSON at line 1, column 1'],
    ['an array', '[{"tags":["maintenance"]}]', 'NotAnObject', 'top level is an array, not an object'],
    ['null', 'null', 'NotAnObject', 'top level is null, not an object'],
    ['a string', '"maintenance"', 'NotAnObject', 'top level is a string, not an object'],
    ['a number', '42', 'NotAnObject', 'top level is a number, not an object'],
  ])('skips %s with a reason', (_what, text, code, reason) => {
    const result = parseServiceFile('x', text);
    expect(result).toEqual({ ok: false, code, reason: expect.stringContaining(reason) });
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(parseServiceFile('x', `\uFEFF${tagged()}`).ok).toBe(true);
  });

  it('never throws on hostile shapes', () => {
    const shapes = [
      { service: null, tags: null, metadata: null, maintenance: null, ports: null },
      { service: 'x', tags: {}, metadata: [], maintenance: 'heavy', ports: 'api' },
      { service: { tags: ['maintenance'] }, ports: { api: { port: { nested: true } } }, maintenance: { conflictsWith: {} } },
      { service: { tags: ['maintenance'] }, maintenance: { endpoint: 5, stateEndpoint: [], resourceUsage: { cpu: 9 } } },
    ];
    for (const shape of shapes) expect(() => parseServiceFile('x', JSON.stringify(shape))).not.toThrow();
    expect(() => parseServiceFile('x', '['.repeat(100_000))).not.toThrow();
  });
});

describe('parseServiceFile over the real service.json corpus', () => {
  const files = [
    ...fs.readdirSync(CORPUS).filter((name) => name.endsWith('.json')),
    ...fs.readdirSync(path.join(CORPUS, 'non-maintenance')).map((name) => `non-maintenance/${name}`),
  ];
  const parse = (file: string): ParseResult =>
    parseServiceFile(path.basename(file, '.json').split('__')[0], fs.readFileSync(path.join(CORPUS, file), 'utf8'));

  it('holds the files the index lists', () => {
    expect(files).toHaveLength(32);
  });

  it.each(files)('%s is parsed or skipped with a reason', (file) => {
    const result = parse(file);
    if (!result.ok) expect(result.reason.length).toBeGreaterThan(10);
    if (file.startsWith('non-maintenance/')) expect(result).toMatchObject({ ok: false, code: 'NotTagged' });
  });

  it.each([
    ['app-monitor__earliest__3a4bc14af.json', 21600],
    ['code-tidiness-manager__earliest__20a869ca9.json', 20260],
    ['data-backup-manager.json', 15010],
    ['data-backup-manager__default-port-key__57742d5c7.json', 20010],
    ['maintenance-orchestrator__earliest__40ac66f37.json', 3250],
    ['system-monitor__earliest__d1a16fa45.json', 30500],
    ['app-monitor.json', null],
    ['data-backup-manager__earliest__40ac66f37.json', null],
  ])('%s has fixed port %p', (file, port) => {
    expect(parsed(parse(file)).fixedPort).toBe(port);
  });

  it('finds legacy tags the original implementation missed', () => {
    expect(parsed(parse('api-manager.json'))).toMatchObject({ name: 'api-manager', tags: expect.arrayContaining(['maintenance']) });
    expect(parsed(parse('maintenance-orchestrator__earliest__40ac66f37.json'))).toMatchObject({
      displayName: 'Maintenance Orchestrator',
      fixedPort: 3250,
    });
  });

  it('skips code-smell earliest: "maintenance" is only among metadata.keywords', () => {
    expect(parse('code-smell__earliest__0edf280ef.json')).toMatchObject({ ok: false, code: 'NotTagged' });
  });

  it('reads the real maintenance block of ecosystem-manager', () => {
    const file = parsed(parse('ecosystem-manager__with-maintenance-block__c4851e15c.json'));
    expect(file).toMatchObject({ canDeactivate: true, weight: 'light', fixedPort: null, warnings: [] });
  });
});
