/**
 * manifests/monitoring: the Grafana dashboard is importable (structure), every panel's query is valid PromQL
 * and names only metrics and labels the app exposes; the alert rules pass `promtool check rules` and their
 * unit tests (`promtool test rules`), and cover the alerts issue #8 asks for.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { PrometheusMetrics } from '../src/metrics/prometheus-metrics';
import { parseExposition, promtool, queryableNames } from '../src/metrics/testing/exposition';

const DIR = join(__dirname, '..', 'manifests', 'monitoring');
const PANEL_TYPES = new Set(['row', 'stat', 'timeseries', 'state-timeline', 'bargauge', 'table', 'gauge', 'text']);
/** Labels Prometheus adds at scrape time, and the bucket label of histograms. */
const SCRAPE_LABELS = ['instance', 'job', 'le'];

type Target = { refId: string; expr: string; datasource: { uid: string } };
type Panel = { id: number; type: string; title: string; gridPos: { x: number; y: number; w: number; h: number }; datasource?: { uid: string }; targets?: Target[] };
type Dashboard = { uid: string; title: string; schemaVersion: number; panels: Panel[]; templating: { list: { name: string; type: string }[] } };
type Rule = { alert: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> };

/** Metric and label names the app exposes: a real PrometheusMetrics with every kind of series present. */
async function exposed(): Promise<{ names: Set<string>; labels: Set<string> }> {
  const metrics = new PrometheusMetrics();
  metrics.attach(() => ({
    scenarios: [{ id: 'backup', weight: 'heavy', active: false, desiredActive: true, inSync: true, blockedBy: 'ConcurrencyLimit', reachable: true, failures: 2, ttlExpiry: 2_000_000_000 }],
    windows: [{ schedule: 'nightly', preset: 'off-hours', kind: 'allow', open: true, nextOpen: 1_900_000_000 }],
    emergencyStop: false,
    discovered: 1,
    queueDepth: 0,
  }));
  metrics.actionCompleted({ scenario: 'backup', action: 'activate', durationMs: 10, result: { ok: false, unreachable: false, aborted: false, error: 'HTTP 500' } }, true);
  metrics.passCompleted('success', 0.001);
  metrics.scanCompleted({ ok: true, durationSeconds: 0.01 });
  metrics.healthCheckRead({ check: 'pages', ok: false, message: 'failing', failing: ['PrimaryDown'], readAt: 1 }, true);
  metrics.notificationFinished('pager', 'failure');
  const text = await metrics.render();
  const labels = new Set([...SCRAPE_LABELS, ...parseExposition(text).flatMap((sample) => Object.keys(sample.labels))]);
  return { names: queryableNames(text), labels };
}

/** Metric names a query uses: identifiers of the app's namespaces (label names never carry these prefixes). */
function metricsIn(expr: string): string[] {
  return [...new Set(expr.match(/\b(?:maintenance|process|nodejs)_[a-z0-9_]+\b/g) ?? [])];
}

/** Label names a query uses in matchers and in by/without/on/ignoring/group_left/group_right clauses. */
function labelsIn(expr: string): string[] {
  const names = new Set<string>();
  for (const [, body] of expr.matchAll(/\{([^}]*)\}/g)) for (const [, name] of body.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)) names.add(name);
  for (const [, list] of expr.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)) {
    for (const name of list.split(',').map((item) => item.trim()).filter(Boolean)) names.add(name);
  }
  return [...names];
}

/** Grafana variables replaced by values Prometheus accepts, so promtool can parse the queries. */
function withoutVariables(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m').replace(/\$\{?\w+\}?/g, '.*');
}

