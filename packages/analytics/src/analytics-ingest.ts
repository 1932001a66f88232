import type { AnalyticsStore, EngineEvent, RawRecord } from '@weft/engine';
import type { RealtimeMetrics } from './realtime-metrics.js';

/** Options of {@link AnalyticsIngest}. */
export interface AnalyticsIngestOptions {
  store: AnalyticsStore;
  realtime?: RealtimeMetrics;
  /** Longest a record waits in the buffer (default 1000 ms). */
  flushIntervalMs?: number;
  /** Records per write (default 500): a full batch is written at once. */
  batchSize?: number;
  /** Most records held while the store fails (default 50,000); beyond it the oldest are dropped and counted. */
  maxBuffered?: number;
}

const SKIPPED_MODES = new Set(['test', 'debug']);

/**
 * Turns engine events into raw analytics records off the request path: `observe` only appends to
 * a buffer, written to the store in batches every `flushIntervalMs` or `batchSize` records. Each
 * finished execution (`workflow:completed`/`failed`/`cancelled`) and node run (`node:executed`)
 * becomes one record; executions run in `test` or `debug` mode are left out. When the store
 * fails, records stay buffered for the next flush (up to `maxBuffered`).
 *
 * @example
 * ```ts
 * const ingest = new AnalyticsIngest({ store, realtime });
 * engine.events$.subscribe((e) => ingest.observe(e));
 * await ingest.close();
 * ```
 */
export class AnalyticsIngest {
  readonly #store: AnalyticsStore;
  readonly #realtime: RealtimeMetrics | undefined;
  readonly #batchSize: number;
  readonly #maxBuffered: number;
  readonly #skipped = new Set<string>();
  #buffer: RawRecord[] = [];
  #flushing: Promise<void> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Records dropped because the store kept failing and the buffer was full. */
  dropped = 0;
  /** The last error the store raised, if a flush failed. */
  lastError: unknown;

  constructor(options: AnalyticsIngestOptions) {
    this.#store = options.store;
    this.#realtime = options.realtime;
    this.#batchSize = options.batchSize ?? 500;
    this.#maxBuffered = options.maxBuffered ?? 50_000;
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1000);
    // In Node the timer must not keep a finished process alive; browsers have no unref.
    (this.#timer as unknown as { unref?: () => void }).unref?.();
  }

  /** Records `e` if it ends an execution or a node run; never waits for I/O. */
  observe(e: EngineEvent): void {
    let record: RawRecord | undefined;
    switch (e.type) {
      case 'workflow:started':
        if (SKIPPED_MODES.has(e.mode)) this.#skipped.add(e.executionId);
        return;
      case 'node:executed':
        if (this.#skipped.has(e.executionId)) return;
        record = {
          ...base(e),
          nodeId: e.nodeId,
          status: e.status,
          durationMs: e.durationMs,
          retries: Math.max(0, e.attempts - 1),
        };
        break;
      case 'workflow:completed':
      case 'workflow:failed':
      case 'workflow:cancelled': {
        if (this.#skipped.delete(e.executionId)) return;
        const status = e.type === 'workflow:completed' ? 'succeeded' : e.type.slice('workflow:'.length);
        record = { ...base(e), nodeId: '', status, durationMs: e.durationMs, retries: 0 };
        break;
      }
      case 'workflow:waiting':
        this.#skipped.delete(e.executionId);
        return;
      default:
        return;
    }
    this.#buffer.push(record);
    if (this.#realtime) void this.#realtime.record(record).catch((err) => (this.lastError = err));
    if (this.#buffer.length > this.#maxBuffered) {
      const over = this.#buffer.length - this.#maxBuffered;
      this.#buffer.splice(0, over);
      this.dropped += over;
    }
    if (this.#buffer.length >= this.#batchSize) void this.flush();
  }

  /** Writes everything buffered (one batch per `batchSize`); resolves when written or failed. */
  flush(): Promise<void> {
    this.#flushing ??= this.#drain().finally(() => (this.#flushing = undefined));
    return this.#flushing;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
    await this.flush();
  }

  async #drain(): Promise<void> {
    while (this.#buffer.length) {
      const batch = this.#buffer.slice(0, this.#batchSize);
      try {
        await this.#store.appendRaw(batch);
      } catch (err) {
        this.lastError = err;
        return;
      }
      this.#buffer.splice(0, batch.length);
    }
  }
}

function base(e: EngineEvent): Pick<RawRecord, 'workspaceId' | 'workflowId' | 'at'> {
  return { workspaceId: e.workspaceId, workflowId: e.workflowId, at: e.at };
}
