/**
 * Outbound HTTP for health checks and notifiers: the allowed-hosts rule (SPEC 8: loopback unless
 * ALLOWED_NOTIFY_HOSTS names more), a timeout over the whole call, and short error texts that never echo
 * more than 200 characters of a remote body.
 */
import { isHostAllowed } from '../discovery/endpoint';

/** Loopback, which is always allowed. */
export const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'] as const;
const SUMMARY_CHARS = 200;

/** Why an outbound call did not give a usable answer. */
export class OutboundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundError';
  }
}

/** The reply of a call that reached the server. */
export interface OutboundReply {
  status: number;
  body: string;
}

/** One outbound request. */
export interface OutboundRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** Throws OutboundError unless `url`'s host is loopback or listed in `allowedHosts`. */
export function assertHostAllowed(url: string, allowedHosts: readonly string[]): void {
  if (isHostAllowed(url, [...LOOPBACK_HOSTS, ...allowedHosts])) return;
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    throw new OutboundError(`${url} is not a URL`);
  }
  throw new OutboundError(`host ${host} is not allowed: only loopback and ALLOWED_NOTIFY_HOSTS (${allowedHosts.join(', ') || 'none set'})`);
}

/** At most 200 characters of a body, on one line, for messages. */
export function bodySummary(body: string): string {
  const flat = body.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > SUMMARY_CHARS ? `${flat.slice(0, SUMMARY_CHARS)}...` : flat;
}

/** Sends a request on an allowed host; throws OutboundError on a timeout or a connection failure, whatever the status. */
export async function send(request: OutboundRequest, allowedHosts: readonly string[]): Promise<OutboundReply> {
  assertHostAllowed(request.url, allowedHosts);
  const signal = AbortSignal.timeout(request.timeoutMs);
  try {
    // redirect: 'manual' so a reply cannot send us to a host off the allowed list.
    const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal, redirect: 'manual' });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    if (signal.aborted) throw new OutboundError(`timed out after ${request.timeoutMs} ms calling ${request.url}`);
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new OutboundError(`cannot reach ${request.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
}

/** Throws OutboundError naming the status and a body summary unless the reply is 2xx. */
export function expectSuccess(reply: OutboundReply, url: string): void {
  if (reply.status >= 200 && reply.status < 300) return;
  const summary = bodySummary(reply.body);
  throw new OutboundError(`HTTP ${reply.status} from ${url}${summary ? `: ${summary}` : ''}`);
}
