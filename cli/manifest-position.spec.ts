import { locateUnknownName } from './manifest-position';

const FILE = [
  'apiVersion: maintenance/v1',
  'kind: Preset',
  'metadata: {name: mine}',
  'spec: {selector: {names: [code-smell]}}',
  '---',
  'apiVersion: maintenance/v1',
  'kind: MaintenanceState',
  'metadata: {name: typo}',
  'spec:',
  '  presets: [minimal, perfomance]',
  '  overrides:',
  '    code-smell: {state: active}',
  '    code-smel: {state: active}',
  '',
].join('\n');

const body = (message: string, details: Record<string, unknown>) => ({ statusCode: 400, error: 'Bad Request', message, code: 'Invalid', ...details });

describe('locateUnknownName', () => {
  it('puts the file and line of the override before the message about an unknown scenario', () => {
    const message = 'unknown scenario "code-smel"; did you mean "code-smell"?';
    expect(locateUnknownName(body(message, { unknownScenario: 'code-smel' }), FILE, 'state.yaml')).toBe(`state.yaml:13: spec.overrides.code-smel: ${message}`);
  });

  it('finds an unknown preset by its place in the list', () => {
    const message = 'unknown preset "perfomance"';
    expect(locateUnknownName(body(message, { unknownPreset: 'perfomance' }), FILE, 'state.yaml')).toBe(`state.yaml:10: spec.presets.1: ${message}`);
  });

  it('leaves a message that already names the file, or a name the file does not hold, to the server', () => {
    expect(locateUnknownName(body('state.yaml:13: spec.overrides.code-smel: unknown scenario', { unknownScenario: 'code-smel' }), FILE, 'state.yaml')).toBeNull();
    expect(locateUnknownName(body('unknown scenario "elsewhere"', { unknownScenario: 'elsewhere' }), FILE, 'state.yaml')).toBeNull();
    expect(locateUnknownName(body('bad', {}), FILE, 'state.yaml')).toBeNull();
    expect(locateUnknownName(body('unknown scenario "x"', { unknownScenario: 'x' }), 'not: [valid', 'state.yaml')).toBeNull();
  });
});
