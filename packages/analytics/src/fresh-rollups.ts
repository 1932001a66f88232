import type { AnalyticsStore, RollupQuery, RollupRow } from '@weft/engine';

const FIVE_MINUTES = 300_000;
const ONE_HOUR = 3_600_000;

/** Up to when the hourly and 5-minute tiers are rolled up (undefined: not yet). */
export interface TierWatermarks {
  hourly: number | undefined;
  fiveMinute: number | undefined;
}

/**
 * Rollup rows of a 5-minute or hourly query, completed with what that tier has not rolled up yet:
 * past the hourly watermark the 5-minute rows, and past the 5-minute watermark the ingest
 * processes' partial buckets (written every few seconds), so a series or a health score includes
 * the last minutes. Partial rows match the query the way rollup rows do; as there are no
 * workspace-wide partial rows, `workflowId` '' matches every workflow's execution rows.
 * Returned rows may repeat a key (one per ingest process); add them up, as `totals` does.
 *
 * The watermarks (`marks`, or read here) are read before the rows, and the rows of the tiers are
 * read concurrently: two round trips, not five, on a store with a connection pool. A rollup
 * committing meanwhile can only add rows to a read, never leave a gap between tiers.
 *
 * @example
 * ```ts
 * const rows = await freshRollups(store, { bucketMs: 3_600_000, from: Date.now() - 86_400_000, to: Date.now(), workspaceId: 'ws', workflowId: '', nodeId: '' });
 * ```
 */
export async function freshRollups(
  store: AnalyticsStore,
  q: RollupQuery,
  marks?: TierWatermarks,
): Promise<RollupRow[]> {
  if (q.bucketMs !== ONE_HOUR && q.bucketMs !== FIVE_MINUTES) return store.readRollups(q);
  const { hourly, fiveMinute } = marks ?? (await tierWatermarks(store));
  const reads = [store.readRollups(q)];
  let from = q.from;
  if (q.bucketMs === ONE_HOUR) {
    from = Math.max(from, hourly ?? from);
    if (from < q.to) reads.push(store.readRollups({ ...q, bucketMs: FIVE_MINUTES, from }));
  }
  from = Math.max(from, fiveMinute ?? from);
  if (from < q.to) reads.push(store.readPartials(from, q.to).then((rows) => matching(rows, q)));
  return (await Promise.all(reads)).flat();
}

/**
 * The hourly and 5-minute watermarks, read concurrently.
 *
 * @example
 * ```ts
 * const { hourly } = await tierWatermarks(store);
 * ```
 */
export async function tierWatermarks(store: AnalyticsStore): Promise<TierWatermarks> {
  const [hourly, fiveMinute] = await Promise.all([store.watermark('1h'), store.watermark('5m')]);
  return { hourly, fiveMinute };
}

function matching(partials: Awaited<ReturnType<AnalyticsStore['readPartials']>>, q: RollupQuery): RollupRow[] {
  const rows: RollupRow[] = [];
  for (const r of partials) {
    if (q.workspaceId !== undefined && r.workspaceId !== q.workspaceId) continue;
    if (q.nodeId !== undefined && r.nodeId !== q.nodeId) continue;
    if (q.workflowId === '' ? r.nodeId !== '' : q.workflowId !== undefined && r.workflowId !== q.workflowId) continue;
    const { writerId: _, ...row } = r;
    rows.push(row);
  }
  return rows;
}
