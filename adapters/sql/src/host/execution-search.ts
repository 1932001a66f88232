import type { ExecutionMode, ExecutionRecord, ExecutionStatus } from '@weft/engine';
import { type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import { rowToExecution } from '../execution-rows.js';
import type { WeftDatabase } from '../schema.js';
import { type ContentFilter, contentConditions } from './execution-content-filter.js';
import type { HostDb } from './host-database.js';

/** Filters of {@link searchExecutions}; all given ones must hold. */
export interface ExecutionSearch extends ContentFilter {
  workflowId?: string;
  status?: ExecutionStatus[];
  mode?: ExecutionMode[];
  /** Started at or after (epoch ms). */
  since?: number;
  /** Started before (epoch ms). */
  until?: number;
  /** Finished executions that ran at least this long (ms). */
  minDurationMs?: number;
  /** Finished executions that ran at most this long (ms). */
  maxDurationMs?: number;
  /** Matches the start of an execution id, or a substring of its error message. */
  q?: string;
  limit: number;
  /** `startedAt:id` of the last execution of the previous page (from `nextCursor`). */
  cursor?: string;
  /** With content filters: executions examined per call, newest first (default 1000). */
  scanLimit?: number;
}

/** A page of {@link searchExecutions}. */
export interface ExecutionSearchPage {
  items: ExecutionRecord[];
  /** Where the next page starts; absent when nothing is left. */
  nextCursor?: string;
  /**
   * True when a content search stopped after `scanLimit` executions: `items` may be fewer than
   * `limit` (even none) while older executions remain to examine from `nextCursor`.
   */
  scanLimitReached?: true;
}

type E = WeftDatabase & { e: WeftDatabase['executions'] };
type Query = SelectQueryBuilder<E, 'e', {}>;

const DEFAULT_SCAN_LIMIT = 1000;

/**
 * Lists a workspace's executions newest first, filtered by workflow, statuses, modes, start time,
 * duration, id/error text and content (text or a JSON field in the trigger input and node
 * outputs), paginated by an opaque `startedAt:id` keyset cursor: every match appears exactly once
 * across pages.
 *
 * Content filters scan stored payloads at search time rather than keeping an index (which would
 * cost every checkpoint write). To bound each request, they examine at most `scanLimit` of the
 * executions the other filters select (newest first, from the workspace/workflow/start-time
 * indexes); when that window is exhausted before `limit` matches, the page says
 * `scanLimitReached` and `nextCursor` continues after the last execution examined. Narrow the
 * time window (`since`/`until`) or the workflow to search deeper in fewer calls.
 *
 * @example
 * ```ts
 * const page = await searchExecutions(h, 'ws1', { status: ['failed'], contains: 'ada@example.com', limit: 50 });
 * ```
 */
export async function searchExecutions(
  h: HostDb,
  workspaceId: string,
  s: ExecutionSearch,
): Promise<ExecutionSearchPage> {
  const content = contentConditions(h.dialect, s);
  const base = () => filtered(h, workspaceId, s);
  if (content.length === 0) {
    const rows = await newestFirst(base().selectAll('e'))
      .limit(s.limit + 1)
      .execute();
    return page(h, rows, s.limit);
  }
  const scan = Math.max(1, s.scanLimit ?? DEFAULT_SCAN_LIMIT);
  const window = newestFirst(base().select('e.id')).limit(scan);
  let q = h.db.selectFrom('executions as e').selectAll('e').where('e.id', 'in', window);
  for (const c of content) q = q.where(c);
  const rows = await newestFirst(q)
    .limit(s.limit + 1)
    .execute();
  if (rows.length > s.limit) return page(h, rows, s.limit);
  const edge = await newestFirst(base().select(['e.started_at', 'e.id']))
    .offset(scan - 1)
    .limit(1)
    .executeTakeFirst();
  const items = rows.map((r) => rowToExecution(h.dialect, r as never));
  if (!edge) return { items };
  return { items, nextCursor: `${Number(edge.started_at)}:${edge.id}`, scanLimitReached: true };
}

function filtered(h: HostDb, workspaceId: string, s: ExecutionSearch): Query {
  const like = h.dialect === 'postgres' ? sql.raw('ilike') : sql.raw('like');
  let q: Query = h.db.selectFrom('executions as e').where('e.workspace_id', '=', workspaceId);
  if (s.workflowId) q = q.where('e.workflow_id', '=', s.workflowId);
  if (s.status?.length) q = q.where('e.status', 'in', s.status);
  if (s.mode?.length) q = q.where('e.mode', 'in', s.mode);
  if (s.since !== undefined) q = q.where('e.started_at', '>=', s.since);
  if (s.until !== undefined) q = q.where('e.started_at', '<', s.until);
  if (s.minDurationMs !== undefined || s.maxDurationMs !== undefined) {
    q = q.where('e.finished_at', 'is not', null);
    if (s.minDurationMs !== undefined) q = q.where(sql<SqlBool>`e.finished_at - e.started_at >= ${s.minDurationMs}`);
    if (s.maxDurationMs !== undefined) q = q.where(sql<SqlBool>`e.finished_at - e.started_at <= ${s.maxDurationMs}`);
  }
  if (s.q) {
    const text = s.q.replace(/[\\%_]/g, (c) => `\\${c}`);
    q = q.where(
      sql<SqlBool>`(e.id like ${`${text}%`} escape '\\' or cast(e.error as text) ${like} ${`%${text}%`} escape '\\')`,
    );
  }
  if (s.cursor) {
    const at = s.cursor.indexOf(':');
    const started = Number(s.cursor.slice(0, at));
    const id = s.cursor.slice(at + 1);
    q = q.where((eb) =>
      eb.or([eb('e.started_at', '<', started), eb.and([eb('e.started_at', '=', started), eb('e.id', '<', id)])]),
    );
  }
  return q;
}

function newestFirst<O>(q: SelectQueryBuilder<E, 'e', O>): SelectQueryBuilder<E, 'e', O> {
  return q.orderBy('e.started_at', 'desc').orderBy('e.id', 'desc');
}

function page(h: HostDb, rows: unknown[], limit: number): ExecutionSearchPage {
  const items = rows.slice(0, limit).map((r) => rowToExecution(h.dialect, r as never));
  const last = items.at(-1);
  return rows.length > limit && last ? { items, nextCursor: `${last.startedAt}:${last.id}` } : { items };
}
