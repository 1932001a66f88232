/**
 * `active`, or `broken` until a user reconnects (e.g. after OAuth2 `invalid_grant`).
 *
 * @example
 * ```ts
 * if (info.status === ('broken' satisfies CredentialStatus)) showReconnect(info.statusReason);
 * ```
 */
export type CredentialStatus = 'active' | 'broken';

/**
 * One stored credential: metadata in the clear, the secret data only as AES-256-GCM ciphertext
 * (base64) under the workspace's data key `keyId`.
 *
 * @example
 * ```ts
 * const row: CredentialRecord | undefined = await store.get('ws1', 'c1'); // ciphertext only
 * ```
 */
export interface CredentialRecord {
  id: string;
  workspaceId: string;
  type: string;
  name: string;
  /** The data key that encrypted `ciphertext`. */
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
  createdAt: number;
  status: CredentialStatus;
  /** Why the credential is broken, or null. */
  statusReason: string | null;
}

/**
 * A workspace's data key, wrapped (AES-256-GCM) by the master key `masterKeyId`.
 *
 * @example
 * ```ts
 * const wrapped: DataKeyRecord | undefined = await store.getDataKey('ws1');
 * ```
 */
export interface DataKeyRecord {
  id: string;
  workspaceId: string;
  masterKeyId: string;
  iv: string;
  tag: string;
  wrappedKey: string;
  createdAt: number;
}

/**
 * Rows of the credential vault (`CredentialVault` of @weft/connectors): ciphertext only. The
 * host's SQL store implements it; `MemoryCredentialRecordStore` is the reference. Every look-up
 * is scoped to a workspace. Every implementation passes `describeCredentialRecordStoreConformance`
 * from @weft/testing.
 *
 * @example
 * ```ts
 * const vault = new CredentialVault({ store: new MemoryCredentialRecordStore(), masterKeys });
 * await store.get('ws1', 'c1'); // the row, ciphertext only; undefined in any other workspace
 * ```
 */
export interface CredentialRecordStore {
  insert(record: CredentialRecord): Promise<void>;
  /** Replaces the row with the same workspace and id; throws when there is none. */
  update(record: CredentialRecord): Promise<void>;
  get(workspaceId: string, id: string): Promise<CredentialRecord | undefined>;
  list(workspaceId: string): Promise<CredentialRecord[]>;
  delete(workspaceId: string, id: string): Promise<boolean>;
  getDataKey(workspaceId: string): Promise<DataKeyRecord | undefined>;
  /** Stores a workspace's first data key; false (and no change) when it already has one. */
  insertDataKey(record: DataKeyRecord): Promise<boolean>;
  /** Data keys, optionally only those wrapped by master keys other than `exceptMasterKeyId`. */
  listDataKeys(exceptMasterKeyId?: string): Promise<DataKeyRecord[]>;
  /** Re-wraps a data key if it is still wrapped by `expectedMasterKeyId` (compare-and-set). */
  rewrapDataKey(
    id: string,
    expectedMasterKeyId: string,
    wrap: Pick<DataKeyRecord, 'masterKeyId' | 'iv' | 'tag' | 'wrappedKey'>,
  ): Promise<boolean>;
}
