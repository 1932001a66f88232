/**
 * One finished execution (`nodeId` '') or node run, as ingested: the raw tier, kept 7 days by
 * default and rolled up into buckets.
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
 * Where `@weft/analytics` keeps raw records and rollups. Implementations: {@link MemoryAnalyticsStore}
 * in this package, `SqlAnalyticsStore` in `@weft/sql` (SQLite and Postgres).
 *
 * @example
 * ```ts
 * await store.appendRaw([{ workspaceId: 'ws', workflowId: 'wf', nodeId: '', status: 'succeeded', at: Date.now(), durationMs: 42, retries: 0 }]);
 * const rows = await store.readRollups({ bucketMs: 300_000, from, to, workspaceId: 'ws', workflowId: 'wf', nodeId: '' });
 * ```
 */
export interface AnalyticsStore {
  /** Appends raw records (one batch, one write). */
  appendRaw(records: readonly RawRecord[]): Promise<void>;
  /** Raw records with `at` in [from, to). */
  readRaw(from: number, to: number): Promise<RawRecord[]>;
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
  /** Deletes raw records with `at` < `rawBefore` and, per tier, rollups with `bucketStart` before its cutoff. */
  prune(rawBefore: number, rollupsBefore: ReadonlyMap<number, number>): Promise<number>;
}
