import type { AnalyticsStore, PartialRollupRow, RollupQuery, RollupRow } from '@weft/engine';
import { type Kysely, sql } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { WeftDatabase } from '../schema.js';
import { type BulkColumn, bulkUpsert } from './bulk-upsert.js';
import {
  type InPlaceRollupStep,
  ROLLUP_COLUMNS,
  type RollupMerge,
  rollUpInPlace,
  rollupValues,
  toRollupRow,
} from './in-place-rollup.js';

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

/**
 * The engine's {@link AnalyticsStore} on the analytics tables of migrations 8 and 11 (SQLite or
 * Postgres), as `@weft/analytics` uses it. Rows are written set-based ({@link bulkUpsert}:
 * `json_each` on SQLite, `unnest` on Postgres); `replaceBuckets` deletes a tier's bucket range,
 * upserts the new rows and moves the watermark in one transaction. `Rollups` uses
 * {@link SqlAnalyticsStore.rollUpInPlace} instead, which merges in SQL what it can.
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
    await this.#db.transaction().execute(async (trx) => {
      await bulkUpsert(
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
      );
    });
  }

  async readPartials(from: number, to: number): Promise<PartialRollupRow[]> {
    const rows = await this.#db
      .selectFrom('analytics_partials')
      .selectAll()
      .where('bucket_start', '>=', from)
      .where('bucket_start', '<', to)
      .execute();
    return rows.map((r) => ({ writerId: r.writer_id, ...toRollupRow(r, 300_000) }));
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
    return rows.map((r) => toRollupRow(r, Number(r.bucket_ms)));
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
        rollupValues(rows),
      );
      await trx
        .insertInto('analytics_watermarks')
        .values({ tier, done_until: to })
        .onConflict((oc) => oc.column('tier').doUpdateSet({ done_until: to }))
        .execute();
    });
  }

  /**
   * One rollup step in one transaction, merged in SQL where a target key has one source row and by
   * `merge` elsewhere (see {@link rollUpInPlace}); `Rollups` prefers it to `replaceBuckets`.
   *
   * @example
   * ```ts
   * await store.rollUpInPlace({ tier: '1h', bucketMs: 3_600_000, sourceMs: 300_000, from, to, skipIfEmpty: true }, merge);
   * ```
   */
  rollUpInPlace(step: InPlaceRollupStep, merge: RollupMerge): Promise<number | undefined> {
    return rollUpInPlace(this.#db, this.#dialect, step, merge);
  }

  /**
   * The earliest bucket start in [from, to) of the partials (`sourceMs` 0) or of rollup tier
   * `sourceMs`, or undefined; one index lookup, so `Rollups` skips a stretch without rows at once.
   *
   * @example
   * ```ts
   * await store.firstSourceBucket(0, Date.now() - 7 * 86_400_000, Date.now());
   * ```
   */
  async firstSourceBucket(sourceMs: number, from: number, to: number): Promise<number | undefined> {
    const first = sql<number | string | null>`min(bucket_start)`.as('first');
    const row =
      sourceMs === 0
        ? await this.#db
            .selectFrom('analytics_partials')
            .select(first)
            .where('bucket_start', '>=', from)
            .where('bucket_start', '<', to)
            .executeTakeFirst()
        : await this.#db
            .selectFrom('analytics_rollups')
            .select(first)
            .where('bucket_ms', '=', sourceMs)
            .where('bucket_start', '>=', from)
            .where('bucket_start', '<', to)
            .executeTakeFirst();
    return row?.first == null ? undefined : Number(row.first);
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
