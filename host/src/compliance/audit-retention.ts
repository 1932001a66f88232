import { appendFileSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type AuditArchive, checkArchiveBundle, isArchivable } from '@weft/compliance';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { Ed25519AuditSigner, loadAuditSigner, RETIRED_KEYS_FILE } from './ed25519-audit-signer.js';
import { hostAudit } from './host-audit.js';

/** Where archive bundles go: the host's `compliance-docs` bucket (default), or a file. */
export type ArchiveTarget = { kind: 'bucket' } | { kind: 'file'; path: string };

const BUCKET_PREFIX = 'blob:compliance-docs/';

/**
 * Archives a workspace's audit entries through a position (or every entry older than `before`,
 * epoch ms) into a signed bundle — in the `compliance-docs` blob bucket (file system under the
 * data directory unless S3 is configured), or a file — then prunes them from the database.
 * Verification of the rest starts from the signed archive statement.
 *
 * @example
 * ```ts
 * const a = await archiveAudit(runtime, 'ws_1', { before: Date.now() - 90 * 86_400_000 });
 * ```
 */
export async function archiveAudit(
  rt: HostRuntime,
  workspaceId: string,
  range: { throughPosition?: number; before?: number },
  target: ArchiveTarget = { kind: 'bucket' },
): Promise<AuditArchive & { pruned: number }> {
  const { log } = hostAudit(rt);
  let through = range.throughPosition;
  if (through === undefined) {
    if (range.before === undefined) throw new RangeError('Give a position or a time to archive through');
    const [newest] = await log.list({ workspaceId, to: range.before, limit: 1 });
    if (!newest)
      throw new RangeError(`No audit entries of ${workspaceId} before ${new Date(range.before).toISOString()}`);
    through = newest.position;
  }
  await hostAudit(rt).settled();
  return log.archive(workspaceId, through, async (name, bytes) => {
    if (target.kind === 'file') {
      await writeFile(target.path, bytes, { flag: 'wx', mode: 0o600 });
      return `file:${resolve(target.path)}`;
    }
    await rt.blob.storage.bucket('compliance-docs').put(name, bytes, { contentType: 'application/json' });
    return `${BUCKET_PREFIX}${name}`;
  });
}

/**
 * Reads an archive's bundle back from where {@link archiveAudit} put it and checks it against its
 * signed statement (SHA-256, signature, every link); answers the problem, or undefined.
 *
 * @example
 * ```ts
 * for (const a of archives) console.log(a.location, (await checkArchive(runtime, a)) ?? 'ok');
 * ```
 */
export async function checkArchive(rt: HostRuntime, archive: AuditArchive): Promise<string | undefined> {
  let bytes: Uint8Array | undefined;
  if (archive.location.startsWith(BUCKET_PREFIX))
    bytes = await rt.blob.storage.bucket('compliance-docs').get(archive.location.slice(BUCKET_PREFIX.length));
  else if (archive.location.startsWith('file:') && existsSync(archive.location.slice(5)))
    bytes = await readFile(archive.location.slice(5));
  if (!bytes) return `The bundle at ${archive.location} cannot be read`;
  return checkArchiveBundle(bytes, archive, loadAuditSigner(rt.config.dataDir, process.env));
}

/** The archives of a workspace's chain, oldest first. */
export async function auditArchives(rt: HostRuntime, workspaceId: string): Promise<AuditArchive[]> {
  const store = hostAudit(rt).log.store;
  return isArchivable(store) ? store.archives(workspaceId) : [];
}

/**
 * Rotates the audit signing key kept in the data directory: signs a checkpoint of every chain's
 * head with the old key, keeps the old public key in `audit-signing.retired.pem` (so everything it
 * signed still verifies) and writes a new private key. A key given in `WEFT_AUDIT_SIGNING_KEY` is
 * the operator's to replace: set the new one there and the old public key in
 * `WEFT_AUDIT_RETIRED_KEYS`.
 *
 * @example
 * ```ts
 * const { from, to } = await rotateAuditKey(runtime);
 * ```
 */
export async function rotateAuditKey(
  rt: HostRuntime,
  env: Record<string, string | undefined> = process.env,
): Promise<{ from: string; to: string; checkpoints: number }> {
  if (env.WEFT_AUDIT_SIGNING_KEY)
    throw new Error(
      'The audit signing key comes from WEFT_AUDIT_SIGNING_KEY: set a new key there and add the old public key to WEFT_AUDIT_RETIRED_KEYS',
    );
  const old = loadAuditSigner(rt.config.dataDir, env);
  const { log } = hostAudit(rt, env);
  await hostAudit(rt, env).settled();
  let checkpoints = 0;
  for (const ws of await log.store.workspaces()) if (await log.checkpoint(ws)) checkpoints++;
  const next = Ed25519AuditSigner.generate();
  appendFileSync(join(rt.config.dataDir, RETIRED_KEYS_FILE), old.publicKeyPem(), { mode: 0o600 });
  const path = join(rt.config.dataDir, 'audit-signing.key');
  writeFileSync(`${path}.next`, next.toPem(), { mode: 0o600 });
  renameSync(`${path}.next`, path);
  return { from: old.keyId, to: next.keyId, checkpoints };
}
