import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { http1Origin, http1Request, Http1Pool } from './http1-pool';

/** A real server on 127.0.0.1 that counts the connections it accepted and those open now. */
async function listen(server: net.Server): Promise<{ port: number; accepted: () => number; open: () => number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  server.on('connection', (socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    accepted: () => accepted,
    open: () => sockets.size,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function jsonServer(handler: http.RequestListener) {
  const server = await listen(http.createServer(handler));
  closers.push(server.close);
  return server;
}

function poolFor(port: number, options: ConstructorParameters<typeof Http1Pool>[1] = {}, endpoint = `http://127.0.0.1:${port}`) {
  const pool = new Http1Pool(http1Origin(new URL(endpoint)), options);
  closers.push(async () => pool.close());
  const call = (method: 'GET' | 'POST', path: string, body: string | null = null, timeoutMs = 2000, bindAbort?: (abort: () => void) => void) =>
    pool.request(http1Request(pool.origin, method, path, body), timeoutMs, bindAbort && { bind: bindAbort });
  return { pool, call };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Http1Pool against real servers', () => {
  it('sends the method, path, headers and body, and keeps the connection for the next call', async () => {
    const seen: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
    const server = await jsonServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ maintenanceState: 'active' }));
      });
    });
    const { call } = poolFor(server.port, {}, `http://ops:s%40cret@127.0.0.1:${server.port}`);
    expect(await call('POST', '/api/maintenance/state', '{"state":"active"}')).toEqual({ status: 200, body: '{"maintenanceState":"active"}', reusable: true });
    expect(await call('GET', '/api/maintenance/state')).toMatchObject({ status: 200 });
    expect(server.accepted()).toBe(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/maintenance/state', body: '{"state":"active"}' });
    expect(seen[0].headers).toMatchObject({
      host: `127.0.0.1:${server.port}`,
      authorization: `Basic ${Buffer.from('ops:s@cret').toString('base64')}`,
      'content-type': 'application/json',
      'content-length': '18',
      accept: 'application/json',
    });
    expect(seen[1]).toMatchObject({ method: 'GET', body: '' });
  });

  it('reads a chunked answer written in parts', async () => {
    const server = await jsonServer((_req, res) => {
      res.write('{"maintenanceState":');
      setTimeout(() => res.end('"inactive"}'), 20);
    });
    const { call } = poolFor(server.port);
    expect(await call('GET', '/')).toEqual({ status: 200, body: '{"maintenanceState":"inactive"}', reusable: true });
  });

  it('opens at most maxConnections at once and serves the rest in turn', async () => {
    let inFlight = 0;
    let most = 0;
    const server = await jsonServer((_req, res) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('{}');
      }, 30);
    });
    const { call } = poolFor(server.port, { maxConnections: 2 });
    const answers = await Promise.all(Array.from({ length: 5 }, () => call('GET', '/')));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(most).toBe(2);
    expect(server.accepted()).toBe(2);
  });

  it('opens a new connection after an answer with Connection: close', async () => {
    const server = await jsonServer((_req, res) => {
      res.setHeader('connection', 'close');
      res.end('{}');
    });
    const { call } = poolFor(server.port);
    expect(await call('GET', '/')).toMatchObject({ status: 200, reusable: false });
    expect(await call('GET', '/')).toMatchObject({ status: 200 });
    expect(server.accepted()).toBe(2);
  });

  it('sends a call again once when a kept connection turns out closed by the peer, and not when a new one fails', async () => {
    // Answers the first request of each connection, then drops the connection at the next one unanswered:
    // what a scenario does when its keep-alive timeout fires just as the orchestrator reuses the connection.
    const server = await listen(
      net.createServer((socket) => {
        let requests = 0;
        socket.on('data', () => {
          if (++requests === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}');
          else socket.destroy();
        });
      }),
    );
    closers.push(server.close);
    const { call } = poolFor(server.port);
    expect(await call('GET', '/')).toMatchObject({ status: 200 });
    expect(await call('GET', '/')).toMatchObject({ status: 200 });
    expect(server.accepted()).toBe(2);

    const silent = await listen(net.createServer((socket) => socket.on('data', () => socket.destroy())));
    closers.push(silent.close);
    await expect(poolFor(silent.port).call('GET', '/')).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(silent.accepted()).toBe(1);
  });

  it('fails a call the scenario leaves unanswered, by its timeout', async () => {
    const server = await listen(net.createServer(() => undefined));
    closers.push(server.close);
    await expect(poolFor(server.port).call('GET', '/', null, 100)).rejects.toMatchObject({ code: 'ETIMEDOUT', message: 'no complete answer within 100 ms' });
  });

  it('bounds the whole call, not the silence: a server that trickles its answer is cut off at the deadline', async () => {
    // A byte every 40 ms keeps the connection busy for 8 s; the call allows 300 ms in all.
    const answer = `HTTP/1.1 200 OK\r\nX-Pad: ${'p'.repeat(150)}\r\nContent-Length: 2\r\n\r\n{}`;
    let sent = 0;
    let cutAfter = -1;
    const server = await listen(
      net.createServer((socket) => {
        const timer = setInterval(() => (sent < answer.length ? socket.write(answer[sent++]) : clearInterval(timer)), 40);
        socket.on('close', () => {
          clearInterval(timer);
          cutAfter = sent;
        });
        socket.on('error', () => undefined);
      }),
    );
    closers.push(server.close);
    await expect(poolFor(server.port).call('GET', '/', null, 300)).rejects.toMatchObject({ code: 'ETIMEDOUT', message: 'no complete answer within 300 ms' });
    for (let waited = 0; cutAfter === -1 && waited < 2000; waited += 20) await sleep(20);
    // The connection was dropped with most of the answer still unsent.
    expect(cutAfter).toBeGreaterThan(0);
    expect(cutAfter).toBeLessThan(answer.length / 2);
  });

  it('reports a refused connection', async () => {
    const server = await listen(net.createServer());
    await server.close();
    await expect(poolFor(server.port).call('GET', '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('walks away from a call in flight or in line; the others still finish', async () => {
    const server = await jsonServer((_req, res) => setTimeout(() => res.end('{}'), 60));
    const { call } = poolFor(server.port, { maxConnections: 1 });
    const aborts: (() => void)[] = [];
    const first = call('GET', '/', null, 2000, (abort) => aborts.push(abort));
    const queued = call('GET', '/', null, 2000, (abort) => aborts.push(abort));
    const last = call('GET', '/');
    aborts[1]();
    aborts[0]();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
    expect(await last).toMatchObject({ status: 200 });
  });

  it('fails a call on an answer that is not HTTP', async () => {
    const server = await listen(net.createServer((socket) => socket.on('data', () => socket.write('SSH-2.0-OpenSSH_9.2\r\n\r\n'))));
    closers.push(server.close);
    await expect(poolFor(server.port).call('GET', '/')).rejects.toThrow(/invalid HTTP response: status line/);
  });

  it('closes an idle connection after idleTimeoutMs', async () => {
    const server = await jsonServer((_req, res) => res.end('{}'));
    const { call } = poolFor(server.port, { idleTimeoutMs: 50 });
    await call('GET', '/');
    expect(server.open()).toBe(1);
    for (let waited = 0; server.open() > 0 && waited < 2000; waited += 20) await sleep(20);
    expect(server.open()).toBe(0);
    expect(await call('GET', '/')).toMatchObject({ status: 200 });
    expect(server.accepted()).toBe(2);
  });
});

describe('http1Origin and http1Request', () => {
  it('takes the host, port and credentials of an endpoint', () => {
    expect(http1Origin(new URL('http://[::1]:8080/base'))).toEqual({ host: '::1', port: 8080, hostHeader: '[::1]:8080', authorization: null });
    expect(http1Origin(new URL('http://localhost'))).toMatchObject({ host: 'localhost', port: 80, hostHeader: 'localhost' });
  });

  it('refuses what it cannot send', () => {
    expect(() => http1Origin(new URL('https://127.0.0.1:9/'))).toThrow('https:// endpoints are not supported');
    const origin = http1Origin(new URL('http://127.0.0.1:9'));
    expect(() => http1Request(origin, 'GET', '/a b', null)).toThrow('must be percent-encoded');
    expect(http1Request(origin, 'GET', '/x', null)).toBe('GET /x HTTP/1.1\r\nHost: 127.0.0.1:9\r\nAccept: application/json\r\n\r\n');
  });
});
