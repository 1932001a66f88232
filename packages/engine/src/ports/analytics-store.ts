/**
 * One finished execution (`nodeId` '') or node run, as `@weft/analytics` sees it: folded into
 * the running totals of its 5-minute bucket in process ({@link PartialRollupRow}), never stored
 * one by one.
 */
export interface RawRecord {
  workspaceId: string;
  workflowId: string;
  /** The node's id, or '' for the execution as a whole. */
  nodeId: string;
  /** `succeeded`, `failed`, `cancelled` (executions) or a node run status. */
  status: string;
  /** When it finished (epoch ms). */
  at: number;
  durationMs: number;
  /** Attempts beyond the first (node runs); 0 for executions. */
  retries: number;
}

/**
 * One bucket of one tier for one (workspace, workflow, node, status): `workflowId` '' holds the
 * whole workspace's executions, `nodeId` '' the executions themselves. `sketch` is a
 * `QuantileSketch` in its encoded text form.
 */
export interface RollupRow {
  workspaceId: string;
  workflowId: string;
  nodeId: string;
  status: string;
  bucketMs: number;
  bucketStart: number;
  count: number;
  sumMs: number;
  minMs: number;
  maxMs: number;
  retries: number;
  sketch: string;
}

/**
 * One ingest process's running totals of one 5-minute bucket (`bucketMs` 300,000) for one
 * (workspace, workflow, node, status): the first tier, kept 7 days by default. Each process
 * (`writerId`, random per process) rewrites its own row as the bucket fills, so there is one row
 * per process and key whatever the flush cadence; the 5-minute rollup merges the processes' rows.
 */
export interface PartialRollupRow extends RollupRow {
  writerId: string;
}

/** Which rollup rows to read: one tier, `bucketStart` in [from, to), optionally narrowed. */
export interface RollupQuery {
  bucketMs: number;
  from: number;
  to: number;
  workspaceId?: string;
  /** Exact workflow id ('' = the workspace-wide rows); any when undefined. */
  workflowId?: string;
  /** Exact node id ('' = execution rows); any when undefined. */
  nodeId?: string;
}

/**
 * Where `@weft/analytics` keeps partial buckets and rollups. Implementations: {@link MemoryAnalyticsStore}
 * in this package, `SqlAnalyticsStore` in `@weft/sql` (SQLite and Postgres).
 *
 * @example
 * ```ts
 * await store.upsertPartials([{ writerId: 'w1', workspaceId: 'ws', workflowId: 'wf', nodeId: '', status: 'succeeded', bucketMs: 300_000, bucketStart, count: 1, sumMs: 42, minMs: 42, maxMs: 42, retries: 0, sketch }]);
 * const rows = await store.readRollups({ bucketMs: 300_000, from, to, workspaceId: 'ws', workflowId: 'wf', nodeId: '' });
 * ```
 */
export interface AnalyticsStore {
  /**
   * Writes partial buckets in one transaction, each replacing the row of the same writer and key
   * (workspace, workflow, node, status, `bucketStart`).
   */
  upsertPartials(rows: readonly PartialRollupRow[]): Promise<void>;
  /** Partial buckets with `bucketStart` in [from, to). */
  readPartials(from: number, to: number): Promise<PartialRollupRow[]>;
  /** Rollup rows matching `query`. */
  readRollups(query: RollupQuery): Promise<RollupRow[]>;
  /** Up to when (exclusive, epoch ms) tier `tier` is complete, or undefined before its first run. */
  watermark(tier: string): Promise<number | undefined>;
  /**
   * In one transaction: removes tier `bucketMs`'s rows with `bucketStart` in [from, to), writes
   * `rows` (replacing any equal key another process wrote meanwhile) and sets `tier`'s watermark
   * to `to`. A crash leaves either all of it or none; running it again with the same rows gives
   * the same table.
   */
  replaceBuckets(tier: string, bucketMs: number, from: number, to: number, rows: readonly RollupRow[]): Promise<void>;
  /** Deletes partial buckets starting before `partialsBefore` and, per tier, rollups with `bucketStart` before its cutoff. */
  prune(partialsBefore: number, rollupsBefore: ReadonlyMap<number, number>): Promise<number>;
}

/**
 * Per-minute realtime counters keyed by workspace, for `@weft/analytics`' realtime view. Fields
 * are plain numbers that only grow, so a Redis hash (`HINCRBY`) or a map implements it; minutes
 * older than 16 are dropped. Implementations: `MemoryRealtimeCounters` in `@weft/analytics`,
 * `RedisRealtimeCounters` in `@weft/redis`.
 *
 * @example
 * ```ts
 * await counters.increment('ws-1', 29_500_000, { n: 1, f: 0, b140: 1 });
 * const [minute] = await counters.read('ws-1', [29_500_000]);
 * ```
 */
export interface RealtimeCounterStore {
  increment(workspaceId: string, minute: number, fields: Readonly<Record<string, number>>): Promise<void>;
  /** The fields of each minute asked for, `{}` for a minute without data. */
  read(workspaceId: string, minutes: readonly number[]): Promise<Record<string, number>[]>;
}
