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
 * Rows of the credential vault: ciphertext only. The SQL adapters implement this structurally;
 * {@link MemoryCredentialRecordStore} is the reference. Every look-up is scoped to a workspace.
 *
 * @example
 * ```ts
 * const vault = new CredentialVault({ store: new MemoryCredentialRecordStore(), masterKeys });
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

/**
 * {@link CredentialRecordStore} in memory.
 *
 * @example
 * ```ts
 * const store = new MemoryCredentialRecordStore();
 * ```
 */
export class MemoryCredentialRecordStore implements CredentialRecordStore {
  readonly #rows = new Map<string, CredentialRecord>();
  readonly #keys = new Map<string, DataKeyRecord>();
  #k = (ws: string, id: string) => `${ws}\u0000${id}`;

  async insert(record: CredentialRecord): Promise<void> {
    const k = this.#k(record.workspaceId, record.id);
    if (this.#rows.has(k)) throw new Error(`Credential ${record.id} already exists in workspace ${record.workspaceId}`);
    this.#rows.set(k, { ...record });
  }
  async update(record: CredentialRecord): Promise<void> {
    const k = this.#k(record.workspaceId, record.id);
    if (!this.#rows.has(k)) throw new Error(`Credential ${record.id} not found in workspace ${record.workspaceId}`);
    this.#rows.set(k, { ...record });
  }
  async get(workspaceId: string, id: string): Promise<CredentialRecord | undefined> {
    const r = this.#rows.get(this.#k(workspaceId, id));
    return r && { ...r };
  }
  async list(workspaceId: string): Promise<CredentialRecord[]> {
    return [...this.#rows.values()].filter((r) => r.workspaceId === workspaceId).map((r) => ({ ...r }));
  }
  async delete(workspaceId: string, id: string): Promise<boolean> {
    return this.#rows.delete(this.#k(workspaceId, id));
  }
  async getDataKey(workspaceId: string): Promise<DataKeyRecord | undefined> {
    const r = this.#keys.get(workspaceId);
    return r && { ...r };
  }
  async insertDataKey(record: DataKeyRecord): Promise<boolean> {
    if (this.#keys.has(record.workspaceId)) return false;
    this.#keys.set(record.workspaceId, { ...record });
    return true;
  }
  async listDataKeys(exceptMasterKeyId?: string): Promise<DataKeyRecord[]> {
    return [...this.#keys.values()].filter((k) => k.masterKeyId !== exceptMasterKeyId).map((k) => ({ ...k }));
  }
  async rewrapDataKey(
    id: string,
    expectedMasterKeyId: string,
    wrap: Pick<DataKeyRecord, 'masterKeyId' | 'iv' | 'tag' | 'wrappedKey'>,
  ): Promise<boolean> {
    const row = [...this.#keys.values()].find((k) => k.id === id);
    if (!row || row.masterKeyId !== expectedMasterKeyId) return false;
    Object.assign(row, wrap);
    return true;
  }
}
