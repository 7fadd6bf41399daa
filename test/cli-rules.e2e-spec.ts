/**
 * The README's CLI rules, end to end: the built CLI against an in-process orchestrator driving the demo fleet.
 * Exit codes (0 done with blocked ones listed, 1 a call failed, 2 usage, 3 everything asked was refused),
 * `--ttl 0`, empty filters, the kinds `apply` takes, and stop-all without a reason. Needs `npm run build`.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANIFEST_KINDS } from '../src/presets/manifest';
import { CLI_ACTOR, cliAt, collect, requireBuiltCli, spawnCli, stateManifest } from './support/cli-runner';
import { readFleetDir } from './support/fleet';
import { activeIds, startTestSystem, type TestSystem } from './support/system';

jest.setTimeout(60_000);

describe('maintenance-orchestrator CLI rules', () => {
  let system: TestSystem;
  let scratch: string;
  const { cli, json } = cliAt(() => system.url);
  /** Writes a MaintenanceState with these scenarios active and returns its path. */
  const stateFile = async (name: string, active: string[]) => {
    const file = join(scratch, `${name}.yaml`);
    await writeFile(file, stateManifest(name, active));
    return file;
  };

  beforeAll(async () => {
    requireBuiltCli();
    const { specs } = await readFleetDir(join(__dirname, '..', 'examples', 'fleet'));
    system = await startTestSystem({ specs: specs.map((spec) => ({ ...spec, port: undefined })) });
    scratch = await mkdtemp(join(tmpdir(), 'mo-cli-rules-'));
  });

  afterAll(async () => {
    await system?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('says which filter matched nothing', async () => {
    expect(await cli('list', '--state', 'active')).toMatchObject({ code: 0, stdout: 'no scenarios in state active\n' });
    expect(await cli('list', '--tag', 'no-such-tag')).toMatchObject({ code: 0, stdout: 'no scenarios tagged no-such-tag\n' });
  });

  it('names every manifest kind it accepts in apply --help', async () => {
    const help = await collect(spawnCli(['apply', '--help']));
    expect(help.code).toBe(0);
    for (const kind of MANIFEST_KINDS) expect(help.stdout).toMatch(new RegExp(`\\b${kind}\\b`));
  });

  it('refuses --ttl 0 as a usage error before sending anything', async () => {
    for (const ttl of ['0', '0s']) {
      const run = await cli('activate', 'code-smell', '--ttl', ttl);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--ttl ${ttl} is refused: an activation lasts at least 1s`);
    }
    const status = await json<{ overrides: Record<string, unknown> }>('status');
    expect(status.body.overrides).toEqual({});
    expect(system.fleet.stateOf('code-smell')).toBe('inactive');
  });

  it('exits 3 when a gate holds back everything a preset apply or a state file asked for, 0 when only part of it', async () => {
    // database-vacuum conflicts with backup-manager, which is active first and keeps its slot.
    const base = await stateFile('base', ['backup-manager', 'code-smell']);
    expect((await cli('apply', '-f', base, '--yes')).code).toBe(0);
    const refusedFile = await cli('apply', '-f', await stateFile('blocked', ['backup-manager', 'code-smell', 'database-vacuum']), '--yes');
    expect(refusedFile.code).toBe(3);
    expect(refusedFile.stdout).toMatch(/database-vacuum\s+Conflict: conflicts with backup-manager/);
    expect(refusedFile.stderr).toMatch(/^refused: a gate holds back every scenario this change asked for \(database-vacuum\)/);
    expect((await cli('apply', '-f', base, '--yes')).code).toBe(0);

    // The same gate, but the change also did something: 0, with the blocked one listed.
    const partly = await cli('preset', 'apply', 'full', '--add', '--yes');
    expect(partly.code).toBe(0);
    expect(partly.stdout).toMatch(/database-vacuum\s+Conflict: conflicts with backup-manager/);
    expect(partly.stderr).not.toContain('refused');
    expect((await cli('preset', 'remove', 'full', '--yes')).code).toBe(0);

    expect((await cli('preset', 'create', 'only-vacuum', '--names', 'database-vacuum')).code).toBe(0);
    const refusedPreset = await json<{ blocked: { scenario: string; reason: string }[] }>('preset', 'apply', 'only-vacuum', '--add', '--yes');
    expect(refusedPreset.run.code).toBe(3);
    expect(refusedPreset.body.blocked).toEqual([expect.objectContaining({ scenario: 'database-vacuum', reason: 'Conflict' })]);
    expect(system.fleet.stateOf('database-vacuum')).toBe('inactive');
    expect((await cli('preset', 'remove', 'only-vacuum', '--yes')).code).toBe(0);
    expect((await cli('preset', 'delete', 'only-vacuum')).code).toBe(0);
    expect(activeIds(system.fleet)).toEqual(['backup-manager', 'code-smell']);
  });

  it('refuses an unknown scenario in a manifest with exit 2 and file:line, changing nothing', async () => {
    const file = join(scratch, 'unknown.yaml');
    await writeFile(file, stateManifest('typo', ['code-smell', 'code-smel']));
    for (const command of [['apply', '-f', file, '--yes'], ['plan', '-f', file]]) {
      const run = await cli(...command);
      expect(run.code).toBe(2);
      // The path as the user typed it, and the line of the entry (line 7 of the file).
      expect(run.stderr).toContain(`${file}:7: spec.overrides.code-smel: unknown scenario "code-smel"`);
    }
    expect(activeIds(system.fleet)).toEqual(['backup-manager', 'code-smell']);
  });

  it('exits 1 when a scenario does not acknowledge, naming it, from apply -f and preset apply', async () => {
    const back = await stateFile('back', ['backup-manager', 'code-smell']);
    system.fleet.configure('query-analyzer', { failRate: 1 });
    try {
      const file = await cli('apply', '-f', await stateFile('failing', ['backup-manager', 'code-smell', 'query-analyzer']), '--yes');
      expect(file.code).toBe(1);
      expect(file.stdout).toMatch(/not converged:\n\s+SCENARIO\s+MESSAGE\n\s+query-analyzer\s+\S/);
      expect(file.stderr).toMatch(/^not converged: query-analyzer did not acknowledge/);
      expect((await cli('apply', '-f', back, '--yes')).code).toBe(0);
      expect((await cli('preset', 'create', 'only-analyzer', '--names', 'query-analyzer')).code).toBe(0);
      const preset = await cli('preset', 'apply', 'only-analyzer', '--add', '--yes');
      expect(preset.code).toBe(1);
      expect(preset.stderr).toMatch(/^not converged: query-analyzer did not acknowledge/);
    } finally {
      system.fleet.configure('query-analyzer', { failRate: 0 });
    }
    expect((await cli('apply', '-f', back, '--yes')).code).toBe(0);
    expect((await cli('preset', 'delete', 'only-analyzer')).code).toBe(0);
    expect(activeIds(system.fleet)).toEqual(['backup-manager', 'code-smell']);
  });

  it('stops without a reason in a script, recorded as "no reason given" with the user who stopped, and says what it cleared', async () => {
    const stopped = await cli('stop-all', '--yes');
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`emergency stop by ${CLI_ACTOR}: no reason given\n`);
    expect(stopped.stdout).toContain('applied presets and overrides cleared');
    expect(activeIds(system.fleet)).toEqual([]);
    const status = await json<{ emergencyStop: { reason: string; actor: string }; overrides: object }>('status');
    expect(status.body).toMatchObject({ emergencyStop: { reason: 'no reason given', actor: CLI_ACTOR }, overrides: {} });
    expect((await cli('resume')).code).toBe(0);
  });
});
