import type { AnalyticsStore, PartialRollupRow, RollupQuery, RollupRow } from '@weft/engine';
import type { Kysely } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { WeftDatabase } from '../schema.js';
import { type BulkColumn, bulkUpsert } from './bulk-upsert.js';

const MEASURE_COLUMNS: BulkColumn[] = [
  { name: 'count', pg: 'int4' },
  { name: 'sum_ms', pg: 'float8' },
  { name: 'min_ms', pg: 'float8' },
  { name: 'max_ms', pg: 'float8' },
  { name: 'retries', pg: 'int4' },
  { name: 'sketch', pg: 'text' },
];
const MEASURES = MEASURE_COLUMNS.map((c) => c.name);
const PARTIAL_KEY = ['bucket_start', 'workspace_id', 'workflow_id', 'node_id', 'status', 'writer_id'];
const PARTIAL_COLUMNS: BulkColumn[] = [
  ...PARTIAL_KEY.map((name): BulkColumn => ({ name, pg: name === 'bucket_start' ? 'int8' : 'text' })),
  ...MEASURE_COLUMNS,
];
const ROLLUP_KEY = ['workspace_id', 'bucket_ms', 'workflow_id', 'node_id', 'bucket_start', 'status'];
const ROLLUP_COLUMNS: BulkColumn[] = [
  ...ROLLUP_KEY.map(
    (name): BulkColumn => ({ name, pg: name === 'bucket_start' ? 'int8' : name === 'bucket_ms' ? 'int4' : 'text' }),
  ),
  ...MEASURE_COLUMNS,
];

/**
 * The engine's {@link AnalyticsStore} on the analytics tables of migrations 8 and 11 (SQLite or
 * Postgres), as `@weft/analytics` uses it. Rows are written set-based ({@link bulkUpsert}:
 * `json_each` on SQLite, `unnest` on Postgres); `replaceBuckets` deletes a tier's bucket range,
 * upserts the new rows and moves the watermark in one transaction.
 *
 * @example
 * ```ts
 * const store = new SqlAnalyticsStore({ db, dialect: 'postgres' });
 * const rollups = new Rollups({ store });
 * ```
 */
export class SqlAnalyticsStore implements AnalyticsStore {
  readonly #db: Kysely<WeftDatabase>;
  readonly #dialect: 'sqlite' | 'postgres';

  constructor(h: HostDb) {
    this.#db = h.db;
    this.#dialect = h.dialect;
  }

  async upsertPartials(rows: readonly PartialRollupRow[]): Promise<void> {
    if (!rows.length) return;
    await this.#db.transaction().execute((trx) =>
      bulkUpsert(
        trx,
        this.#dialect,
        'analytics_partials',
        PARTIAL_COLUMNS,
        PARTIAL_KEY,
        MEASURES,
        rows.map((r) => [
          r.bucketStart,
          r.workspaceId,
          r.workflowId,
          r.nodeId,
          r.status,
          r.writerId,
          r.count,
          r.sumMs,
          r.minMs,
          r.maxMs,
          r.retries,
          r.sketch,
        ]),
      ),
    );
  }

  async readPartials(from: number, to: number): Promise<PartialRollupRow[]> {
    const rows = await this.#db
      .selectFrom('analytics_partials')
      .selectAll()
      .where('bucket_start', '>=', from)
      .where('bucket_start', '<', to)
      .execute();
    return rows.map((r) => ({
      writerId: r.writer_id,
      workspaceId: r.workspace_id,
      workflowId: r.workflow_id,
      nodeId: r.node_id,
      status: r.status,
      bucketMs: 300_000,
      bucketStart: Number(r.bucket_start),
      count: Number(r.count),
      sumMs: Number(r.sum_ms),
      minMs: Number(r.min_ms),
      maxMs: Number(r.max_ms),
      retries: Number(r.retries),
      sketch: r.sketch,
    }));
  }

  async readRollups(q: RollupQuery): Promise<RollupRow[]> {
    let query = this.#db
      .selectFrom('analytics_rollups')
      .selectAll()
      .where('bucket_ms', '=', q.bucketMs)
      .where('bucket_start', '>=', q.from)
      .where('bucket_start', '<', q.to);
    if (q.workspaceId !== undefined) query = query.where('workspace_id', '=', q.workspaceId);
    if (q.workflowId !== undefined) query = query.where('workflow_id', '=', q.workflowId);
    if (q.nodeId !== undefined) query = query.where('node_id', '=', q.nodeId);
    const rows = await query.orderBy('bucket_start').execute();
    return rows.map((r) => ({
      workspaceId: r.workspace_id,
      workflowId: r.workflow_id,
      nodeId: r.node_id,
      status: r.status,
      bucketMs: Number(r.bucket_ms),
      bucketStart: Number(r.bucket_start),
      count: Number(r.count),
      sumMs: Number(r.sum_ms),
      minMs: Number(r.min_ms),
      maxMs: Number(r.max_ms),
      retries: Number(r.retries),
      sketch: r.sketch,
    }));
  }

  async watermark(tier: string): Promise<number | undefined> {
    const row = await this.#db
      .selectFrom('analytics_watermarks')
      .select('done_until')
      .where('tier', '=', tier)
      .executeTakeFirst();
    return row ? Number(row.done_until) : undefined;
  }

  async replaceBuckets(
    tier: string,
    bucketMs: number,
    from: number,
    to: number,
    rows: readonly RollupRow[],
  ): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('analytics_rollups')
        .where('bucket_ms', '=', bucketMs)
        .where('bucket_start', '>=', from)
        .where('bucket_start', '<', to)
        .execute();
      await bulkUpsert(
        trx,
        this.#dialect,
        'analytics_rollups',
        ROLLUP_COLUMNS,
        ROLLUP_KEY,
        MEASURES,
        rows.map((r) => [
          r.workspaceId,
          r.bucketMs,
          r.workflowId,
          r.nodeId,
          r.bucketStart,
          r.status,
          r.count,
          r.sumMs,
          r.minMs,
          r.maxMs,
          r.retries,
          r.sketch,
        ]),
      );
      await trx
        .insertInto('analytics_watermarks')
        .values({ tier, done_until: to })
        .onConflict((oc) => oc.column('tier').doUpdateSet({ done_until: to }))
        .execute();
    });
  }

  async prune(partialsBefore: number, rollupsBefore: ReadonlyMap<number, number>): Promise<number> {
    let removed = 0;
    const raw = await this.#db
      .deleteFrom('analytics_partials')
      .where('bucket_start', '<', partialsBefore)
      .executeTakeFirst();
    removed += Number(raw.numDeletedRows);
    for (const [bucketMs, before] of rollupsBefore) {
      const r = await this.#db
        .deleteFrom('analytics_rollups')
        .where('bucket_ms', '=', bucketMs)
        .where('bucket_start', '<', before)
        .executeTakeFirst();
      removed += Number(r.numDeletedRows);
    }
    return removed;
  }
}
