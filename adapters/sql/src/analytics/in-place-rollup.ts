import type { RollupRow } from '@weft/engine';
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { WeftDatabase } from '../schema.js';
import { type BulkColumn, bulkUpsert } from './bulk-upsert.js';

/** One rollup step done where the data is: tier `bucketMs` over [from, to) from a finer source. */
export interface InPlaceRollupStep {
  /** The tier's watermark name (`5m`, `1h`, `1d`). */
  tier: string;
  /** The target bucket size. */
  bucketMs: number;
  /** The source tier's bucket size, or 0 for the ingest's partial buckets. */
  sourceMs: number;
  from: number;
  to: number;
  /** When the source has no row in [from, to): change nothing and answer undefined. */
  skipIfEmpty: boolean;
  /**
   * From partials only: also build the coarser tier `tier` (buckets of `bucketMs`) over the same
   * range from the same rows, when [from, to) is whole buckets of it and its watermark is at `from`
   * (or neither tier has one yet), so a backlog is not read back from the finer tier. `merge` gets every source row
   * and the execution rows; the tier's range is replaced and its watermark moved in the same
   * transaction. Skipped silently when the conditions do not hold.
   */
  also?: { tier: string; bucketMs: number; merge: RollupMerge };
}

/**
 * Merges, in process, the source rows the database cannot merge: `several` are the source rows of
 * target keys with two or more of them (their sketches must be merged), `executions` the partial
 * execution rows (node '') that make the workspace-wide rows (empty unless the source is partials).
 */
export type RollupMerge = (several: readonly RollupRow[], executions: readonly RollupRow[]) => RollupRow[];

const MEASURES = ['count', 'sum_ms', 'min_ms', 'max_ms', 'retries', 'sketch'] as const;
const ROLLUP_KEY = ['workspace_id', 'bucket_ms', 'workflow_id', 'node_id', 'bucket_start', 'status'] as const;
/** Columns of `analytics_rollups` as {@link bulkUpsert} writes them. */
export const ROLLUP_COLUMNS: BulkColumn[] = [
  { name: 'workspace_id', pg: 'text' },
  { name: 'bucket_ms', pg: 'int4' },
  { name: 'workflow_id', pg: 'text' },
  { name: 'node_id', pg: 'text' },
  { name: 'bucket_start', pg: 'int8' },
  { name: 'status', pg: 'text' },
  { name: 'count', pg: 'int4' },
  { name: 'sum_ms', pg: 'float8' },
  { name: 'min_ms', pg: 'float8' },
  { name: 'max_ms', pg: 'float8' },
  { name: 'retries', pg: 'int4' },
  { name: 'sketch', pg: 'text' },
];

/** A stored partial or rollup row as the engine's {@link RollupRow}. */
export function toRollupRow(
  r: {
    workspace_id: string;
    workflow_id: string;
    node_id: string;
    status: string;
    bucket_start: number | string | bigint;
    count: number | string;
    sum_ms: number | string;
    min_ms: number | string;
    max_ms: number | string;
    retries: number | string;
    sketch: string;
  },
  bucketMs: number,
): RollupRow {
  return {
    workspaceId: r.workspace_id,
    workflowId: r.workflow_id,
    nodeId: r.node_id,
    status: r.status,
    bucketMs,
    bucketStart: Number(r.bucket_start),
    count: Number(r.count),
    sumMs: Number(r.sum_ms),
    minMs: Number(r.min_ms),
    maxMs: Number(r.max_ms),
    retries: Number(r.retries),
    sketch: r.sketch,
  };
}

/** Rollup rows as {@link bulkUpsert} rows in {@link ROLLUP_COLUMNS} order. */
export function rollupValues(rows: readonly RollupRow[]): unknown[][] {
  return rows.map((r) => [
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
  ]);
}

