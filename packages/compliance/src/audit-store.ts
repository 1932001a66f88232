import type { AuditCheckpoint, AuditHead, AuditOutcome, AuditRecord, SealedAuditEntry } from './audit-entry.js';

/** Filters for {@link AuditStore.list}; newest first, `before` is a `seq` cursor. */
export interface AuditQuery {
  workspaceId: string;
  actorId?: string;
  /** Exact action, or a prefix ending in `.` (`workflow.`). */
  action?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: AuditOutcome;
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  before?: number;
  limit: number;
}

/**
 * Where audit entries live. Implementations must serialise {@link append} per workspace across
 * processes (a row lock on the workspace's head, or a single-writer database) so the chain never
 * forks, and must refuse updates and deletes of stored entries.
 *
 * @example
 * ```ts
 * const record = await store.append('ws_1', async (head) => sealEntry(entry, head));
 * ```
 */
export interface AuditStore {
  /** Runs `seal` with the current head under the workspace's lock, stores its result and moves the head. */
  append(workspaceId: string, seal: (head: AuditHead) => Promise<SealedAuditEntry>): Promise<AuditRecord>;
  head(workspaceId: string): Promise<AuditHead>;
  list(query: AuditQuery): Promise<AuditRecord[]>;
  /** A workspace's entries with `seq > afterSeq`, in `seq` order: what verification walks. */
  walk(workspaceId: string, afterSeq: number, limit: number): Promise<AuditRecord[]>;
  addCheckpoint(checkpoint: AuditCheckpoint): Promise<void>;
  /** A workspace's checkpoints by position. */
  checkpoints(workspaceId: string): Promise<AuditCheckpoint[]>;
  /** Every workspace with a chain. */
  workspaces(): Promise<string[]>;
}
