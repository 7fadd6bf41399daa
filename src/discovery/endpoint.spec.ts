import {
  DEFAULT_ALLOWED_HOSTS,
  isHostAllowed,
  parseResolverOutput,
  resolveEndpoint,
  runPortResolver,
  splitCommandTemplate,
  type EndpointCandidates,
  type PortResolverRunner,
} from './endpoint';

/** A resolver template running this very Node binary, quoted in case its path has spaces. */
const node = (script: string, ...args: string[]): string => [`"${process.execPath}"`, '-e', `"${script}"`, ...args].join(' ');

const none: EndpointCandidates = { id: 'alpha', declaredEndpoint: null, fixedPort: null, portRange: '15000-19999' };

describe('isHostAllowed', () => {
  it.each([
    ['http://127.0.0.1:8080', DEFAULT_ALLOWED_HOSTS, true],
    ['http://LOCALHOST:1', DEFAULT_ALLOWED_HOSTS, true],
    ['https://localhost/base', DEFAULT_ALLOWED_HOSTS, true],
    ['http://[::1]:9000', DEFAULT_ALLOWED_HOSTS, true],
    ['http://[::1]:9000', ['::1'], true],
    ['http://[::1]:9000', ['[::1]'], true],
    ['http://10.0.0.5:80', DEFAULT_ALLOWED_HOSTS, false],
    ['http://127.0.0.2:80', DEFAULT_ALLOWED_HOSTS, false],
    ['http://localhost.evil.com', DEFAULT_ALLOWED_HOSTS, false],
    ['http://127.0.0.1@evil.com', DEFAULT_ALLOWED_HOSTS, false],
    ['http://scenarios.internal:80', ['Scenarios.Internal'], true],
    ['ftp://127.0.0.1', DEFAULT_ALLOWED_HOSTS, false],
    ['not a url', DEFAULT_ALLOWED_HOSTS, false],
    ['http://127.0.0.1', [], false],
  ])('%s with %j -> %p', (url, hosts, expected) => {
    expect(isHostAllowed(url, hosts)).toBe(expected);
  });
});

describe('resolveEndpoint: precedence', () => {
  const all: EndpointCandidates = { id: 'a', registration: 'http://localhost:1', declaredEndpoint: 'http://localhost:2', fixedPort: 3 };
  const neverRun: PortResolverRunner = () => {
    throw new Error('the resolver must not run when another endpoint applies');
  };
  const options = { portResolver: 'resolver {name}', runResolver: neverRun };

  it.each([
    ['registration first', all, 'http://localhost:1', 'registration'],
    ['then maintenance.endpoint', { ...all, registration: null }, 'http://localhost:2', 'maintenance.endpoint'],
    ['then the fixed port', { ...all, registration: null, declaredEndpoint: null }, 'http://127.0.0.1:3', 'port'],
  ])('%s', async (_what, candidates, endpoint, source) => {
    await expect(resolveEndpoint(candidates, options)).resolves.toEqual({ endpoint, endpointSource: source, endpointProblem: null });
  });

  it('refuses a disallowed maintenance.endpoint instead of falling back, and never runs anything', async () => {
    const candidates = { ...none, declaredEndpoint: 'http://10.0.0.5:80', fixedPort: 15000 };
    const result = await resolveEndpoint(candidates, options);
    expect(result).toEqual({
      endpoint: null,
      endpointSource: null,
      endpointProblem: { reason: 'HostNotAllowed', message: expect.stringContaining('host 10.0.0.5') },
    });
  });

  it('applies the allow-list to fixed ports too', async () => {
    const result = await resolveEndpoint({ ...none, fixedPort: 80 }, { allowedHosts: ['scenarios.internal'] });
    expect(result.endpointProblem?.reason).toBe('HostNotAllowed');
  });

  it('says what was tried when nothing applies', async () => {
    const result = await resolveEndpoint(none);
    expect(result.endpoint).toBeNull();
    expect(result.endpointProblem).toEqual({
      reason: 'NoEndpoint',
      message:
        'no endpoint: no registration, no maintenance.endpoint, no fixed port in ports.api ' +
        '(only the range 15000-19999, which is not a port), and no PORT_RESOLVER is configured',
    });
  });
});

