import type { CredentialRecord, CredentialRecordStore, DataKeyRecord } from '../ports/credential-record-store.js';

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
