import { randomUUID } from 'node:crypto';
import { normaliseSubject } from '@weft/compliance';
import type { AuditRecord } from '@weft/engine';
import { type GdprRequest, SqlGdprRequests, searchExecutions } from '@weft/sql';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { hostAudit, INSTANCE_AUDIT_CHAIN } from './host-audit.js';
import { subjectSealing } from './subject-sealing.js';

/** GDPR Art. 12(3): a request is answered within one month. */
const DEADLINE_MS = 30 * 86_400_000;
/** Unsealed executions examined for plain-text mentions of the subject, newest first. */
const MENTION_SCAN = 10_000;

async function openRequest(rt: HostRuntime, workspaceId: string, kind: GdprRequest['kind'], subject: string) {
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
async function mentions(rt: HostRuntime, workspaceId: string, subject: string) {
  const page = await searchExecutions(rt.h, workspaceId, { contains: subject, limit: 500, scanLimit: MENTION_SCAN });
  return { ids: page.items.map((r) => r.id), complete: !page.scanLimitReached && !page.nextCursor };
}

async function* auditOf(rt: HostRuntime, chain: string, actorId: string): AsyncGenerator<AuditRecord> {
  let before: number | undefined;
  for (;;) {
    const page = await hostAudit(rt).log.list({
      workspaceId: chain,
      actorId,
      limit: 500,
      ...(before !== undefined ? { before } : {}),
    });
    yield* page;
    if (page.length < 500) return;
    before = (page.at(-1) as AuditRecord).seq;
  }
}

/**
 * Writes everything the workspace stores about a data subject as one JSON document, piece by
 * piece (nothing is held whole in memory): their account and role if they are a member, the
 * credentials named after them or connected as them (metadata only), every execution sealed with
 * their key (opened, with node runs), the ids of executions that mention them in plain text, and
 * the audit entries they are the actor of. The request is recorded with its deadline.
 *
 * @example
 * ```ts
 * await exportSubject(runtime, 'ws_1', 'ada@example.com', (chunk) => res.write(chunk));
 * ```
 */
export async function exportSubject(
  rt: HostRuntime,
  workspaceId: string,
  identifier: string,
  write: (chunk: string) => void | Promise<void>,
): Promise<{ requestId: string; executions: number }> {
  const subject = normaliseSubject(identifier);
  const request = await openRequest(rt, workspaceId, 'export', subject);
  const { keys, executions: store } = subjectSealing(rt.h);
  const user = await rt.identity.userByEmail(subject);
  const role = user ? await rt.identity.roleOf(workspaceId, user.id) : undefined;
  const account =
    user && role
      ? {
          id: user.id,
          email: user.email,
          name: user.name,
          mfaEnabled: user.mfaEnabled,
          createdAt: user.createdAt,
          role,
        }
      : null;
  const credentials = (await rt.vault.list(workspaceId))
    .filter((c) => c.name.toLowerCase().includes(subject) || c.oauth2?.account?.toLowerCase() === subject)
    .map(({ id, type, name, status, createdAt, fields, oauth2 }) => ({
      id,
      type,
      name,
      status,
      createdAt,
      fields,
      oauth2,
    }));
  await write(
    `{"format":"weft-data-subject-export/1","requestId":${JSON.stringify(request.id)},"workspaceId":${JSON.stringify(workspaceId)},"subject":${JSON.stringify(subject)},"generatedAt":${Date.now()},"account":${JSON.stringify(account)},"credentials":${JSON.stringify(credentials)},"executions":[`,
  );
  const key = await keys.find(workspaceId, subject);
  let n = 0;
  for (const id of key ? await keys.rows.executionsOf(workspaceId, key.keyId) : []) {
    const record = await store.get(workspaceId, id);
    if (!record) continue;
    const nodeRuns = await store.listNodeRuns(id);
    await write(`${n++ ? ',' : ''}${JSON.stringify({ ...record, nodeRuns })}`);
  }
  const found = await mentions(rt, workspaceId, subject);
  await write(`],"unsealedMentions":${JSON.stringify(found)},"audit":[`);
  let a = 0;
  const actors = [subject, ...(account ? [account.id] : [])];
  for (const chain of [workspaceId, INSTANCE_AUDIT_CHAIN])
    for (const actor of actors)
      for await (const e of auditOf(rt, chain, actor))
        if (chain === workspaceId || e.actor.id === account?.id || e.actor.id === subject)
          await write(`${a++ ? ',' : ''}${JSON.stringify(e)}`);
  await write(']}');
  await new SqlGdprRequests(rt.h).complete(workspaceId, request.id, 'completed', {
    executions: n,
    unsealedMentions: found.ids.length,
    auditEntries: a,
  });
  return { requestId: request.id, executions: n };
}

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
}

/**
 * Erases a data subject by crypto-shredding (ADR 0012): destroys their key, so every payload
 * sealed with it — in the database, its blobs and every backup — can no longer be read, while
 * the executions' metadata and the audit chain stay intact. Executions that mention the subject
 * in plain text are listed, and deleted with `deleteUnsealed`. The erasure is recorded in the
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
  const result: ErasureResult = {
    requestId: request.id,
    keyDestroyed: !!key,
    executionsShredded: shredded,
    unsealedMentions: found.ids,
    unsealedDeleted: !!options.deleteUnsealed && found.ids.length > 0,
    searchComplete: found.complete,
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
    },
  });
  return result;
}
