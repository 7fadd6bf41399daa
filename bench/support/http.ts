/** A tiny JSON client over node:http with one keep-alive agent, timing each call. */
import * as http from 'node:http';

/** One answer: status, raw text, parsed JSON (null when not JSON), bytes and wall time. */
export interface Reply {
  status: number;
  text: string;
  body: unknown;
  bytes: number;
  ms: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** GET (no body) or POST/PUT (with a JSON body); rejects on connection errors and after `timeoutMs`. */
export function request(url: string, options: { method?: string; body?: unknown; timeoutMs?: number } = {}): Promise<Reply> {
  const payload = options.body === undefined ? null : JSON.stringify(options.body);
  const method = options.method ?? (payload === null ? 'GET' : 'POST');
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method,
      agent,
      timeout: options.timeoutMs ?? 30_000,
      headers: payload === null ? { accept: 'application/json' } : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), accept: 'application/json' },
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${options.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const buffer = Buffer.concat(chunks);
        const text = buffer.toString('utf8');
        let body: unknown = null;
        try {
          body = JSON.parse(text);
        } catch {
          body = null;
        }
        resolve({ status: res.statusCode ?? 0, text, body, bytes: buffer.length, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      });
    });
    req.end(payload ?? undefined);
  });
}

/** Like `request`, but rejects unless the status is 2xx. */
export async function requestOk(url: string, options: { method?: string; body?: unknown; timeoutMs?: number } = {}): Promise<Reply> {
  const reply = await request(url, options);
  if (reply.status < 200 || reply.status >= 300) throw new Error(`${options.method ?? (options.body === undefined ? 'GET' : 'POST')} ${url}: HTTP ${reply.status} ${reply.text.slice(0, 300)}`);
  return reply;
}

/** Closes idle sockets so the bench process can exit. */
export function closeHttp(): void {
  agent.destroy();
}
