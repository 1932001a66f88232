import type { AnalyticsStore, RollupQuery, RollupRow } from '@weft/engine';

const FIVE_MINUTES = 300_000;
const ONE_HOUR = 3_600_000;

/**
 * Rollup rows of a 5-minute or hourly query, completed with what that tier has not rolled up yet:
 * past the hourly watermark the 5-minute rows, and past the 5-minute watermark the ingest
 * processes' partial buckets (written every few seconds), so a series or a health score includes
 * the last minutes. Partial rows match the query the way rollup rows do; as there are no
 * workspace-wide partial rows, `workflowId` '' matches every workflow's execution rows.
 * Returned rows may repeat a key (one per ingest process); add them up, as `totals` does.
 *
 * @example
 * ```ts
 * const rows = await freshRollups(store, { bucketMs: 3_600_000, from: Date.now() - 86_400_000, to: Date.now(), workspaceId: 'ws', workflowId: '', nodeId: '' });
 * ```
 */
export async function freshRollups(store: AnalyticsStore, q: RollupQuery): Promise<RollupRow[]> {
  const rows = await store.readRollups(q);
  let from = q.from;
  if (q.bucketMs === ONE_HOUR) {
    from = Math.max(from, (await store.watermark('1h')) ?? from);
    if (from < q.to) rows.push(...(await store.readRollups({ ...q, bucketMs: FIVE_MINUTES, from })));
  } else if (q.bucketMs !== FIVE_MINUTES) return rows;
  from = Math.max(from, (await store.watermark('5m')) ?? from);
  if (from >= q.to) return rows;
  for (const r of await store.readPartials(from, q.to)) {
    if (q.workspaceId !== undefined && r.workspaceId !== q.workspaceId) continue;
    if (q.nodeId !== undefined && r.nodeId !== q.nodeId) continue;
    if (q.workflowId === '' ? r.nodeId !== '' : q.workflowId !== undefined && r.workflowId !== q.workflowId) continue;
    const { writerId: _, ...row } = r;
    rows.push(row);
  }
  return rows;
}
