#!/usr/bin/env node
/**
 * Regenerates docs/dashboard.png: the demo fleet (on free ports, so a running `npm start` is no obstacle),
 * a few minutes of scripted operator activity, then a headless Chromium screenshot.
 *
 *   npm run build && node web/scripts/screenshot.mjs [--seconds 150] [--out docs/dashboard.png] [--keep]
 *
 * `--keep` leaves the system running afterwards and prints its URL, for a look by hand. History is sampled
 * every second here instead of every ten, so the graphs have a shape after minutes rather than an hour.
 * The host load is synthetic unless `--real-load`: a shared build machine's load average says nothing
 * about a maintenance fleet, and above 90% it blocks every activation (ResourcePressure).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));
const { readFleetDir, startFleet, writeFleetDir } = require(join(root, 'dist/examples/demo-scenario/fleet.js'));
const { loadConfig } = require(join(root, 'dist/src/config/config.js'));
const { startServer } = require(join(root, 'dist/src/server.js'));
const { chromium } = require('playwright-core');

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '150' },
    out: { type: 'string', default: join(root, 'docs/dashboard.png') },
    keep: { type: 'boolean', default: false },
    'real-load': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const { specs } = await readFleetDir(join(root, 'examples/fleet'));
const fleet = await startFleet(specs.map(({ port: _port, ...spec }) => spec));
const scenariosDir = await mkdtemp(join(tmpdir(), 'mo-shot-fleet-'));
const dataDir = await mkdtemp(join(tmpdir(), 'mo-shot-data-'));
await writeFleetDir(scenariosDir, fleet);
/** A slow random walk, clamped, so the load graph looks like a host rather than noise. */
function walk(start, step, min, max) {
  let value = start;
  return () => (value = Math.min(max, Math.max(min, value + (Math.random() - 0.5) * step)));
}
const cpu = walk(30, 6, 8, 70);
const memory = walk(55, 1.5, 45, 68);
const hostProbe = values['real-load'] ? undefined : { read: () => ({ cpuLoadPercent: cpu(), memoryPercent: memory() }) };
const config = loadConfig(process.env, {
  MAINTENANCE_PORT: process.env.MAINTENANCE_PORT ?? 0,
  SCENARIOS_DIR: scenariosDir,
  DATA_DIR: dataDir,
  RESYNC_INTERVAL: '2s',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
const server = await startServer(config, hostProbe ? { hostProbe } : {});
const call = async (method, path, body) => {
  // As the CLI does, the operator's name rides along, so the activity log says who (local:alice).
  const response = await fetch(`${server.url}/api/v1${path}`, { method, headers: { 'content-type': 'application/json', 'x-maintenance-actor': 'alice' }, body: body && JSON.stringify(body) });
  return response.json();
};
process.stdout.write(`dashboard: ${server.url}/\n`);

// What an operator might do over a few minutes; times are fractions of the run.
const timeline = [
  [0.05, () => call('POST', '/presets/minimal/apply', { confirm: true })],
  [0.2, () => call('POST', '/scenarios/code-smell/activate', { ttl: '45m', reason: 'pre-release sweep' })],
  [0.35, () => call('POST', '/presets/performance/apply', { add: true, confirm: true })],
  [0.5, () => call('POST', '/scenarios/cache-optimizer/deactivate', {})],
  [0.6, () => call('POST', '/schedules', { name: 'nightly-off-hours', preset: 'off-hours', cron: '0 2 * * *', duration: '2h', timeZone: 'Europe/Berlin' })],
  [0.65, () => call('POST', '/schedules', { name: 'release-freeze', preset: 'full', cron: '0 9 * * 1-5', duration: '8h', timeZone: 'UTC', kind: 'deny' })],
  [0.7, () => call('POST', '/presets/full/apply', { confirm: true })],
  [0.8, () => fleet.setDown('dependency-audit', true)],
  [0.9, () => call('POST', '/scenarios/code-smell/activate', { ttl: '45m', reason: 'pre-release sweep' })],
];
const started = Date.now();
let next = 0;
while (Date.now() - started < seconds * 1000) {
  const fraction = (Date.now() - started) / (seconds * 1000);
  while (next < timeline.length && timeline[next][0] <= fraction) await timeline[next++][1]();
  server.orchestrator.history.sample();
  await sleep(1000);
}
while (next < timeline.length) await timeline[next++][1]();
await sleep(3000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1, colorScheme: 'light', reducedMotion: 'reduce' });
// The dashboard asks a new browser for a name once; this one has answered already.
await page.addInitScript(() => localStorage.setItem('maintenance-orchestrator.actor', 'alice'));
await page.goto(`${server.url}/`);
await page.locator('article[data-scenario]').first().waitFor();
await page.locator('.chart canvas').first().waitFor();
await sleep(500);
await page.screenshot({ path: values.out, fullPage: true });
await browser.close();
process.stdout.write(`wrote ${values.out}\n`);

if (values.keep) {
  process.stdout.write('running; Ctrl-C stops\n');
  await new Promise((resolve) => process.once('SIGINT', resolve));
}
await server.close();
await fleet.stop();
await rm(scenariosDir, { recursive: true, force: true });
await rm(dataDir, { recursive: true, force: true });
