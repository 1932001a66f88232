import type { AuditArchive, AuditCheckpoint, AuditRecord } from '@weft/engine';
import { sha256Hex } from '@weft/engine';
import canonicalize from 'canonicalize';
import { linkHash } from './audit-hash.js';
import type { AuditSigner } from './audit-signer.js';

// The archive statement and the archivable store are engine ports; re-exported for existing importers.
export { type ArchivableAuditStore, type AuditArchive, isArchivable } from '@weft/engine';

const encoder = new TextEncoder();

/** The bytes an archive statement signs: canonical JSON of every field but the signature. */
export function archivePayload(a: Omit<AuditArchive, 'signature'>): Uint8Array {
  return encoder.encode(
    canonicalize({
      workspaceId: a.workspaceId,
      fromPosition: a.fromPosition,
      throughPosition: a.throughPosition,
      throughHash: a.throughHash,
      location: a.location,
      sha256: a.sha256,
      at: a.at,
      keyId: a.keyId,
    }) as string,
  );
}

/** The archive bundle: the entries and the checkpoints over them, as canonical JSON. */
export interface AuditArchiveBundle {
  format: 'weft-audit-archive/1';
  workspaceId: string;
  /** The hash the first entry links to (`''` from the start of the chain). */
  prevHash: string;
  entries: AuditRecord[];
  checkpoints: AuditCheckpoint[];
}

/** Serialises a bundle (RFC 8785) and its SHA-256, as the archive names it. */
export async function encodeArchiveBundle(bundle: AuditArchiveBundle): Promise<{ bytes: Uint8Array; sha256: string }> {
  const bytes = encoder.encode(canonicalize(bundle) as string);
  return { bytes, sha256: await sha256Hex(bytes) };
}

/**
 * Checks an archive bundle against its signed statement: the bytes' SHA-256, the signature, and
 * every link of the entries from `prevHash` to `throughHash`. Answers the problem, or undefined.
 *
 * @example
 * ```ts
 * const problem = await checkArchiveBundle(bytes, archive, signer);
 * ```
 */
export async function checkArchiveBundle(
  bytes: Uint8Array,
  archive: AuditArchive,
  signer: AuditSigner,
): Promise<string | undefined> {
  if ((await sha256Hex(bytes)) !== archive.sha256)
    return `The bundle at ${archive.location} does not match its SHA-256`;
  if (!(await signer.verify(archivePayload(archive), archive.signature, archive.keyId)))
    return `The archive statement of entries ${archive.fromPosition}..${archive.throughPosition} has a bad signature (key ${archive.keyId})`;
  const bundle = JSON.parse(new TextDecoder().decode(bytes)) as AuditArchiveBundle;
  let hash = bundle.prevHash;
  let position = archive.fromPosition - 1;
  for (const e of bundle.entries) {
    if (e.position !== position + 1 || e.prevHash !== hash || (await linkHash(e)) !== e.hash)
      return `Entry ${e.position} of the bundle does not link to entry ${position}`;
    position = e.position;
    hash = e.hash;
  }
  if (position !== archive.throughPosition || hash !== archive.throughHash)
    return `The bundle ends at entry ${position}, the archive statement at ${archive.throughPosition}`;
  return undefined;
}