describe('Grafana dashboard', () => {
  let dashboard: Dashboard;
  let app: { names: Set<string>; labels: Set<string> };
  const queryPanels = () => dashboard.panels.filter((panel) => panel.type !== 'row');
  beforeAll(async () => {
    dashboard = JSON.parse(await readFile(join(DIR, 'grafana-dashboard.json'), 'utf8')) as Dashboard;
    app = await exposed();
  });

  it('has the shape Grafana imports: uid, title, schema version, a data source variable, panels on a 24-column grid', () => {
    expect(dashboard).toMatchObject({ uid: expect.stringMatching(/^[a-zA-Z0-9_-]{1,40}$/), title: expect.any(String), schemaVersion: expect.any(Number) });
    expect(dashboard.templating.list).toContainEqual(expect.objectContaining({ name: 'datasource', type: 'datasource' }));
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) {
      expect([panel.title, PANEL_TYPES.has(panel.type)]).toEqual([panel.title, true]);
      const { x, y, w, h } = panel.gridPos;
      expect([panel.title, x >= 0 && w > 0 && x + w <= 24 && y >= 0 && h > 0]).toEqual([panel.title, true]);
    }
  });

  it('queries the chosen data source in every panel, with at least one query each', () => {
    for (const panel of queryPanels()) {
      expect([panel.title, panel.datasource?.uid, (panel.targets ?? []).length > 0]).toEqual([panel.title, '${datasource}', true]);
      for (const target of panel.targets ?? []) expect([panel.title, target.refId, target.datasource.uid, target.expr.length > 0]).toEqual([panel.title, target.refId, '${datasource}', true]);
    }
  });

  it('shows fleet state, active vs desired, blocked by gate, reconcile rate and latency, action errors and the window timeline', () => {
    const titles = queryPanels().map((panel) => panel.title);
    for (const title of ['Scenarios', 'Active', 'Desired active', 'Out of sync', 'Unreachable', 'Emergency stop', 'Active vs desired', 'Blocked by gate', 'Reconcile rate', 'Reconcile latency', 'Action errors', 'Window timeline']) {
      expect(titles).toContain(title);
    }
  });

  it('names in every query only metrics and labels the app exposes', () => {
    for (const panel of queryPanels()) {
      for (const { expr } of panel.targets ?? []) {
        const metrics = metricsIn(expr);
        expect([panel.title, expr, metrics.length > 0]).toEqual([panel.title, expr, true]);
        for (const name of metrics) expect([panel.title, name, app.names.has(name)]).toEqual([panel.title, name, true]);
        for (const label of labelsIn(expr)) expect([panel.title, label, app.labels.has(label)]).toEqual([panel.title, label, true]);
      }
    }
  });

  it('has only queries promtool parses as PromQL', async () => {
    const rules = queryPanels().flatMap((panel, p) => (panel.targets ?? []).map((target, t) => ({ record: `dashboard:panel_${p}_${t}`, expr: withoutVariables(target.expr) })));
    const dir = await mkdtemp(join(tmpdir(), 'mo-dashboard-'));
    try {
      await writeFile(join(dir, 'queries.yaml'), stringify({ groups: [{ name: 'dashboard', rules }] }));
      const checked = await promtool(['check', 'rules', join(dir, 'queries.yaml')]);
      expect({ code: checked.code, output: checked.code === 0 ? '' : checked.stdout + checked.stderr }).toEqual({ code: 0, output: '' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('alert rules', () => {
  let rules: Rule[];
  beforeAll(async () => {
    const file = parse(await readFile(join(DIR, 'alerts.yaml'), 'utf8')) as { groups: { rules: Rule[] }[] };
    rules = file.groups.flatMap((group) => group.rules);
  });

  it('pass promtool check rules', async () => {
    const checked = await promtool(['check', 'rules', join(DIR, 'alerts.yaml')]);
    expect({ code: checked.code, output: checked.stdout + checked.stderr }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('fire when they should and not before (promtool test rules)', async () => {
    const tested = await promtool(['test', 'rules', join(DIR, 'alerts.test.yaml')]);
    expect({ code: tested.code, output: tested.stdout + tested.stderr }).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
  });

  it('cover a long emergency stop, out of sync, action errors, unreachable scenarios and a window with nothing converging', () => {
    const names = rules.map((rule) => rule.alert);
    expect(names).toEqual(expect.arrayContaining(['MaintenanceEmergencyStopActive', 'MaintenanceScenarioOutOfSync', 'MaintenanceActionErrorRate', 'MaintenanceScenarioUnreachable', 'MaintenanceWindowNotConverging']));
    expect(rules.find((rule) => rule.alert === 'MaintenanceScenarioOutOfSync')?.for).toBe('10m');
  });

  it('wait before firing, carry a severity and explain themselves, using only exposed metrics and labels', async () => {
    const app = await exposed();
    for (const rule of rules) {
      expect([rule.alert, rule.for, rule.labels?.severity, rule.annotations?.summary, rule.annotations?.description]).toEqual([rule.alert, expect.any(String), expect.stringMatching(/^(warning|critical)$/), expect.any(String), expect.any(String)]);
      for (const name of metricsIn(rule.expr)) expect([rule.alert, name, app.names.has(name)]).toEqual([rule.alert, name, true]);
      for (const label of labelsIn(rule.expr)) expect([rule.alert, label, app.labels.has(label)]).toEqual([rule.alert, label, true]);
    }
  });
});
