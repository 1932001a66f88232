import { randomUUID } from 'node:crypto';
import { type GdprRequest, SqlGdprRequests, searchExecutions } from '@weft/sql';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { subjectSealing } from './subject-sealing.js';

/** GDPR Art. 12(3): a request is answered within one month. */
const DEADLINE_MS = 30 * 86_400_000;
/** Unsealed executions examined for plain-text mentions of the subject, newest first. */
const MENTION_SCAN = 10_000;

/** Records a new request with its deadline (receipt + 30 days) under the subject's keyed hash. */
export async function openRequest(rt: HostRuntime, workspaceId: string, kind: GdprRequest['kind'], subject: string) {
  const now = Date.now();
  const request: GdprRequest = {
    id: `gdpr_${randomUUID()}`,
    workspaceId,
    kind,
    subjectHash: await subjectSealing(rt.h).keys.subjectHash(workspaceId, subject),
    status: 'received',
    receivedAt: now,
    dueAt: now + DEADLINE_MS,
    completedAt: null,
    result: null,
  };
  await new SqlGdprRequests(rt.h).insert(request);
  return request;
}

/** Executions that hold the identifier in plain text (sealed ones never match). */
export async function mentions(rt: HostRuntime, workspaceId: string, subject: string) {
  const page = await searchExecutions(rt.h, workspaceId, { contains: subject, limit: 500, scanLimit: MENTION_SCAN });
  return { ids: page.items.map((r) => r.id), complete: !page.scanLimitReached && !page.nextCursor };
}
