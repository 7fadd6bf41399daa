/**
 * The real Alertmanager and Prometheus (Debian's binaries), each started on a free loopback port with a
 * temporary config and storage folder, by PID, and stopped after. Clustering is off so nothing else binds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './system';

/** Debian's binaries, as .ci/run installs them. */
export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';
export const PROMETHEUS_BIN = '/usr/bin/prometheus';

/** A server we started: where it listens and how to stop it. */
export interface MonitoringServer {
  url: string;
  pid: number;
  /** Stops the process by its PID (SIGTERM, then SIGKILL) and removes its folder; safe to call twice. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Alertmanager with one route to a receiver that sends nothing anywhere. */
export async function startAlertmanager(): Promise<MonitoringServer> {
  const dir = await mkdtemp(join(tmpdir(), 'mo-alertmanager-'));
  const config = join(dir, 'alertmanager.yml');
  await writeFile(config, ['route:', '  receiver: nowhere', '  group_wait: 1s', 'receivers:', '  - name: nowhere', ''].join('\n'));
  const port = await freePort();
  const args = [`--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'];
  return launch(ALERTMANAGER_BIN, args, dir, `http://127.0.0.1:${port}`);
}

/** Prometheus scraping `targets` (host:port) every second, keeping its TSDB in a temporary folder. */
export async function startPrometheus(targets: string[]): Promise<MonitoringServer> {
  const dir = await mkdtemp(join(tmpdir(), 'mo-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  const yaml = [
    'global:',
    '  scrape_interval: 1s',
    '  evaluation_interval: 1s',
    'scrape_configs:',
    '  - job_name: exporter',
    '    static_configs:',
    `      - targets: [${targets.map((target) => JSON.stringify(target)).join(', ')}]`,
    '',
  ].join('\n');
  await writeFile(config, yaml);
  const port = await freePort();
  const args = [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'];
  return launch(PROMETHEUS_BIN, args, dir, `http://127.0.0.1:${port}`);
}

async function launch(bin: string, args: string[], dir: string, url: string): Promise<MonitoringServer> {
  const child = spawn(bin, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      await killByPid(child, exited);
      await rm(dir, { recursive: true, force: true });
    }
  };
  try {
    await eventually(async () => {
      if (child.exitCode !== null) throw new Error(`${bin} exited with ${child.exitCode}: ${stderr}`);
      return isReady(url);
    }, `${bin} ready at ${url}`, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: child.pid as number, stop };
}

async function isReady(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/-/ready`)).ok;
  } catch {
    return false;
  }
}

async function killByPid(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  process.kill(child.pid as number, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 10_000)))]);
  clearTimeout(timer);
  if (!gone) {
    process.kill(child.pid as number, 'SIGKILL');
    await exited;
  }
}

/** A tiny exporter of the test's own: serves one gauge whose value the test sets. */
export interface GaugeExporter {
  /** host:port, as Prometheus' static_configs wants it. */
  target: string;
  set(value: number): void;
  close(): Promise<void>;
}

/** Starts an exporter serving `name` (a gauge) on a free loopback port. */
export async function startGaugeExporter(name: string, initial = 0): Promise<GaugeExporter> {
  let value = initial;
  const server: Server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(`# HELP ${name} A value the test sets.\n# TYPE ${name} gauge\n${name} ${value}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    set: (next) => {
      value = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
