/** The figures of issue #7 (memory's target from issue #15, security's from #16, HA's from #17, explain's from #18, notify's from #19, leases' from #20), by suite: the ids every run must report (measured, or n/a with the reason). */
import type { SuiteName } from './args';

/** The figure ids each suite must produce; a suite that fails still leaves these rows, marked n/a. */
export const FIGURE_IDS: Record<SuiteName, { id: string; figure: string; unit: string; target: string }[]> = {
  startup: [
    { id: 'startup.ready', figure: '6 start → ready, 138 real fixtures', unit: 'ms', target: 'ratio ≤ 1.5' },
    { id: 'startup.firstStart', figure: '6 first start → ready (empty DATA_DIR: store created)', unit: 'ms', target: 'none' },
    { id: 'discovery.scan', figure: '6 scan of generated folders', unit: 'ms', target: '< 1000 ms' },
  ],
  cli: [{ id: 'cli.status', figure: '5 CLI status --json, wall time', unit: 'ms', target: 'ratio ≤ 1.5' }],
  convergence: [
    { id: 'convergence.apply', figure: '1 apply full → all active', unit: 'ms', target: 'ratio ≤ 3' },
    { id: 'convergence.stopAll', figure: '1 stop-all → all inactive', unit: 'ms', target: 'ratio ≤ 2' },
    { id: 'memory.peakRss', figure: '7 peak RSS after apply + stop-all', unit: 'MB', target: 'ratio ≤ 1.5' },
  ],
  api: [
    { id: 'api.status.throughput', figure: '4 GET /api/v1/status throughput', unit: 'req/s', target: 'ratio ≥ 0.9' },
    { id: 'api.status.p99', figure: '4 GET /api/v1/status p99 latency', unit: 'ms', target: 'ratio ≤ 2' },
    { id: 'api.scenario.throughput', figure: '4 GET /api/v1/scenarios/{id} throughput', unit: 'req/s', target: 'ratio ≥ 0.9' },
    { id: 'api.scenario.p99', figure: '4 GET /api/v1/scenarios/{id} p99 latency', unit: 'ms', target: 'ratio ≤ 2' },
    { id: 'api.scenarios.page', figure: '4 GET /api/v1/scenarios page of 50, p99', unit: 'ms', target: '< 50 ms' },
  ],
  metrics: [{ id: 'metrics.scrape', figure: '8 GET /metrics scrape time (max)', unit: 'ms', target: '< 250 ms' }],
  explain: [
    { id: 'explain.p99', figure: '12 GET /scenarios/{id}/explain p99 (50 schedules)', unit: 'ms', target: '< 20 ms' },
    { id: 'explain.planAt', figure: '12 POST /plan {at} for the whole fleet (max)', unit: 'ms', target: '< 500 ms' },
    { id: 'explain.timeline', figure: '12 GET /timeline, 7 days, 50 schedules (max)', unit: 'ms', target: '< 100 ms' },
  ],
  window: [{ id: 'windowEdge', figure: '3 window opens → first activation received, p99', unit: 'ms', target: '< 100 ms' }],
  leases: [
    { id: 'leases.renewalRate', figure: '10 lease renewal calls per second', unit: 'calls/s', target: 'none' },
    { id: 'leases.queueDepth', figure: '10 executor queue depth during a renewal round (max)', unit: 'calls', target: 'none' },
    { id: 'leases.stopAll', figure: '10 stop-all → all inactive during lease renewals', unit: 'ms', target: 'ratio ≤ 1.2' },
  ],
  backlog: [{ id: 'stopAllUnderLoad', figure: '2 stop-all → all inactive under a backlog', unit: 'ms', target: 'ratio ≤ 2' }],
  notify: [{ id: 'notify.stopAll', figure: '9 stop-all → all inactive with a webhook answering in 2 s', unit: 'ms', target: 'ratio ≤ 1.2' }],
  ha: [
    { id: 'ha.failover', figure: "11 HA kill -9 of the leader → new leader's first call, p95", unit: 'ms', target: '< 10000 ms' },
    { id: 'ha.crossReplica', figure: "11 HA write on a follower → leader's first call, p99", unit: 'ms', target: '< 100 ms' },
    { id: 'ha.storeConvergence', figure: '11 HA apply full → all active, PostgreSQL store vs SQLite', unit: 'ms', target: 'ratio ≤ 1.5' },
  ],
  security: [
    { id: 'security.fuzz.rate', figure: '13 OpenAPI fuzz, requests per second sustained', unit: 'req/s', target: 'none' },
    { id: 'security.fuzz.serverErrors', figure: '13 OpenAPI fuzz, 5xx answers and other findings', unit: 'answers', target: '= 0' },
    { id: 'security.auth.status', figure: '13 GET /api/v1/status throughput with a bearer token', unit: 'req/s', target: 'ratio ≥ 0.9' },
    { id: 'security.auth.scenario', figure: '13 GET /api/v1/scenarios/{id} throughput with a bearer token', unit: 'req/s', target: 'ratio ≥ 0.9' },
    { id: 'security.events.rss', figure: '13 RSS added by /events clients', unit: 'MB', target: 'none' },
    { id: 'security.events.stopAll', figure: '13 stop-all → all inactive with /events clients connected', unit: 'ms', target: 'ratio ≤ 2' },
  ],
};
