import { millis } from '../sql-dialect.js';
import type { HostDb } from './host-database.js';

/**
 * The immutable versions of one workflow, newest first (scoped to the workspace).
 *
 * @example
 * ```ts
 * const versions = await listWorkflowVersions(h, 'ws1', 'wf1');
 * ```
 */
export async function listWorkflowVersions(
  h: HostDb,
  workspaceId: string,
  workflowId: string,
): Promise<Array<{ version: number; createdAt: number }>> {
  const rows = await h.db
    .selectFrom('workflow_versions')
    .select(['version', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where('workflow_id', '=', workflowId)
    .orderBy('version', 'desc')
    .limit(1000)
    .execute();
  return rows.map((r) => ({ version: Number(r.version), createdAt: millis(r.created_at) }));
}
