import type { AnalyticsStore, RollupRow } from '@weft/engine';
import { QuantileSketch } from './quantile-sketch.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Daily rows are written a week at a time; weeks start at the epoch (Thursdays, UTC). */
const WEEK = 7 * DAY;

/** Bucket sizes and how long each tier is kept. */
export interface RetentionOptions {
  /** Partial 5-minute buckets as the ingest processes write them (default 7 days). */
  rawMs?: number;
  /** 5-minute rollups (default 30 days). */
  fiveMinuteMs?: number;
  /** Hourly and daily rollups (default 365 days). */
  hourlyMs?: number;
}

/** Options of {@link Rollups}. */
export interface RollupsOptions {
  store: AnalyticsStore;
  retention?: RetentionOptions;
  /** How long after a bucket ends it is rolled up, so batched ingest lands first (default 2 min). */
  graceMs?: number;
}

/** The two rollup tiers. */
export const FIVE_MINUTES = 5 * MINUTE;
export const ONE_HOUR = HOUR;
export const ONE_DAY = DAY;

/** One step of {@link InPlaceRollupStore.rollUpInPlace}: tier `bucketMs` over [from, to) from `sourceMs` (0: partials). */
export interface InPlaceRollupStep {
  tier: string;
  bucketMs: number;
  sourceMs: number;
  from: number;
  to: number;
  /** When the source has no row in [from, to): change nothing and answer undefined. */
  skipIfEmpty: boolean;
  /**
   * From partials: also build tier `tier` (buckets of `bucketMs`) from the same source rows, when
   * [from, to) is whole buckets of it and its watermark is at `from` (or no tier has one yet);
   * `merge` gets every source row and the execution rows. The store skips it otherwise.
   */
  also?: {
    tier: string;
    bucketMs: number;
    merge: (all: readonly RollupRow[], executions: readonly RollupRow[]) => RollupRow[];
  };
}

/**
 * A store that does a rollup step where the data is (`SqlAnalyticsStore` in `@weft/sql`): in one
 * transaction it replaces the target range, copies target keys with a single source row itself and
 * hands `merge` only the source rows whose sketches must be merged (`several`) and, from partials,
 * the execution rows that make the workspace-wide rows (`executions`); then writes what `merge`
 * answers and moves the watermark. Answers the rows written. {@link Rollups} uses it when present.
 *
 * @example
 * ```ts
 * if (isInPlaceRollupStore(store)) await store.rollUpInPlace(step, (several, executions) => rows);
 * ```
 */
export interface InPlaceRollupStore extends AnalyticsStore {
  rollUpInPlace(
    step: InPlaceRollupStep,
    merge: (several: readonly RollupRow[], executions: readonly RollupRow[]) => RollupRow[],
  ): Promise<number | undefined>;
  /**
   * The earliest bucket start in [from, to) of the source tier `sourceMs` (0: the partials), or
   * undefined when it has none there; lets a rollup skip a stretch without rows in one query.
   */
  firstSourceBucket?(sourceMs: number, from: number, to: number): Promise<number | undefined>;
}

/**
 * Whether `store` rolls up in place ({@link InPlaceRollupStore}).
 *
 * @example
 * ```ts
 * isInPlaceRollupStore(new MemoryAnalyticsStore()); // false
 * ```
 */
export function isInPlaceRollupStore(store: AnalyticsStore): store is InPlaceRollupStore {
  return typeof (store as Partial<InPlaceRollupStore>).rollUpInPlace === 'function';
}

interface Group {
  row: RollupRow;
  /** The merged sketch, once a second source row came. */
  sketch: QuantileSketch | undefined;
  /** The only source row's encoded sketch, copied as it is. */
  encoded: string;
}

