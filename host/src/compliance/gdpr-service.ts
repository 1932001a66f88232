import { normaliseSubject } from '@weft/compliance';
import type { AuditRecord } from '@weft/engine';
import { SqlGdprRequests } from '@weft/sql';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { eraseExportBundles } from './gdpr-export.js';
import { mentions, openRequest } from './gdpr-request.js';
import { hostAudit } from './host-audit.js';
import { subjectSealing } from './subject-sealing.js';

/** What {@link eraseSubject} did. */
export interface ErasureResult {
  requestId: string;
  /** Whether the subject had a key, now destroyed. */
  keyDestroyed: boolean;
  /** Executions sealed with that key: their payloads are now unreadable everywhere. */
  executionsShredded: number;
  /** Executions that held the identifier in plain text (sealed before subject paths were set, say). */
  unsealedMentions: string[];
  /** Whether those were deleted (`deleteUnsealed`). */
  unsealedDeleted: boolean;
  /** False when the mention search stopped at its scan limit: older executions were not examined. */
  searchComplete: boolean;
  /** Export bundles of the subject deleted from blob storage (their links now answer 410). */
  exportBundlesDeleted: number;
}

/**
 * Erases a data subject by crypto-shredding (ADR 0012): destroys their key, so every payload
 * sealed with it — in the database, its blobs and every backup — can no longer be read, while
 * the executions' metadata and the audit chain stay intact. Executions that mention the subject
 * in plain text are listed, and deleted with `deleteUnsealed`; the subject's export bundles are
 * deleted from blob storage, so their links stop working. The erasure is recorded in the
 * audit log without the identifier (counts and the request id only).
 *
 * @example
 * ```ts
 * const r = await eraseSubject(runtime, 'ws_1', 'ada@example.com', { actor: { type: 'user', id: 'usr_1' } });
 * ```
 */
export async function eraseSubject(
  rt: HostRuntime,
  workspaceId: string,
  identifier: string,
  options: { deleteUnsealed?: boolean; actor: AuditRecord['actor']; requestId?: string | null; ip?: string | null },
): Promise<ErasureResult> {
  const subject = normaliseSubject(identifier);
  const request = await openRequest(rt, workspaceId, 'erasure', subject);
  const { keys } = subjectSealing(rt.h);
  const key = await keys.find(workspaceId, subject);
  const shredded = key ? await keys.destroy(workspaceId, key.keyId) : 0;
  const found = await mentions(rt, workspaceId, subject);
  if (options.deleteUnsealed) for (const id of found.ids) await rt.engine.executions.delete(workspaceId, id);
  const bundles = await eraseExportBundles(rt, workspaceId, request.subjectHash);
  const result: ErasureResult = {
    requestId: request.id,
    keyDestroyed: !!key,
    executionsShredded: shredded,
    unsealedMentions: found.ids,
    unsealedDeleted: !!options.deleteUnsealed && found.ids.length > 0,
    searchComplete: found.complete,
    exportBundlesDeleted: bundles,
  };
  const { unsealedMentions, ...summary } = result;
  await new SqlGdprRequests(rt.h).complete(workspaceId, request.id, 'completed', {
    ...summary,
    unsealedMentions: unsealedMentions.length,
  });
  hostAudit(rt).record({
    workspaceId,
    actor: options.actor,
    action: 'data-subject.erased',
    resource: { type: 'gdpr-request', id: request.id },
    outcome: 'success',
    at: Date.now(),
    ip: options.ip ?? null,
    userAgent: null,
    requestId: options.requestId ?? null,
    changes: {
      keyDestroyed: result.keyDestroyed,
      executionsShredded: shredded,
      unsealedDeleted: summary.unsealedDeleted,
      exportBundlesDeleted: bundles,
    },
  });
  return result;
}
