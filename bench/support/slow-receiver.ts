/**
 * A webhook receiver for the notify suite, in its own process: it answers every delivery after a fixed
 * delay (2 s in the figure), so a dispatcher that waited for it would show in the stop-all time. It
 * records each delivery's event and arrival so the suite can check the notifier was really in play.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveIpc } from './proc';

const delayMs = Number(process.env.BENCH_RECEIVER_DELAY_MS ?? 2000);
const received: { event: string; at: number }[] = [];

const server = http.createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (body += chunk));
  request.on('end', () => {
    let event = 'unreadable';
    try {
      event = (JSON.parse(body) as { event?: string }).event ?? 'none';
    } catch {
      // Recorded as unreadable: the suite reports what arrived, whatever it was.
    }
    received.push({ event, at: Date.now() });
    setTimeout(() => response.writeHead(204).end(), delayMs);
  });
});

serveIpc(async (message) => {
  if (message.type === 'address') return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook` };
  if (message.type === 'received') return { received };
  throw new Error(`unknown request ${message.type}`);
});

server.listen(0, '127.0.0.1');