/**
 * Merges the ingest processes' partial 5-minute buckets into 5-minute rollups, those into hourly
 * buckets and those into daily (UTC) buckets, so a year-long series at daily steps reads 365 rows,
 * not 8,760; and prunes each tier after its retention. Each day the daily rows of the week so far
 * are rewritten together, so a finished week of a series is written at once (adjacent rows on
 * Postgres; see ADR 0010), and a stretch without source rows is skipped in one query when the
 * store offers {@link InPlaceRollupStore.firstSourceBucket}. Each step recomputes whole buckets from their source rows and replaces
 * them together with the tier's watermark in one transaction ({@link AnalyticsStore.replaceBuckets}),
 * so a crash mid-way loses nothing and running a step again gives the same numbers. Memory is
 * bounded by one chunk (an hour of partial rows, a day of 5-minute rows, a week of hourly rows),
 * not by the backlog.
 * Besides a row per (workspace, workflow, node, status), each execution bucket has a workspace-wide
 * row (`workflowId` '') so workspace series read one row per bucket. A store that can roll up in
 * place ({@link InPlaceRollupStore}, the SQL stores) does each step set-based, and only sketches
 * that must be merged cross the wire.
 *
 * @example
 * ```ts
 * const rollups = new Rollups({ store });
 * setInterval(() => void rollups.run(Date.now()), 60_000);
 * ```
 */
export class Rollups {
  readonly #store: AnalyticsStore;
  readonly #grace: number;
  readonly retention: Required<RetentionOptions>;

  constructor(options: RollupsOptions) {
    this.#store = options.store;
    this.#grace = options.graceMs ?? 2 * MINUTE;
    this.retention = {
      rawMs: options.retention?.rawMs ?? 7 * DAY,
      fiveMinuteMs: options.retention?.fiveMinuteMs ?? 30 * DAY,
      hourlyMs: options.retention?.hourlyMs ?? 365 * DAY,
    };
  }

  /** Rolls up every complete bucket up to `now`, then prunes; returns how many rollup rows it wrote. */
  async run(now: number): Promise<{ fiveMinuteRows: number; hourlyRows: number; dailyRows: number; pruned: number }> {
    // A backlog of whole hours of partials gets its hourly rows in the 5-minute step that reads
    // them (in-place stores), instead of writing 5-minute rows and reading them all back.
    let hourlyRows = 0;
    const fiveMinuteRows =
      (await this.#tier('5m', FIVE_MINUTES, 0, HOUR, now - this.#grace, now - this.retention.rawMs, {
        tier: '1h',
        bucketMs: HOUR,
        merge: (all, executions) => {
          const rows = merged(HOUR, all, executions);
          hourlyRows += rows.length;
          return rows;
        },
      })) - hourlyRows;
    const fiveDone = (await this.#store.watermark('5m')) ?? 0;
    hourlyRows += await this.#tier('1h', HOUR, FIVE_MINUTES, DAY, fiveDone, now - this.retention.fiveMinuteMs);
    const hourDone = (await this.#store.watermark('1h')) ?? 0;
    // Each day the daily rows of the week so far are rewritten together (sorted by key), so a
    // finished week of a series is one run of rows, not seven scattered ones (ADR 0010).
    const dailyRows = await this.#tier('1d', DAY, HOUR, WEEK, hourDone, now - this.retention.hourlyMs, undefined, true);
    const pruned = await this.#store.prune(
      Math.min(now - this.retention.rawMs, fiveDone),
      new Map([
        [FIVE_MINUTES, Math.min(now - this.retention.fiveMinuteMs, hourDone)],
        [HOUR, now - this.retention.hourlyMs],
        [DAY, now - this.retention.hourlyMs],
      ]),
    );
    return { fiveMinuteRows, hourlyRows, dailyRows, pruned };
  }

  /** Rolls tier `bucketMs` up from `sourceMs` (0: the partials) in chunks of `chunkMs`. */
  async #tier(
    tier: string,
    bucketMs: number,
    sourceMs: number,
    chunkMs: number,
    until: number,
    oldest: number,
    also?: InPlaceRollupStep['also'],
    fromChunkStart = false,
  ): Promise<number> {
    let from = (await this.#store.watermark(tier)) ?? Math.floor(oldest / bucketMs) * bucketMs;
    const end = Math.floor(until / bucketMs) * bucketMs;
    // With `fromChunkStart`, new buckets are written together with the rest of their chunk.
    const chunkStart = Math.floor(from / chunkMs) * chunkMs;
    if (fromChunkStart && from < end && chunkStart >= oldest) from = chunkStart;
    let written = 0;
    // Chunks without source rows are not written one by one: their (empty) range is replaced
    // together with the next chunk that has rows, or at the end, in one transaction.
    let pending = from;
    const store = this.#store;
    let probe = true;
    while (from < end) {
      if (probe && isInPlaceRollupStore(store) && store.firstSourceBucket) {
        // Past a chunk without source rows, skip to the chunk of the next row (or the last chunk)
        // in one query rather than one transaction per empty chunk.
        const next = await store.firstSourceBucket(sourceMs, from, end);
        const last = Math.floor((end - 1) / chunkMs) * chunkMs;
        from = Math.max(from, next === undefined ? last : Math.floor(next / chunkMs) * chunkMs);
      }
      const to = Math.min(end, (Math.floor(from / chunkMs) + 1) * chunkMs);
      if (isInPlaceRollupStore(store)) {
        const step: InPlaceRollupStep = { tier, bucketMs, sourceMs, from: pending, to, skipIfEmpty: to !== end };
        if (also) step.also = also;
        const n = await store.rollUpInPlace(step, (several, executions) => merged(bucketMs, several, executions));
        if (n !== undefined) {
          written += n;
          pending = to;
        }
        probe = n === undefined;
        from = to;
        continue;
      }
      const rows =
        sourceMs === 0 ? await this.#fromPartials(from, to) : await this.#fromRollups(sourceMs, bucketMs, from, to);
      if (rows.length || to === end) {
        await this.#store.replaceBuckets(tier, bucketMs, pending, to, rows);
        written += rows.length;
        pending = to;
      }
      from = to;
    }
    return written;
  }

  async #fromPartials(from: number, to: number): Promise<RollupRow[]> {
    const rows = await this.#store.readPartials(from, to);
    return merged(
      FIVE_MINUTES,
      rows,
      rows.filter((r) => r.nodeId === ''),
    );
  }

  async #fromRollups(sourceMs: number, targetMs: number, from: number, to: number): Promise<RollupRow[]> {
    return merged(targetMs, await this.#store.readRollups({ bucketMs: sourceMs, from, to }), []);
  }
}

