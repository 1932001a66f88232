import type { AnalyticsStore, EngineEvent, PartialRollupRow, RawRecord } from '@weft/engine';
import { QuantileSketch } from './quantile-sketch.js';
import type { RealtimeMetrics } from './realtime-metrics.js';

const FIVE_MINUTES = 300_000;

/** Options of {@link AnalyticsIngest}. */
export interface AnalyticsIngestOptions {
  store: AnalyticsStore;
  realtime?: RealtimeMetrics;
  /** How often the running totals of changed buckets are written (default 5000 ms). */
  flushIntervalMs?: number;
  /**
   * How long after a 5-minute bucket ends it still takes records (default 2 min, the rollups'
   * grace); then it is written one last time and leaves memory.
   */
  graceMs?: number;
  /**
   * Most buckets (workspace x workflow x node x status x 5 minutes) held at once (default
   * 20,000); records of a new key beyond it are dropped and counted in {@link AnalyticsIngest.dropped}.
   */
  maxOpenBuckets?: number;
  /** This process's id in the partial rows (default a random UUID). */
  writerId?: string;
  /** The clock that closes buckets (default `Date.now`). */
  now?: () => number;
}

const SKIPPED_MODES = new Set(['test', 'debug']);

interface OpenBucket {
  row: PartialRollupRow;
  sketch: QuantileSketch;
  dirty: boolean;
}

/**
 * Open buckets by workspace, workflow, node, status and bucket start: nested maps, so a lookup
 * hashes strings the events already carry instead of building a key string per run.
 */
type BucketTree = Map<string, Map<string, Map<string, Map<string, Map<number, OpenBucket>>>>>;

function child<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

