/**
 * Fetches a calendar feed over http(s) from an allowed host (SPEC 8): redirects are followed by hand and
 * only onto allowed hosts, and the body is read as a stream that stops at the size cap, so a feed server
 * (or whatever it redirects to) can neither point the orchestrator at another host nor make it hold a
 * huge body in memory.
 */
import { isHostAllowed } from '../discovery/endpoint';

/** Limits of one fetch; all optional. */
export interface CalendarFetchOptions {
  /** Bytes of feed read at most (default 5 MB); past it the read stops and the fetch fails. */
  readonly maxBytes?: number;
  /** The whole fetch, redirects and body included (default 10 s). */
  readonly timeoutMs?: number;
  /** Redirects followed at most (default 5). */
  readonly maxRedirects?: number;
}

const DEFAULTS = { maxBytes: 5_000_000, timeoutMs: 10_000, maxRedirects: 5 };
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The feed text at `url`, or an Error saying what was refused or went wrong. */
export async function fetchCalendarFeed(url: string, allowedHosts: readonly string[], options: CalendarFetchOptions = {}): Promise<string> {
  const { maxBytes, timeoutMs, maxRedirects } = { ...DEFAULTS, ...options };
  const signal = AbortSignal.timeout(timeoutMs);
  let target = url;
  for (let redirects = 0; ; redirects++) {
    if (!/^https?:$/.test(new URL(target).protocol) || !isHostAllowed(target, allowedHosts)) {
      throw new Error(redirects === 0 ? `host of ${target} is not in ALLOWED_SCENARIO_HOSTS` : `redirect to ${target} refused: its host is not in ALLOWED_SCENARIO_HOSTS`);
    }
    const response = await fetch(target, { signal, redirect: 'manual', headers: { accept: 'text/calendar' } });
    if (!REDIRECT_STATUSES.has(response.status)) {
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`HTTP ${response.status}`);
      }
      return readCapped(response, maxBytes);
    }
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location) throw new Error(`HTTP ${response.status} without a Location`);
    if (redirects >= maxRedirects) throw new Error(`more than ${maxRedirects} redirects`);
    target = new URL(location, target).toString();
  }
}

/** The body as text, read chunk by chunk; the read is cancelled as soon as it passes `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = (): Error => new Error(`feed larger than ${maxBytes} bytes`);
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read += value.byteLength;
    if (read > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}
