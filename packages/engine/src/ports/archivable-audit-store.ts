import type { AuditStore } from './audit-store.js';

/**
 * A signed statement that a workspace's entries `fromPosition..throughPosition` were moved to a
 * bundle at `location` whose SHA-256 is `sha256`, the last of them hashing to `throughHash`.
 * Verification of what stays starts from it; the bundle can be checked on its own
 * (`checkArchiveBundle` of `@weft/compliance`).
 */
export interface AuditArchive {
  workspaceId: string;
  fromPosition: number;
  throughPosition: number;
  throughHash: string;
  location: string;
  sha256: string;
  /** Epoch ms. */
  at: number;
  keyId: string;
  /** Base64 signature over the archive payload (`archivePayload` of `@weft/compliance`). */
  signature: string;
}

/**
 * An {@link AuditStore} that can also archive and prune (audit-log retention):
 * {@link MemoryAuditStore} in this package, `SqlAuditStore` in `@weft/sql`. `prune` deletes a
 * workspace's entries up to a position and must refuse (throw, deleting nothing) when an entry it
 * would delete is not covered by a stored archive: the SQL stores leave that check to the
 * database. The chain's head does not move back when entries are pruned.
 *
 * @example
 * ```ts
 * await store.addArchive(signedArchive); // entries 1..500, bundle already in blob storage
 * await store.prune('ws_1', 500); // 500
 * ```
 */
export interface ArchivableAuditStore extends AuditStore {
  /** A workspace's archive statements, by `throughPosition`. */
  archives(workspaceId: string): Promise<AuditArchive[]>;
  addArchive(archive: AuditArchive): Promise<void>;
  /** Deletes entries with `position <= throughPosition`; answers how many went. */
  prune(workspaceId: string, throughPosition: number): Promise<number>;
}

/**
 * Whether a store can archive (duck-typed, so plain stores keep working).
 *
 * @example
 * ```ts
 * if (isArchivable(store)) await store.prune('ws_1', archived.throughPosition);
 * ```
 */
export function isArchivable(store: AuditStore): store is ArchivableAuditStore {
  return typeof (store as Partial<ArchivableAuditStore>).archives === 'function';
}
