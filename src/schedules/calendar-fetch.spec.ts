import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchCalendarFeed } from './calendar-fetch';

const FEED = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';

/** A real feed server on `host`; `hits` lists the paths it was asked for. */
async function feedServer(host: string, handler: http.RequestListener): Promise<{ url: string; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    hits,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
async function serve(host: string, handler: http.RequestListener) {
  const server = await feedServer(host, handler);
  closers.push(server.close);
  return server;
}

const ALLOWED = ['127.0.0.1'];

describe('fetchCalendarFeed against real loopback servers', () => {
  it('reads a feed, following a redirect that stays on an allowed host', async () => {
    const server = await serve('127.0.0.1', (req, res) => {
      if (req.url === '/old.ics') res.writeHead(301, { location: '/feed.ics' }).end();
      else res.writeHead(200, { 'content-type': 'text/calendar' }).end(FEED);
    });
    expect(await fetchCalendarFeed(`${server.url}/old.ics`, ALLOWED)).toBe(FEED);
    expect(server.hits).toEqual(['/old.ics', '/feed.ics']);
  });

  it('follows no redirect off the allowed hosts, and never asks the other host', async () => {
    // 127.0.0.2 is loopback too, but not in the list: the redirect target stands for any other host.
    const elsewhere = await serve('127.0.0.2', (_req, res) => res.writeHead(200).end(FEED));
    const server = await serve('127.0.0.1', (_req, res) => res.writeHead(302, { location: `${elsewhere.url}/feed.ics` }).end());
    await expect(fetchCalendarFeed(`${server.url}/feed.ics`, ALLOWED)).rejects.toThrow(`redirect to ${elsewhere.url}/feed.ics refused: its host is not in ALLOWED_SCENARIO_HOSTS`);
    expect(elsewhere.hits).toEqual([]);
    const scheme = await serve('127.0.0.1', (_req, res) => res.writeHead(307, { location: 'file:///etc/passwd' }).end());
    await expect(fetchCalendarFeed(scheme.url, ALLOWED)).rejects.toThrow('redirect to file:///etc/passwd refused');
  });

  it('refuses a feed URL off the allowed hosts without asking it', async () => {
    const elsewhere = await serve('127.0.0.2', (_req, res) => res.writeHead(200).end(FEED));
    await expect(fetchCalendarFeed(elsewhere.url, ALLOWED)).rejects.toThrow(`host of ${elsewhere.url} is not in ALLOWED_SCENARIO_HOSTS`);
    expect(elsewhere.hits).toEqual([]);
  });

  it('stops following a redirect loop', async () => {
    const server = await serve('127.0.0.1', (req, res) => res.writeHead(302, { location: `${req.url}x` }).end());
    await expect(fetchCalendarFeed(`${server.url}/a`, ALLOWED, { maxRedirects: 3 })).rejects.toThrow('more than 3 redirects');
    expect(server.hits).toHaveLength(4);
  });

  it('stops reading an endless streamed body at the cap', async () => {
    let written = 0;
    let stopped = false;
    const server = await serve('127.0.0.1', (_req, res) => {
      const block = Buffer.alloc(16 * 1024, 'x');
      // No Content-Length: the only way to stop is to stop reading. It writes as long as the reader takes.
      const write = (): void => {
        while (!res.destroyed && res.write(block)) written += block.length;
        if (!res.destroyed) res.once('drain', write);
      };
      res.on('close', () => (stopped = true));
      res.writeHead(200, { 'content-type': 'text/calendar' });
      write();
    });
    await expect(fetchCalendarFeed(server.url, ALLOWED, { maxBytes: 200_000 })).rejects.toThrow('feed larger than 200000 bytes');
    for (let waited = 0; !stopped && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(true);
    // What the server got out before the reader hung up: the cap plus what the sockets buffer, not the stream.
    expect(written).toBeLessThan(20_000_000);
  });

  it('refuses a declared Content-Length over the cap before reading, and an error status', async () => {
    const big = await serve('127.0.0.1', (_req, res) => res.writeHead(200, { 'content-length': 300_000 }).end(Buffer.alloc(300_000, 'y')));
    await expect(fetchCalendarFeed(big.url, ALLOWED, { maxBytes: 200_000 })).rejects.toThrow('feed larger than 200000 bytes');
    const gone = await serve('127.0.0.1', (_req, res) => res.writeHead(404).end('DB_PASSWORD=hunter2'));
    await expect(fetchCalendarFeed(gone.url, ALLOWED)).rejects.toThrow(/^HTTP 404$/);
  });
});
