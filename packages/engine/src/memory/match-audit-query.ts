import type { AuditQuery, AuditRecord } from '../ports/audit-store.js';

/**
 * Whether a record passes a query's filters (cursor included): the reference semantics every
 * store's `list` follows.
 *
 * @example
 * ```ts
 * rows.filter((r) => matchesAuditQuery(r, { workspaceId: 'ws_1', action: 'workflow.', limit: 50 }));
 * ```
 */
export function matchesAuditQuery(r: AuditRecord, q: AuditQuery): boolean {
  if (r.workspaceId !== q.workspaceId) return false;
  if (q.before !== undefined && r.seq >= q.before) return false;
  if (q.actorId !== undefined && r.actor.id !== q.actorId) return false;
  if (q.action !== undefined && !(q.action.endsWith('.') ? r.action.startsWith(q.action) : r.action === q.action))
    return false;
  if (q.resourceType !== undefined && r.resource.type !== q.resourceType) return false;
  if (q.resourceId !== undefined && r.resource.id !== q.resourceId) return false;
  if (q.outcome !== undefined && r.outcome !== q.outcome) return false;
  if (q.from !== undefined && r.at < q.from) return false;
  if (q.to !== undefined && r.at >= q.to) return false;
  return true;
}
