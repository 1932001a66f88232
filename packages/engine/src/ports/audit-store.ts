/** Who did it: a signed-in user, an API key, a user of an embedding product, Weft itself, or nobody known. */
export interface AuditActor {
  type: 'user' | 'api-key' | 'embed-user' | 'system' | 'anonymous';
  /** The user id, API key id or embed identity; for `anonymous`, what the caller claimed (an email). */
  id: string;
}

/** What it was done to: `{ type: 'workflow', id: 'wf_1' }`; `id` is null for collections. */
export interface AuditResource {
  type: string;
  id: string | null;
}

/** `success`, `failure` (refused for bad input or failed), or `denied` (not authenticated or not allowed). */
export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * One action to record. `changes` is a summary (field names, counts, states) and never holds
 * secrets: callers pass `summariseChanges` (`@weft/compliance`) output, not request bodies.
 *
 * @example
 * ```ts
 * const entry: AuditEntry = {
 *   workspaceId: 'ws_1', actor: { type: 'user', id: 'usr_1' }, action: 'workflow.update',
 *   resource: { type: 'workflow', id: 'wf_1' }, outcome: 'success', at: Date.now(),
 *   ip: '203.0.113.7', userAgent: 'curl/8', requestId: 'req_1', changes: { fields: ['nodes'] },
 * };
 * ```
 */
export interface AuditEntry {
  workspaceId: string;
  actor: AuditActor;
  /** Dotted verb, e.g. `workflow.activate`, `auth.login`, `credential.test`. */
  action: string;
  resource: AuditResource;
  outcome: AuditOutcome;
  /** Epoch milliseconds. */
  at: number;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  changes: Record<string, unknown> | null;
}

/**
 * A stored entry: its place in the workspace's chain (`position`, from 1), the hash of the entry
 * before it (`''` for the first) and its own hash. `seq` is the store's row id, not hashed: it
 * orders rows across workspaces and is what verification names.
 */
export interface AuditRecord extends AuditEntry {
  seq: number;
  position: number;
  prevHash: string;
  hash: string;
}

/** An entry sealed into the chain, before the store gives it a `seq`. */
export type SealedAuditEntry = Omit<AuditRecord, 'seq'>;

/** The last link of a workspace's chain: position 0 and hash `''` when it is empty. */
export interface AuditHead {
  position: number;
  hash: string;
}

/**
 * A signed statement of a chain's head: whoever holds the public key can tell that entries up to
 * `position` were exactly these, even if the database and its head row are rewritten later.
 */
export interface AuditCheckpoint {
  workspaceId: string;
  position: number;
  hash: string;
  at: number;
  keyId: string;
  /** Base64 signature over the checkpoint payload (`checkpointPayload` of `@weft/compliance`). */
  signature: string;
}

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
 * Where `@weft/compliance`'s audit log keeps its entries ({@link MemoryAuditStore} in this package,
 * `SqlAuditStore` in `@weft/sql`). Implementations must serialise {@link append} per workspace across
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