/**
 * Does one rollup step in one transaction: deletes the target range; from partials, copies every
 * target key with a single source row with one `INSERT … SELECT … GROUP BY … HAVING count(*) = 1`
 * (its sketch is that row's, so nothing crosses the wire) and reads only the source rows of keys
 * with several, plus the execution rows for the workspace-wide rows; from a finer rollup tier,
 * reads the range. `merge` merges the sketches read; the result is upserted and the watermark
 * moved. On Postgres the transaction commits
 * without waiting for its WAL flush (`synchronous_commit = off`): a crash can only lose the last
 * steps whole, watermark included, and the next run redoes them from the source, which is kept
 * until a later step's watermark passes it. With `also`, every source row is read once and the
 * coarser tier is built from it in the same transaction. Answers the rows written (both tiers), or
 * undefined when `skipIfEmpty` found no source row.
 *
 * @example
 * ```ts
 * await rollUpInPlace(db, 'postgres', { tier: '5m', bucketMs: 300_000, sourceMs: 0, from, to, skipIfEmpty: false }, merge);
 * ```
 */
export async function rollUpInPlace(
  db: Kysely<WeftDatabase>,
  dialect: 'sqlite' | 'postgres',
  step: InPlaceRollupStep,
  merge: RollupMerge,
): Promise<number | undefined> {
  const { bucketMs, sourceMs, from, to } = step;
  if (!Number.isSafeInteger(bucketMs) || !Number.isSafeInteger(sourceMs) || bucketMs <= 0 || sourceMs < 0) {
    throw new RangeError(`rollUpInPlace: bucketMs (${bucketMs}) and sourceMs (${sourceMs}) must be whole ms`);
  }
  return db.transaction().execute(async (trx) => {
    const partials = sourceMs === 0;
    // Both source tables have the key and measure columns this reads (partials have no bucket_ms).
    const source = () =>
      (partials
        ? (trx.selectFrom('analytics_partials') as unknown as SelectQueryBuilder<WeftDatabase, 'analytics_rollups', {}>)
        : trx.selectFrom('analytics_rollups').where('bucket_ms', '=', sourceMs)
      )
        .where('bucket_start', '>=', from)
        .where('bucket_start', '<', to);
    if (step.skipIfEmpty && !(await source().select(sql<number>`1`.as('one')).limit(1).executeTakeFirst())) {
      return undefined;
    }
    if (dialect === 'postgres') await sql`set local synchronous_commit = off`.execute(trx);
    await trx
      .deleteFrom('analytics_rollups')
      .where('bucket_ms', '=', bucketMs)
      .where('bucket_start', '>=', from)
      .where('bucket_start', '<', to)
      .execute();
    // From partials most target keys have one source row (one ingest process): the database copies
    // those, and only keys with several cross the wire. A coarser tier merges several rows per key
    // almost always, so all of them are read (no window over the source).
    const keys = sql`workspace_id, workflow_id, node_id, status, bucket_start`;
    let singles = 0;
    if (partials) {
      const binary = dialect === 'postgres' ? sql`collate "C"` : sql`collate binary`;
      const copied = await trx
        .insertInto('analytics_rollups')
        .columns([...ROLLUP_KEY, ...MEASURES])
        .expression(
          source()
            .select([
              'workspace_id',
              sql<number>`${sql.lit(bucketMs)}`.as('bucket_ms'),
              'workflow_id',
              'node_id',
              'bucket_start',
              'status',
              sql<number>`sum(count)`.as('count'),
              sql<number>`sum(sum_ms)`.as('sum_ms'),
              sql<number>`min(min_ms)`.as('min_ms'),
              sql<number>`max(max_ms)`.as('max_ms'),
              sql<number>`sum(retries)`.as('retries'),
              sql<string>`min(sketch ${binary})`.as('sketch'),
            ])
            .groupBy(sql`${keys}`)
            .having(sql`count(*)`, '=', 1),
        )
        .onConflict((oc) =>
          oc
            .columns([...ROLLUP_KEY])
            .doUpdateSet(Object.fromEntries(MEASURES.map((m) => [m, sql.ref(`excluded.${m}`)]))),
        )
        .executeTakeFirst();
      singles = Number(copied.numInsertedOrUpdatedRows ?? 0n);
    }
    const also = partials && step.also && (await alsoApplies(trx, step)) ? step.also : undefined;
    let several: RollupRow[];
    let executions: RollupRow[];
    let all: RollupRow[] = [];
    if (also) {
      // Every source row is read once: the coarser tier needs them all, and the keys with several
      // rows and the execution rows are picked from them here rather than by two more queries.
      all = (await source().selectAll().execute()).map((r) => toRollupRow(r, 300_000));
      const n = new Map<string, number>();
      const keyOf = (r: RollupRow) =>
        `${r.workspaceId}\u0000${r.workflowId}\u0000${r.nodeId}\u0000${r.status}\u0000${r.bucketStart}`;
      for (const r of all) n.set(keyOf(r), (n.get(keyOf(r)) ?? 0) + 1);
      several = all.filter((r) => (n.get(keyOf(r)) as number) > 1);
      executions = all.filter((r) => r.nodeId === '');
    } else {
      several = (
        partials
          ? await trx
              .selectFrom(
                source().selectAll().select(sql<number>`count(*) over (partition by ${keys})`.as('n')).as('s'),
              )
              .selectAll()
              .where('n', '>', 1)
              .execute()
          : await source().selectAll().execute()
      ).map((r) => toRollupRow(r, partials ? 300_000 : sourceMs));
      executions = partials
        ? (
            await trx
              .selectFrom('analytics_partials')
              .selectAll()
              .where('bucket_start', '>=', from)
              .where('bucket_start', '<', to)
              .where('node_id', '=', '')
              .execute()
          ).map((r) => toRollupRow(r, 300_000))
        : [];
    }
    const merged = merge(several, executions);
    const coarser = also ? also.merge(all, executions) : [];
    await bulkUpsert(trx, dialect, 'analytics_rollups', ROLLUP_COLUMNS, ROLLUP_KEY, MEASURES, rollupValues(merged));
    await moveWatermark(trx, step.tier, to);
    if (also) {
      await trx
        .deleteFrom('analytics_rollups')
        .where('bucket_ms', '=', also.bucketMs)
        .where('bucket_start', '>=', from)
        .where('bucket_start', '<', to)
        .execute();
      await bulkUpsert(trx, dialect, 'analytics_rollups', ROLLUP_COLUMNS, ROLLUP_KEY, MEASURES, rollupValues(coarser));
      await moveWatermark(trx, also.tier, to);
    }
    return singles + merged.length + coarser.length;
  });
}

/**
 * Whether `step.also` can be built in this step: [from, to) is whole buckets of it, and its
 * watermark is at `from`, or neither tier has a watermark yet (nothing rolled up: no finer rows
 * before `from` that the coarser tier would then skip).
 */
async function alsoApplies(trx: Kysely<WeftDatabase>, step: InPlaceRollupStep): Promise<boolean> {
  const also = step.also;
  if (!also || step.from % also.bucketMs !== 0 || step.to % also.bucketMs !== 0) return false;
  const rows = await trx
    .selectFrom('analytics_watermarks')
    .select(['tier', 'done_until'])
    .where('tier', 'in', [also.tier, step.tier])
    .execute();
  const at = new Map(rows.map((r) => [r.tier, Number(r.done_until)]));
  const coarser = at.get(also.tier);
  return coarser === undefined ? !at.has(step.tier) : coarser === step.from;
}

async function moveWatermark(trx: Kysely<WeftDatabase>, tier: string, to: number): Promise<void> {
  await trx
    .insertInto('analytics_watermarks')
    .values({ tier, done_until: to })
    .onConflict((oc) => oc.column('tier').doUpdateSet({ done_until: to }))
    .execute();
}
