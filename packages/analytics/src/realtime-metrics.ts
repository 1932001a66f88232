import type { RawRecord, RealtimeCounterStore } from '@weft/engine';
import { QuantileSketch } from './quantile-sketch.js';

const MINUTE = 60_000;

/** Where the per-minute counters live: the engine's port, re-exported for embedders. */
export type { RealtimeCounterStore };

/**
 * {@link RealtimeCounterStore} in this process: right for one process, which sees every execution.
 *
 * @example
 * ```ts
 * const realtime = new RealtimeMetrics(new MemoryRealtimeCounters());
 * ```
 */
export class MemoryRealtimeCounters implements RealtimeCounterStore {
  readonly #minutes = new Map<string, Map<number, Record<string, number>>>();

  async increment(workspaceId: string, minute: number, fields: Readonly<Record<string, number>>): Promise<void> {
    const ws = this.#minutes.get(workspaceId) ?? new Map<number, Record<string, number>>();
    this.#minutes.set(workspaceId, ws);
    const m = ws.get(minute) ?? {};
    if (!ws.has(minute)) {
      ws.set(minute, m);
      for (const old of ws.keys()) if (old < minute - 16) ws.delete(old);
    }
    for (const [k, v] of Object.entries(fields)) m[k] = (m[k] ?? 0) + v;
  }

  async read(workspaceId: string, minutes: readonly number[]): Promise<Record<string, number>[]> {
    const ws = this.#minutes.get(workspaceId);
    return minutes.map((m) => ({ ...(ws?.get(m) ?? {}) }));
  }
}

/** Executions of one workspace over the last `minutes`. */
export interface RealtimeWindow {
  minutes: number;
  runs: number;
  failed: number;
  /** Finished executions per minute. */
  ratePerMinute: number;
  /** failed / runs, or null without runs. */
  errorRate: number | null;
  p95Ms: number | null;
}

/**
 * Realtime rates, error rates and p95 of the last 1, 5 and 15 minutes, from per-minute counters:
 * `n` runs, `f` failures, `z` zero durations and `b<i>` the quantile sketch's bin counts, so the
 * minutes of any window merge into one sketch. `add` only counts in process; `flush` (the
 * ingest's timer, and every `windows` call) adds those counts to the counter store in one
 * increment per workspace and minute.
 *
 * @example
 * ```ts
 * const realtime = new RealtimeMetrics(new MemoryRealtimeCounters());
 * realtime.add(record);
 * const [m1, m5, m15] = await realtime.windows('ws-1', Date.now());
 * ```
 */
export class RealtimeMetrics {
  readonly #bins = new QuantileSketch();
  /** Counts since the last flush by workspace and minute: runs, failures and sketch bins ('z' = zero). */
  #pending = new Map<string, Map<number, { n: number; f: number; bins: Map<number | 'z', number> }>>();

  constructor(readonly counters: RealtimeCounterStore) {}

  /** Counts a finished execution (node runs are ignored) until the next flush. */
  add(r: RawRecord): void {
    if (r.nodeId === '') this.count(r.workspaceId, r.status, r.at, r.durationMs);
  }

  /** Counts a finished execution of `workspaceId` with `status` at `at` until the next flush. */
  count(workspaceId: string, status: string, at: number, durationMs: number): void {
    const minute = Math.floor(at / MINUTE);
    let minutes = this.#pending.get(workspaceId);
    if (!minutes) {
      minutes = new Map();
      this.#pending.set(workspaceId, minutes);
    }
    let p = minutes.get(minute);
    if (!p) {
      p = { n: 0, f: 0, bins: new Map() };
      minutes.set(minute, p);
    }
    const bin = this.#bins.binOf(Math.max(durationMs, 0)) ?? 'z';
    p.n++;
    if (status === 'failed') p.f++;
    p.bins.set(bin, (p.bins.get(bin) ?? 0) + 1);
  }

  /** Adds the counts gathered since the last flush to the counter store, one increment per workspace and minute. */
  async flush(): Promise<void> {
    if (!this.#pending.size) return;
    const pending = this.#pending;
    this.#pending = new Map();
    const writes: Promise<void>[] = [];
    for (const [workspaceId, minutes] of pending) {
      for (const [minute, p] of minutes) {
        const fields: Record<string, number> = { n: p.n, f: p.f };
        for (const [bin, c] of p.bins) fields[bin === 'z' ? 'z' : `b${bin}`] = c;
        writes.push(this.counters.increment(workspaceId, minute, fields));
      }
    }
    await Promise.all(writes);
  }

  /** The windows of `spans` minutes (default 1, 5 and 15) ending at `now`'s minute, inclusive. */
  async windows(workspaceId: string, now: number, spans: readonly number[] = [1, 5, 15]): Promise<RealtimeWindow[]> {
    await this.flush();
    const current = Math.floor(now / MINUTE);
    const widest = Math.max(...spans);
    const minutes = Array.from({ length: widest }, (_, i) => current - i);
    const data = await this.counters.read(workspaceId, minutes);
    return spans.map((span) => {
      const sketch = new QuantileSketch();
      let runs = 0;
      let failed = 0;
      for (const m of data.slice(0, span)) {
        runs += m.n ?? 0;
        failed += m.f ?? 0;
        sketch.addBins(
          Object.entries(m)
            .filter(([k]) => k === 'z' || k.startsWith('b'))
            .map(([k, v]): [number | 'zero', number] => [k === 'z' ? 'zero' : Number(k.slice(1)), v]),
        );
      }
      return {
        minutes: span,
        runs,
        failed,
        ratePerMinute: runs / span,
        errorRate: runs ? failed / runs : null,
        p95Ms: sketch.quantile(0.95) ?? null,
      };
    });
  }
}