/**
 * Turns engine events into pre-aggregated analytics off the request path: `observe` folds each
 * finished execution (`workflow:completed`/`failed`/`cancelled`) and node run (`node:executed`)
 * into the running totals of its (workspace, workflow, node, status, 5-minute bucket) in memory
 * (count, sum, min/max, retries, duration sketch) - a map lookup and a few additions. Every
 * `flushIntervalMs` the changed buckets are written as this process's partial rows
 * ({@link AnalyticsStore.upsertPartials}, one row per key and process, rewritten as the bucket
 * fills); a bucket leaves memory `graceMs` after it ends. Executions run in `test` or `debug`
 * mode are left out. When the store fails, buckets stay in memory for the next flush; memory is
 * bounded by `maxOpenBuckets`, and what does not fit is counted in `dropped` (records for a
 * bucket already closed in `late`).
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
  readonly #maxOpen: number;
  readonly #grace: number;
  readonly #writerId: string;
  readonly #now: () => number;
  readonly #skipped = new Set<string>();
  readonly #tree: BucketTree = new Map();
  readonly #open = new Set<OpenBucket>();
  #lastWorkspace: string | undefined;
  #lastWorkflow: string | undefined;
  #lastNodes: Map<string, Map<string, Map<number, OpenBucket>>> | undefined;
  /** Buckets starting before this are closed. */
  #horizon = Number.NEGATIVE_INFINITY;
  #flushing: Promise<void> | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;
  /** Records dropped because `maxOpenBuckets` buckets were open (the store failing for long). */
  dropped = 0;
  /** Records dropped because their bucket had closed (they came more than `graceMs` late). */
  late = 0;
  /** The last error the store raised, if a flush failed. */
  lastError: unknown;

  constructor(options: AnalyticsIngestOptions) {
    this.#store = options.store;
    this.#realtime = options.realtime;
    this.#maxOpen = options.maxOpenBuckets ?? 20_000;
    this.#grace = options.graceMs ?? 120_000;
    this.#writerId = options.writerId ?? globalThis.crypto.randomUUID();
    this.#now = options.now ?? Date.now;
    this.#timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 5000);
    // In Node the timer must not keep a finished process alive; browsers have no unref.
    (this.#timer as unknown as { unref?: () => void }).unref?.();
  }

  /** Buckets held in memory now. */
  get openBuckets(): number {
    return this.#open.size;
  }

  /** Folds `e` in if it ends an execution or a node run; never waits for I/O. */
  observe(e: EngineEvent): void {
    switch (e.type) {
      case 'workflow:started':
        if (SKIPPED_MODES.has(e.mode)) this.#skipped.add(e.executionId);
        return;
      case 'node:executed':
        if (this.#skipped.size && this.#skipped.has(e.executionId)) return;
        this.#fold(
          e.workspaceId,
          e.workflowId,
          e.nodeId,
          e.status,
          e.at,
          e.durationMs,
          e.attempts > 1 ? e.attempts - 1 : 0,
        );
        return;
      case 'workflow:completed':
        if (this.#skipped.size && this.#skipped.delete(e.executionId)) return;
        this.#fold(e.workspaceId, e.workflowId, '', 'succeeded', e.at, e.durationMs, 0);
        this.#realtime?.count(e.workspaceId, 'succeeded', e.at, e.durationMs);
        return;
      case 'workflow:failed':
      case 'workflow:cancelled': {
        if (this.#skipped.size && this.#skipped.delete(e.executionId)) return;
        const status = e.type === 'workflow:failed' ? 'failed' : 'cancelled';
        this.#fold(e.workspaceId, e.workflowId, '', status, e.at, e.durationMs, 0);
        this.#realtime?.count(e.workspaceId, status, e.at, e.durationMs);
        return;
      }
      case 'workflow:waiting':
        this.#skipped.delete(e.executionId);
        return;
      default:
        return;
    }
  }

  /** Folds one finished execution or node run into its bucket (what `observe` does per event). */
  add(r: RawRecord): void {
    this.#fold(r.workspaceId, r.workflowId, r.nodeId, r.status, r.at, r.durationMs, r.retries);
    if (r.nodeId === '') this.#realtime?.count(r.workspaceId, r.status, r.at, r.durationMs);
  }

  #fold(
    workspaceId: string,
    workflowId: string,
    nodeId: string,
    status: string,
    at: number,
    durationMs: number,
    retries: number,
  ): void {
    const bucketStart = at - (at % FIVE_MINUTES);
    if (bucketStart < this.#horizon) {
      this.late++;
      return;
    }
    // The events of one execution come together: remember the last workflow's node map.
    let nodes: Map<string, Map<string, Map<number, OpenBucket>>> | undefined = this.#lastNodes;
    if (!nodes || workspaceId !== this.#lastWorkspace || workflowId !== this.#lastWorkflow) {
      nodes = child(
        child(this.#tree, workspaceId, () => new Map()),
        workflowId,
        () => new Map<string, Map<string, Map<number, OpenBucket>>>(),
      );
      this.#lastWorkspace = workspaceId;
      this.#lastWorkflow = workflowId;
      this.#lastNodes = nodes;
    }
    const buckets = child(
      child(nodes!, nodeId, () => new Map()),
      status,
      () => new Map<number, OpenBucket>(),
    );
    let b = buckets.get(bucketStart);
    const d = Math.max(durationMs, 0);
    if (!b) {
      if (this.#open.size >= this.#maxOpen) {
        this.dropped++;
        return;
      }
      b = {
        row: {
          writerId: this.#writerId,
          workspaceId,
          workflowId,
          nodeId,
          status,
          bucketMs: FIVE_MINUTES,
          bucketStart,
          count: 0,
          sumMs: 0,
          minMs: d,
          maxMs: d,
          retries: 0,
          sketch: '',
        },
        sketch: new QuantileSketch(),
        dirty: true,
      };
      buckets.set(bucketStart, b);
      this.#open.add(b);
    }
    const row = b.row;
    row.count++;
    row.sumMs += d;
    if (d < row.minMs) row.minMs = d;
    if (d > row.maxMs) row.maxMs = d;
    row.retries += retries;
    b.sketch.add(d);
    b.dirty = true;
  }

  /** Writes the changed buckets and closes those past their grace; resolves when written or failed. */
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

  #evict(b: OpenBucket): void {
    this.#open.delete(b);
    const { workspaceId, workflowId, nodeId, status, bucketStart } = b.row;
    const workflows = this.#tree.get(workspaceId)!;
    const nodes = workflows.get(workflowId)!;
    const statuses = nodes.get(nodeId)!;
    const buckets = statuses.get(status)!;
    buckets.delete(bucketStart);
    if (buckets.size) return;
    statuses.delete(status);
    if (statuses.size) return;
    nodes.delete(nodeId);
    if (nodes.size) return;
    workflows.delete(workflowId);
    if (nodes === this.#lastNodes) this.#lastNodes = undefined;
    if (!workflows.size) this.#tree.delete(workspaceId);
  }

  async #drain(): Promise<void> {
    // A bucket [s, s + 5 min) closes once s + 5 min + grace <= now, as the rollups see it.
    const horizon = Math.floor((this.#now() - this.#grace) / FIVE_MINUTES) * FIVE_MINUTES;
    if (horizon > this.#horizon) this.#horizon = horizon;
    const batch: OpenBucket[] = [];
    for (const b of this.#open) {
      if (!b.dirty) continue;
      b.dirty = false;
      batch.push(b);
    }
    const realtime = this.#realtime?.flush().catch((err) => {
      this.lastError = err;
    });
    try {
      for (let i = 0; i < batch.length; i += 1000) {
        await this.#store.upsertPartials(
          batch.slice(i, i + 1000).map((b) => ({ ...b.row, sketch: b.sketch.encode() })),
        );
      }
    } catch (err) {
      this.lastError = err;
      for (const b of batch) b.dirty = true;
    }
    for (const b of this.#open) if (!b.dirty && b.row.bucketStart < this.#horizon) this.#evict(b);
    await realtime;
  }
}
