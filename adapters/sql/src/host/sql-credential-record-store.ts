import type { CredentialRecord, CredentialRecordStore, DataKeyRecord } from '@weft/engine';
import { millis } from '../sql-dialect.js';
import type { HostDb } from './host-database.js';

/**
 * The credential vault's {@link CredentialRecordStore} on the shared `credentials` and `data_keys`
 * tables (ciphertext only; every query scoped by workspace).
 *
 * @example
 * ```ts
 * const vault = new CredentialVault({ store: new SqlCredentialRecordStore({ db, dialect }), masterKeys });
 * ```
 */
export class SqlCredentialRecordStore implements CredentialRecordStore {
  constructor(readonly h: HostDb) {}

  async insert(r: CredentialRecord): Promise<void> {
    await this.h.db
      .insertInto('credentials')
      .values({
        id: r.id,
        workspace_id: r.workspaceId,
        name: r.name,
        type: r.type,
        ciphertext: r.ciphertext,
        key_id: r.keyId,
        iv: r.iv,
        tag: r.tag,
        status: r.status,
        status_reason: r.statusReason,
        created_at: r.createdAt,
        updated_at: Date.now(),
      })
      .execute();
  }

  async update(r: CredentialRecord): Promise<void> {
    const res = await this.h.db
      .updateTable('credentials')
      .set({
        name: r.name,
        type: r.type,
        ciphertext: r.ciphertext,
        key_id: r.keyId,
        iv: r.iv,
        tag: r.tag,
        status: r.status,
        status_reason: r.statusReason,
        updated_at: Date.now(),
      })
      .where('workspace_id', '=', r.workspaceId)
      .where('id', '=', r.id)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new Error(`Credential ${r.id} not found in workspace ${r.workspaceId}`);
  }

  async get(workspaceId: string, id: string): Promise<CredentialRecord | undefined> {
    const r = await this.h.db
      .selectFrom('credentials')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r && this.#record(r);
  }

  async list(workspaceId: string): Promise<CredentialRecord[]> {
    const rows = await this.h.db
      .selectFrom('credentials')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('name')
      .execute();
    return rows.map((r) => this.#record(r));
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const r = await this.h.db
      .deleteFrom('credentials')
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async getDataKey(workspaceId: string): Promise<DataKeyRecord | undefined> {
    const r = await this.h.db
      .selectFrom('data_keys')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return r && this.#key(r);
  }

  async insertDataKey(k: DataKeyRecord): Promise<boolean> {
    const r = await this.h.db
      .insertInto('data_keys')
      .values({
        id: k.id,
        workspace_id: k.workspaceId,
        master_key_id: k.masterKeyId,
        iv: k.iv,
        tag: k.tag,
        wrapped_key: k.wrappedKey,
        created_at: k.createdAt,
      })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async listDataKeys(exceptMasterKeyId?: string): Promise<DataKeyRecord[]> {
    let q = this.h.db.selectFrom('data_keys').selectAll();
    if (exceptMasterKeyId) q = q.where('master_key_id', '!=', exceptMasterKeyId);
    return (await q.execute()).map((r) => this.#key(r));
  }

  async rewrapDataKey(
    id: string,
    expectedMasterKeyId: string,
    wrap: Pick<DataKeyRecord, 'masterKeyId' | 'iv' | 'tag' | 'wrappedKey'>,
  ): Promise<boolean> {
    const r = await this.h.db
      .updateTable('data_keys')
      .set({ master_key_id: wrap.masterKeyId, iv: wrap.iv, tag: wrap.tag, wrapped_key: wrap.wrappedKey })
      .where('id', '=', id)
      .where('master_key_id', '=', expectedMasterKeyId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  #record(r: {
    id: string;
    workspace_id: string;
    name: string;
    type: string;
    ciphertext: string;
    key_id: string;
    iv: string;
    tag: string;
    status: string;
    status_reason: string | null;
    created_at: number | string;
  }): CredentialRecord {
    return {
      id: r.id,
      workspaceId: r.workspace_id,
      name: r.name,
      type: r.type,
      keyId: r.key_id,
      iv: r.iv,
      tag: r.tag,
      ciphertext: r.ciphertext,
      createdAt: millis(r.created_at),
      status: r.status as CredentialRecord['status'],
      statusReason: r.status_reason,
    };
  }

  #key(r: {
    id: string;
    workspace_id: string;
    master_key_id: string;
    iv: string;
    tag: string;
    wrapped_key: string;
    created_at: number | string;
  }): DataKeyRecord {
    return {
      id: r.id,
      workspaceId: r.workspace_id,
      masterKeyId: r.master_key_id,
      iv: r.iv,
      tag: r.tag,
      wrappedKey: r.wrapped_key,
      createdAt: millis(r.created_at),
    };
  }
}