describe('resolveEndpoint: the port resolver command', () => {
  it('runs the template with {name} substituted and uses the printed port', async () => {
    const template = node(`console.log(process.argv[1] === 'alpha' ? 4321 : 1)`, '{name}', 'API_PORT');
    await expect(resolveEndpoint(none, { portResolver: template })).resolves.toEqual({
      endpoint: 'http://127.0.0.1:4321',
      endpointSource: 'resolver',
      endpointProblem: null,
    });
  });

  it('accepts a printed URL, with surrounding whitespace', async () => {
    const result = await resolveEndpoint(none, { portResolver: node(`console.log('  http://localhost:7000/  ')`) });
    expect(result).toMatchObject({ endpoint: 'http://localhost:7000', endpointSource: 'resolver' });
  });

  it('applies the allow-list to a printed URL', async () => {
    const result = await resolveEndpoint(none, { portResolver: node(`console.log('http://10.1.2.3:80')`) });
    expect(result.endpointProblem).toMatchObject({ reason: 'HostNotAllowed', message: expect.stringContaining('10.1.2.3') });
  });

  it.each([
    ['a failing command', node('process.exit(3)'), 'exited with code 3'],
    ['a failing command with stderr', node(`console.error('scenario alpha is not running'); process.exit(1)`), 'scenario alpha is not running'],
    ['a missing command', 'no-such-resolver-command-xyz {name}', 'command "no-such-resolver-command-xyz" not found'],
    ['garbage output', node(`console.log('port unknown')`), 'printed "port unknown", not a port or a URL'],
    ['no output', node(''), 'printed nothing'],
    ['an unterminated quote', 'vrooli "scenario port', 'not a valid command'],
  ])('gives NoEndpoint for %s', async (_what, template, detail) => {
    const result = await resolveEndpoint(none, { portResolver: template });
    expect(result.endpoint).toBeNull();
    expect(result.endpointProblem?.reason).toBe('NoEndpoint');
    expect(result.endpointProblem?.message).toContain(`PORT_RESOLVER \`${template}\``);
    expect(result.endpointProblem?.message).toContain(detail);
  });

  it('kills a resolver that does not answer in time', async () => {
    const outcome = await runPortResolver(node('setTimeout(() => {}, 10000)'), 'alpha', 200);
    expect(outcome).toEqual({ ok: false, reason: 'timed out after 0.2s (killed with its child processes)' });
  });

  it('never goes through a shell', async () => {
    const outcome = await runPortResolver(node('console.log(process.argv[1])', '{name}'), '$(echo 99);echo 98');
    expect(outcome).toEqual({ ok: false, reason: 'printed "$(echo 99);echo 98", not a port or a URL' });
  });
});

describe('parseResolverOutput', () => {
  it.each([
    ['4321\n', 'http://127.0.0.1:4321'],
    ['http://[::1]:8080/', 'http://[::1]:8080'],
    ['99999', null],
    ['0', null],
    ['localhost:80', null],
    ['', null],
    ['12 34', null],
  ])('%j -> %p', (stdout, expected) => {
    expect(parseResolverOutput(stdout)).toBe(expected);
  });
});

describe('splitCommandTemplate', () => {
  it.each([
    ['vrooli scenario port {name} API_PORT', ['vrooli', 'scenario', 'port', '{name}', 'API_PORT']],
    ['  spaced   out  ', ['spaced', 'out']],
    [`sh -c 'echo "$1"' x`, ['sh', '-c', 'echo "$1"', 'x']],
    [`"/opt/my tools/port" "a \\"b\\""`, ['/opt/my tools/port', 'a "b"']],
    ['a "" b', ['a', '', 'b']],
    ['a\\ b', ['a b']],
    ['"C:\\Program Files\\node.exe" x', ['C:\\Program Files\\node.exe', 'x']],
    ['', null],
    ['   ', null],
    [`unterminated 'quote`, null],
  ])('%j', (template, argv) => {
    expect(splitCommandTemplate(template)).toEqual(argv);
  });
});