/** Merges source rows into target rows of `bucketMs`: each under its own workflow, `executions` also workspace-wide. */
function merged(bucketMs: number, several: readonly RollupRow[], executions: readonly RollupRow[]): RollupRow[] {
  const groups = new Map<string, Group>();
  for (const r of several)
    add(groupOf(groups, r, r.workflowId, bucketMs, r.bucketStart - (r.bucketStart % bucketMs)), r);
  for (const r of executions) add(groupOf(groups, r, '', bucketMs, r.bucketStart - (r.bucketStart % bucketMs)), r);
  return finish(groups);
}

function groupOf(
  groups: Map<string, Group>,
  r: { workspaceId: string; nodeId: string; status: string },
  workflowId: string,
  bucketMs: number,
  bucketStart: number,
): Group {
  const key = `${r.workspaceId}\u0000${workflowId}\u0000${r.nodeId}\u0000${r.status}\u0000${bucketStart}`;
  let g = groups.get(key);
  if (!g) {
    g = {
      row: {
        workspaceId: r.workspaceId,
        workflowId,
        nodeId: r.nodeId,
        status: r.status,
        bucketMs,
        bucketStart,
        count: 0,
        sumMs: 0,
        minMs: Number.POSITIVE_INFINITY,
        maxMs: Number.NEGATIVE_INFINITY,
        retries: 0,
        sketch: '',
      },
      sketch: undefined,
      encoded: '',
    };
    groups.set(key, g);
  }
  return g;
}

/** Adds one source row (partial or finer rollup) to its group; sketches are decoded only to merge two or more. */
function add(g: Group, r: RollupRow): void {
  const row = g.row;
  if (row.count === 0) g.encoded = r.sketch;
  else {
    if (!g.sketch) g.sketch = QuantileSketch.decode(g.encoded);
    g.sketch.merge(QuantileSketch.decode(r.sketch));
  }
  row.count += r.count;
  row.sumMs += r.sumMs;
  if (r.minMs < row.minMs) row.minMs = r.minMs;
  if (r.maxMs > row.maxMs) row.maxMs = r.maxMs;
  row.retries += r.retries;
}

function finish(groups: Map<string, Group>): RollupRow[] {
  const rows: RollupRow[] = [];
  for (const g of groups.values()) rows.push({ ...g.row, sketch: g.sketch ? g.sketch.encode() : g.encoded });
  return rows;
}
