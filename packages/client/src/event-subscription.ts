import type { EngineEvent, StreamEvent } from './api-types.js';
import type { HttpTransport } from './http-transport.js';
import { SseParser } from './sse-parser.js';
import { WeftApiError } from './weft-api-error.js';

/** Options of {@link subscribeEvents}. */
export interface SubscribeOptions {
  /** Only this execution's events. */
  executionId?: string;
  /** Resume after this event id (sent as `Last-Event-ID`). */
  lastEventId?: string;
  onEvent: (event: EngineEvent, id: string) => void;
  /**
   * Events after the id this subscription resumed from are no longer kept by the host (or it did
   * not know the id): some were missed. Every event the host still has follows; reload what you
   * show from the REST API.
   */
  onGap?: (gap: StreamGap) => void;
  /** Connection state changes: `open` after every (re)connect, `error` before a retry. */
  onStatus?: (status: 'open' | 'error' | 'closed', error?: unknown) => void;
  /** Delay before reconnecting when the server gave none (default 2000 ms). */
  retryMs?: number;
}

/** What the host says when it cannot resume exactly (the SSE `stream:gap` event). */
export interface StreamGap {
  /** The id the subscription resumed after. */
  lastEventId: string;
}

/** A live subscription. */
export interface EventSubscription {
  /** Id of the last event received: resume from here later. */
  readonly lastEventId: string | undefined;
  close(): void;
}

/**
 * Streams a workspace's execution events (SSE over `fetch`, so the bearer token travels in a
 * header and it works in Node too). Reconnects after network errors with `Last-Event-ID`, so no
 * event is lost within the host's replay buffer (on any host process: ids are shared through
 * Redis); beyond it, `onGap` is called first. A 401/403 stops it (`onStatus('closed', error)`).
 *
 * @example
 * ```ts
 * const sub = subscribeEvents(transport, ws, { onEvent: (e) => canvas.applyEvent(e) });
 * // later
 * sub.close();
 * ```
 */
export function subscribeEvents(t: HttpTransport, ws: string, options: SubscribeOptions): EventSubscription {
  const abort = new AbortController();
  let lastEventId = options.lastEventId;
  let retryMs = options.retryMs ?? 2000;
  let closed = false;

  const connectOnce = async (): Promise<void> => {
    const res = await t.raw('GET', `/workspaces/${encodeURIComponent(ws)}/events`, {
      query: { executionId: options.executionId },
      headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
      signal: abort.signal,
    });
    if (!res.body) throw new Error('The event stream has no body');
    options.onStatus?.('open');
    const parser = new SseParser((m) => {
      if (m.id) lastEventId = m.id;
      try {
        if (m.event === 'stream:gap') options.onGap?.(JSON.parse(m.data) as StreamGap);
        else options.onEvent(JSON.parse(m.data) as EngineEvent, m.id ?? '');
      } catch {
        // A malformed frame is skipped; the stream stays up.
      }
    });
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.push(value);
      if (parser.retry !== undefined) retryMs = parser.retry;
    }
  };

  void (async () => {
    while (!closed) {
      try {
        await connectOnce();
      } catch (e) {
        if (closed) break;
        if (e instanceof WeftApiError && (e.status === 401 || e.status === 403 || e.status === 404)) {
          closed = true;
          options.onStatus?.('closed', e);
          return;
        }
        options.onStatus?.('error', e);
      }
      if (!closed) await new Promise((r) => setTimeout(r, retryMs));
    }
    options.onStatus?.('closed');
  })();

  return {
    get lastEventId() {
      return lastEventId;
    },
    close() {
      closed = true;
      abort.abort();
    },
  };
}

export type { StreamEvent };
