import { SseParser } from '@weft/client';
import { appState } from '../app/app-state.js';

/** One realtime window, as `/analytics/realtime` sends it. */
export interface RealtimeWindow {
  minutes: number;
  runs: number;
  failed: number;
  ratePerMinute: number;
  errorRate: number | null;
  p95Ms: number | null;
}

/** The realtime figures of a workspace. */
export interface RealtimeFigures {
  windows: RealtimeWindow[];
  inFlight: number;
  queued: number;
}

/**
 * Follows a workspace's realtime figures over the analytics SSE stream (fetch, so the session's
 * bearer token goes in a header), reconnecting 5 s after an error until the returned function is
 * called.
 *
 * @example
 * ```ts
 * const stop = followRealtime(ws, (f) => render(f), (s) => console.log(s));
 * stop();
 * ```
 */
export function followRealtime(
  workspaceId: string,
  onFigures: (f: RealtimeFigures) => void,
  onStatus: (status: 'live' | 'reconnecting') => void,
  intervalSeconds = 5,
): () => void {
  const ctrl = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connect = async () => {
    try {
      const res = await appState.client.transport.raw(
        'GET',
        `/workspaces/${encodeURIComponent(workspaceId)}/analytics/realtime/stream`,
        { query: { interval: intervalSeconds }, headers: { accept: 'text/event-stream' }, signal: ctrl.signal },
      );
      onStatus('live');
      const parser = new SseParser((m) => {
        if (m.event === 'realtime') onFigures(JSON.parse(m.data) as RealtimeFigures);
      });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
      }
    } catch {
      if (ctrl.signal.aborted) return;
    }
    if (ctrl.signal.aborted) return;
    onStatus('reconnecting');
    timer = setTimeout(() => void connect(), 5000);
  };
  void connect();
  return () => {
    ctrl.abort();
    clearTimeout(timer);
  };
}
