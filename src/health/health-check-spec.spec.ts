/** Policy `healthChecks` (SPEC 11): what is accepted, its defaults, and a problem naming the field and line for what is not. */
import { ManifestError, parseManifests } from '../presets/manifest';
import { policyFromManifest } from '../presets/schema';

function policy(healthChecks: string) {
  return policyFromManifest(parseManifests(`apiVersion: maintenance/v1\nkind: Policy\nspec:\n  healthChecks:\n${healthChecks}`, 'policy.yaml')[0]);
}

function problems(healthChecks: string): string[] {
  try {
    policy(healthChecks);
  } catch (error) {
    if (error instanceof ManifestError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected the policy to be refused');
}

describe('policy healthChecks', () => {
  it('reads both kinds, with defaults: interval 30s, onError block, a name from the type and position', () => {
    const checks = policy(
      [
        '    - alertmanager: {url: "http://127.0.0.1:9093", matchers: [\'severity="critical"\', \'team=~"db|api"\']}',
        '    - prometheus: {name: queue, url: "http://127.0.0.1:9090/prom", query: "queue_depth > 100", interval: 10s, onError: allow}',
      ].join('\n'),
    ).healthChecks;
    expect(checks).toEqual([
      { type: 'alertmanager', name: 'alertmanager-1', url: 'http://127.0.0.1:9093', matchers: ['severity="critical"', 'team=~"db|api"'], intervalMs: 30_000, onError: 'block' },
      { type: 'prometheus', name: 'queue', url: 'http://127.0.0.1:9090/prom', query: 'queue_depth > 100', intervalMs: 10_000, onError: 'allow' },
    ]);
  });

  it('is empty when absent', () => {
    expect(policyFromManifest(parseManifests('apiVersion: maintenance/v1\nkind: Policy\nspec: {maxHeavy: 1}', 'p.yaml')[0]).healthChecks).toEqual([]);
  });

  it.each([
    ['not a list', '    {}', 'policy.yaml:5: spec.healthChecks: must be a list of checks'],
    ['an unknown kind', '    - nagios: {url: "http://127.0.0.1"}', 'spec.healthChecks.0: must be a mapping with exactly one of alertmanager or prometheus, got keys nagios'],
    ['two kinds in one item', '    - {alertmanager: {}, prometheus: {}}', 'spec.healthChecks.0: must be a mapping with exactly one of alertmanager or prometheus'],
    ['an unknown field', '    - prometheus: {url: "http://127.0.0.1:9090", query: "up", matchers: []}', 'spec.healthChecks.0.prometheus.matchers: is not a known field'],
    ['no url', '    - prometheus: {query: "up"}', 'spec.healthChecks.0.prometheus.url: is required'],
    ['a url of another scheme', '    - prometheus: {url: "ftp://127.0.0.1", query: "up"}', 'spec.healthChecks.0.prometheus.url: must be an http(s) URL'],
    ['no query', '    - prometheus: {url: "http://127.0.0.1:9090"}', 'spec.healthChecks.0.prometheus.query: is required'],
    ['no matchers', '    - alertmanager: {url: "http://127.0.0.1:9093"}', 'spec.healthChecks.0.alertmanager.matchers: is required'],
    ['a matcher without quotes', '    - alertmanager: {url: "http://127.0.0.1:9093", matchers: ["severity=critical"]}', 'spec.healthChecks.0.alertmanager.matchers.0: must be a matcher'],
    ['an interval too short', '    - prometheus: {url: "http://127.0.0.1:9090", query: "up", interval: 100ms}', 'spec.healthChecks.0.prometheus.interval: must be from 1s to 1d'],
    ['an interval that is no duration', '    - prometheus: {url: "http://127.0.0.1:9090", query: "up", interval: soon}', 'spec.healthChecks.0.prometheus.interval: "soon" is not a duration'],
    ['an unknown onError', '    - prometheus: {url: "http://127.0.0.1:9090", query: "up", onError: ignore}', 'spec.healthChecks.0.prometheus.onError: must be block or allow, got "ignore"'],
    ['two checks of one name', '    - prometheus: {name: q, url: "http://127.0.0.1:9090", query: "up"}\n    - prometheus: {name: q, url: "http://127.0.0.1:9090", query: "up"}', 'spec.healthChecks.1.prometheus.name: "q" is already the name of another check'],
  ])('refuses %s, naming the field', (_case, yaml, expected) => {
    expect(problems(yaml).join('\n')).toContain(expected);
  });
});
