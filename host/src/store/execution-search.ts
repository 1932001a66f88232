import type { ExecutionRecord, ExecutionStatus } from '@weft/engine';
import { rowToExecution } from '@weft/sql';
import { sql } from 'kysely';
import type { HostDb } from './host-database.js';

/** Filters of {@link searchExecutions}. */
export interface ExecutionSearch {
  workflowId?: string;
  status?: ExecutionStatus[];
  mode?: string;
  /** Started at or after (epoch ms). */
  since?: number;
  /** Started before (epoch ms). */
  until?: number;
  /** Matches the start of an execution id, or a substring of its error message. */
  q?: string;
  limit: number;
  cursor?: string;
}

/**
 * Lists a workspace's executions newest first with filters and text search, paginated by an
 * opaque `startedAt:id` cursor.
 *
 * @example
 * ```ts
 * const page = await searchExecutions(h, 'ws1', { status: ['failed'], q: 'timeout', limit: 50 });
 * ```
 */
export async function searchExecutions(
  h: HostDb,
  workspaceId: string,
  s: ExecutionSearch,
): Promise<{ items: ExecutionRecord[]; nextCursor?: string }> {
  let q = h.db.selectFrom('executions').selectAll().where('workspace_id', '=', workspaceId);
  if (s.workflowId) q = q.where('workflow_id', '=', s.workflowId);
  if (s.status?.length) q = q.where('status', 'in', s.status);
  if (s.mode) q = q.where('mode', '=', s.mode);
  if (s.since !== undefined) q = q.where('started_at', '>=', s.since);
  if (s.until !== undefined) q = q.where('started_at', '<', s.until);
  if (s.q) {
    const like = `%${s.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const prefix = `${s.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([eb('id', 'like', prefix), sql<boolean>`cast(${sql.ref('error')} as text) like ${like}`]),
    );
  }
  if (s.cursor) {
    const [at, id] = [s.cursor.slice(0, s.cursor.indexOf(':')), s.cursor.slice(s.cursor.indexOf(':') + 1)];
    const started = Number(at);
    if (Number.isFinite(started) && id) {
      q = q.where((eb) =>
        eb.or([eb('started_at', '<', started), eb.and([eb('started_at', '=', started), eb('id', '<', id)])]),
      );
    }
  }
  const rows = await q
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(s.limit + 1)
    .execute();
  const items = rows.slice(0, s.limit).map((r) => rowToExecution(h.dialect, r as never));
  const last = items.at(-1);
  return rows.length > s.limit && last ? { items, nextCursor: `${last.startedAt}:${last.id}` } : { items };
}
