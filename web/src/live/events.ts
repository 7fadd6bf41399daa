/**
 * The dashboard's one Server-Sent Events connection. EventSource retries by itself after a dropped
 * stream; it gives up only when the server answers with an error status, so that case reopens here
 * with a capped backoff. The connection state drives the "connection lost" banner.
 */
import type { ActivityEntry } from '../api/types';

/** `lost` shows the banner; the first `open` after a loss triggers a full refetch (events may have been missed). */
export type ConnectionState = 'connecting' | 'open' | 'lost';

/** What the stream reports. */
export interface LiveHandlers {
  onState(): void;
  onActivity(entry: ActivityEntry): void;
  onReconnected(): void;
  onConnection(state: ConnectionState): void;
}

const MAX_BACKOFF_MS = 15_000;

/** Opens the stream at `url`; call `close()` to end it. */
export function connectEvents(url: string, handlers: LiveHandlers): { close(): void } {
  let source: EventSource | null = null;
  let reopenTimer: number | undefined;
  let backoff = 1_000;
  let everOpened = false;
  let closed = false;

  const open = () => {
    source = new EventSource(url);
    source.onopen = () => {
      backoff = 1_000;
      handlers.onConnection('open');
      if (everOpened) handlers.onReconnected();
      everOpened = true;
    };
    source.onerror = () => {
      handlers.onConnection('lost');
      if (source?.readyState === EventSource.CLOSED && !closed) {
        source = null;
        reopenTimer = window.setTimeout(open, backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    };
    source.addEventListener('state', () => handlers.onState());
    source.addEventListener('activity', (event) => {
      try {
        handlers.onActivity(JSON.parse((event as MessageEvent<string>).data) as ActivityEntry);
      } catch {
        // A malformed entry must not break the stream; the next refetch brings the log back in line.
      }
    });
  };

  handlers.onConnection('connecting');
  open();
  return {
    close() {
      closed = true;
      window.clearTimeout(reopenTimer);
      source?.close();
    },
  };
}
