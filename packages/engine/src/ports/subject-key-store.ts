/**
 * A stored data key (GDPR crypto-shredding, ADR 0012): 32 random bytes wrapped (encrypted) with
 * the host's master key `masterKeyId`, never stored in clear. `subjectHash` is a keyed hash of the
 * normalised identifier (`*` marks the workspace's hashing key, `#payload` its payload key).
 */
export interface SubjectKeyRow {
  keyId: string;
  workspaceId: string;
  subjectHash: string;
  masterKeyId: string;
  wrappedKey: string;
  /** Epoch ms. */
  createdAt: number;
}

/**
 * Where the wrapped per-subject data keys live, and which execution is sealed with which key
 * ({@link MemorySubjectKeyStore} in this package, `SqlSubjectKeys` in `@weft/sql`). Wrapping and
 * unwrapping are the caller's (the host's `HostSubjectKeys`); the store keeps one key per
 * workspace and subject hash, and {@link destroy} is erasure: afterwards neither the key nor its
 * bindings can be read, and a database-backed store must also make the key's bytes leave its files.
 *
 * @example
 * ```ts
 * const row = await store.insert({ keyId: 'sk_1', workspaceId: 'ws_1', subjectHash, masterKeyId: 'k1', wrappedKey, createdAt: Date.now() });
 * await store.bind('ws_1', 'ex_1', row.keyId);
 * await store.destroy('ws_1', row.keyId); // 1 execution was sealed with it
 * ```
 */
export interface SubjectKeyStore {
  /** Stores `row` unless the workspace already has a key for its subject hash; answers the stored key either way. */
  insert(row: SubjectKeyRow): Promise<SubjectKeyRow>;
  bySubject(workspaceId: string, subjectHash: string): Promise<SubjectKeyRow | undefined>;
  byId(keyId: string): Promise<SubjectKeyRow | undefined>;
  /** Up to `limit` keys not wrapped by `masterKeyId`, in key-id order after `after` (master-key rotation). */
  notWrappedBy(masterKeyId: string, limit: number, after?: string): Promise<SubjectKeyRow[]>;
  /**
   * Replaces a key's wrapping only if it is still wrapped by `fromMasterKeyId` (a concurrent
   * rotation or erasure wins); answers whether it was replaced.
   */
  rewrap(keyId: string, fromMasterKeyId: string, toMasterKeyId: string, wrappedKey: string): Promise<boolean>;
  /** Records that an execution is sealed with `keyId`; a second binding of the execution is ignored. */
  bind(workspaceId: string, executionId: string, keyId: string, now?: number): Promise<void>;
  /** The key an execution is sealed with, or null. */
  keyOfExecution(executionId: string): Promise<string | null>;
  /** The executions sealed with a key, oldest binding first. */
  executionsOf(workspaceId: string, keyId: string): Promise<string[]>;
  /** Deletes a key of the workspace and its bindings; answers how many executions were bound to it. */
  destroy(workspaceId: string, keyId: string): Promise<number>;
}
