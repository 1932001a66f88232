import type { AuditCheckpoint, SealedAuditEntry } from '@weft/engine';
import { sha256Hex } from '@weft/engine';
import canonicalize from 'canonicalize';

const encoder = new TextEncoder();

/** The hashed fields of an entry, in RFC 8785 canonical JSON (absent values as null). */
export function canonicalEntry(e: Omit<SealedAuditEntry, 'hash'>): string {
  return canonicalize({
    workspaceId: e.workspaceId,
    position: e.position,
    actor: { type: e.actor.type, id: e.actor.id },
    action: e.action,
    resource: { type: e.resource.type, id: e.resource.id },
    outcome: e.outcome,
    at: e.at,
    ip: e.ip,
    userAgent: e.userAgent,
    requestId: e.requestId,
    changes: e.changes,
  }) as string;
}

/**
 * SHA-256 (lower-case hex) of the previous hash followed by the entry's canonical JSON: the link
 * that makes any edit, deletion or reordering change every later hash.
 *
 * @example
 * ```ts
 * const hash = await linkHash({ ...entry, position: 1, prevHash: '' });
 * ```
 */
export function linkHash(e: Omit<SealedAuditEntry, 'hash'>): Promise<string> {
  return sha256Hex(encoder.encode(e.prevHash + canonicalEntry(e)));
}

/** The bytes a checkpoint signs: canonical JSON of workspace, position, hash, time and key id. */
export function checkpointPayload(c: Omit<AuditCheckpoint, 'signature'>): Uint8Array {
  return encoder.encode(
    canonicalize({
      workspaceId: c.workspaceId,
      position: c.position,
      hash: c.hash,
      at: c.at,
      keyId: c.keyId,
    }) as string,
  );
}
