import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { normaliseSubject } from '@weft/compliance';
import type { AuditRecord } from '@weft/engine';
import { type GdprRequest, SqlGdprRequests } from '@weft/sql';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { GdprExportLinks } from './gdpr-export-links.js';
import { mentions, openRequest } from './gdpr-request.js';
import { hostAudit, INSTANCE_AUDIT_CHAIN } from './host-audit.js';
import { subjectSealing } from './subject-sealing.js';

/** Where a bundle is kept in the compliance-docs bucket, and what the request records of it. */
export interface ExportBundle {
  key: string;
  size: number;
  sha256: string;
  /** Epoch ms at which its link stops working. */
  expiresAt: number;
  /** Epoch ms at which it was deleted by the subject's erasure. */
  erasedAt?: number;
  /** Epoch ms at which it was deleted because its link had expired. */
  deletedAt?: number;
}

/** What {@link exportSubject} answers. */
export interface SubjectExport {
  requestId: string;
  /** The download link; needs no other credentials until `expiresAt`. */
  url: string;
  expiresAt: number;
  size: number;
  sha256: string;
  executions: number;
  unsealedMentions: number;
  auditEntries: number;
}

/** How long an export link works by default: three days. */
export const EXPORT_LINK_HOURS = 72;

/** The host's signer of export links (keys derived from `WEFT_MASTER_KEY(S)`). */
export function exportLinks(rt: HostRuntime): GdprExportLinks {
  return new GdprExportLinks({ publicUrl: rt.config.publicUrl, masterKeys: rt.config.masterKeys });
}

/** The bundle recorded on an export request, or undefined (not an export, or it failed). */
export function bundleOf(request: GdprRequest): ExportBundle | undefined {
  const bundle = request.kind === 'export' ? request.result?.bundle : undefined;
  return bundle && typeof bundle === 'object' ? (bundle as ExportBundle) : undefined;
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

async function writeDocument(
  rt: HostRuntime,
  workspaceId: string,
  subject: string,
  requestId: string,
  write: (chunk: string) => void | Promise<void>,
): Promise<{ executions: number; unsealedMentions: number; auditEntries: number }> {
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
    `{"format":"weft-data-subject-export/1","requestId":${JSON.stringify(requestId)},"workspaceId":${JSON.stringify(workspaceId)},"subject":${JSON.stringify(subject)},"generatedAt":${Date.now()},"account":${JSON.stringify(account)},"credentials":${JSON.stringify(credentials)},"executions":[`,
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
  return { executions: n, unsealedMentions: found.ids.length, auditEntries: a };
}

/**
 * Exports everything the workspace stores about a data subject as one JSON document
 * (`weft-data-subject-export/1`) into the compliance-docs bucket (`gdpr-exports/<ws>/<request>.json`,
 * encrypted client-side on S3), streamed piece by piece: their account and role if they are a
 * member, the credentials named after them or connected as them (metadata only), every execution
 * sealed with their key (opened, with node runs), the ids of executions that mention them in plain
 * text, and the audit entries they are the actor of. The request records the bundle; the answer is
 * a signed link that works for `linkHours` and stops working once the subject is erased.
 *
 * @example
 * ```ts
 * const { url, expiresAt } = await exportSubject(runtime, 'ws_1', 'ada@example.com');
 * ```
 */
export async function exportSubject(
  rt: HostRuntime,
  workspaceId: string,
  identifier: string,
  options: { linkHours?: number } = {},
): Promise<SubjectExport> {
  const subject = normaliseSubject(identifier);
  const request = await openRequest(rt, workspaceId, 'export', subject);
  const requests = new SqlGdprRequests(rt.h);
  const key = `gdpr-exports/${workspaceId}/${request.id}.json`;
  const bucket = rt.blob.storage.bucket('compliance-docs');
  const body = new PassThrough();
  const stored = bucket.put(key, body, { contentType: 'application/json' });
  let counts: Awaited<ReturnType<typeof writeDocument>>;
  try {
    counts = await writeDocument(rt, workspaceId, subject, request.id, async (chunk) => {
      if (!body.write(chunk)) await Promise.race([once(body, 'drain'), stored]);
    });
    body.end();
  } catch (err) {
    body.destroy(err as Error);
    await stored.catch(() => undefined);
    await bucket.delete(key).catch(() => false);
    await requests.complete(workspaceId, request.id, 'failed', { error: (err as Error).message });
    throw err;
  }
  const info = await stored;
  const expiresAt = Date.now() + (options.linkHours ?? EXPORT_LINK_HOURS) * 3_600_000;
  const bundle: ExportBundle = { key, size: info.size, sha256: info.sha256, expiresAt };
  await requests.complete(workspaceId, request.id, 'completed', { ...counts, bundle });
  return {
    requestId: request.id,
    url: exportLinks(rt).url({ workspaceId, requestId: request.id, expiresAt }),
    expiresAt,
    size: info.size,
    sha256: info.sha256,
    ...counts,
  };
}

/**
 * Deletes every export bundle of a subject (by keyed hash) from blob storage and notes it on its
 * request, so its link answers 410. Part of erasure: a bundle holds the subject's data in clear.
 *
 * @example
 * ```ts
 * const deleted = await eraseExportBundles(runtime, 'ws_1', request.subjectHash);
 * ```
 */
export async function eraseExportBundles(rt: HostRuntime, workspaceId: string, subjectHash: string): Promise<number> {
  const requests = new SqlGdprRequests(rt.h);
  const bucket = rt.blob.storage.bucket('compliance-docs');
  let deleted = 0;
  for (const r of await requests.ofSubject(workspaceId, subjectHash, 'export')) {
    const bundle = bundleOf(r);
    if (!bundle || bundle.erasedAt !== undefined) continue;
    if (await bucket.delete(bundle.key)) deleted++;
    await requests.setResult(workspaceId, r.id, { ...r.result, bundle: { ...bundle, erasedAt: Date.now() } });
  }
  return deleted;
}

/**
 * Deletes from blob storage the export bundles whose links have expired (nobody can download them
 * any more, and a bundle holds the subject's data in clear) and notes it on their requests; they
 * stay listed as expired. The host runs it every hour; `now` is for tests.
 *
 * @example
 * ```ts
 * const deleted = await sweepExpiredExports(runtime);
 * ```
 */
export async function sweepExpiredExports(rt: HostRuntime, now = Date.now()): Promise<number> {
  const requests = new SqlGdprRequests(rt.h);
  const bucket = rt.blob.storage.bucket('compliance-docs');
  let deleted = 0;
  for (let after: string | undefined; ; ) {
    const page = await requests.completedExports({ limit: 200, ...(after !== undefined ? { after } : {}) });
    for (const r of page) {
      const bundle = bundleOf(r);
      if (!bundle || bundle.expiresAt > now || bundle.erasedAt !== undefined || bundle.deletedAt !== undefined)
        continue;
      if (await bucket.delete(bundle.key)) deleted++;
      await requests.setResult(r.workspaceId, r.id, { ...r.result, bundle: { ...bundle, deletedAt: now } });
    }
    if (page.length < 200) return deleted;
    after = (page.at(-1) as GdprRequest).id;
  }
}
