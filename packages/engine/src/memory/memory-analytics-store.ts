import type { AnalyticsStore, PartialRollupRow, RollupQuery, RollupRow } from '../ports/analytics-store.js';

const keyOf = (r: RollupRow) =>
  `${r.workspaceId}\u0000${r.bucketMs}\u0000${r.workflowId}\u0000${r.nodeId}\u0000${r.bucketStart}\u0000${r.status}`;

/**
 * An in-process {@link AnalyticsStore} for tests and embedders without a database.
 *
 * @example
 * ```ts
 * const rollups = new Rollups({ store: new MemoryAnalyticsStore() });
 * ```
 */
export class MemoryAnalyticsStore implements AnalyticsStore {
  #partials = new Map<string, PartialRollupRow>();
  #rollups = new Map<string, RollupRow>();
  #watermarks = new Map<string, number>();

  async upsertPartials(rows: readonly PartialRollupRow[]): Promise<void> {
    for (const r of rows) this.#partials.set(`${r.writerId}\u0000${keyOf(r)}`, { ...r });
  }

  async readPartials(from: number, to: number): Promise<PartialRollupRow[]> {
    const out: PartialRollupRow[] = [];
    for (const r of this.#partials.values()) if (r.bucketStart >= from && r.bucketStart < to) out.push({ ...r });
    return out;
  }

  async readRollups(q: RollupQuery): Promise<RollupRow[]> {
    const out: RollupRow[] = [];
    for (const r of this.#rollups.values()) {
      if (r.bucketMs !== q.bucketMs || r.bucketStart < q.from || r.bucketStart >= q.to) continue;
      if (q.workspaceId !== undefined && r.workspaceId !== q.workspaceId) continue;
      if (q.workflowId !== undefined && r.workflowId !== q.workflowId) continue;
      if (q.nodeId !== undefined && r.nodeId !== q.nodeId) continue;
      out.push({ ...r });
    }
    return out.sort((a, b) => a.bucketStart - b.bucketStart);
  }

  async watermark(tier: string): Promise<number | undefined> {
    return this.#watermarks.get(tier);
  }

  async replaceBuckets(tier: string, bucketMs: number, from: number, to: number, rows: readonly RollupRow[]) {
    for (const r of rows) {
      if (typeof r.sketch !== 'string' || !Number.isFinite(r.count)) {
        throw new TypeError(`Rollup row of ${r.workflowId}/${r.nodeId} at ${r.bucketStart} lacks a count or sketch`);
      }
    }
    for (const [k, r] of this.#rollups) {
      if (r.bucketMs === bucketMs && r.bucketStart >= from && r.bucketStart < to) this.#rollups.delete(k);
    }
    for (const r of rows) this.#rollups.set(keyOf(r), { ...r });
    this.#watermarks.set(tier, to);
  }

  async prune(partialsBefore: number, rollupsBefore: ReadonlyMap<number, number>): Promise<number> {
    const before = this.#partials.size + this.#rollups.size;
    for (const [k, r] of this.#partials) if (r.bucketStart < partialsBefore) this.#partials.delete(k);
    for (const [k, r] of this.#rollups) {
      const cutoff = rollupsBefore.get(r.bucketMs);
      if (cutoff !== undefined && r.bucketStart < cutoff) this.#rollups.delete(k);
    }
    return before - this.#partials.size - this.#rollups.size;
  }
}
