import type { CredentialRecord, CredentialRecordStore, DataKeyRecord } from '@weft/engine';
import type Database from 'better-sqlite3';

/**
 * A file-backed {@link CredentialRecordStore} on better-sqlite3, for tests that inspect the raw
 * database file (the SQL adapters own the production one).
 *
 * @example
 * ```ts
 * const store = new SqliteCredentialRecordStore(new Database(file));
 * ```
 */
export class SqliteCredentialRecordStore implements CredentialRecordStore {
  constructor(readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS credentials (
      id TEXT NOT NULL, workspace_id TEXT NOT NULL, type TEXT NOT NULL, name TEXT NOT NULL, key_id TEXT NOT NULL,
      iv TEXT NOT NULL, tag TEXT NOT NULL, ciphertext TEXT NOT NULL, created_at INTEGER NOT NULL,
      status TEXT NOT NULL, status_reason TEXT, PRIMARY KEY (workspace_id, id));
    CREATE TABLE IF NOT EXISTS data_keys (
      id TEXT PRIMARY KEY, workspace_id TEXT NOT NULL UNIQUE, master_key_id TEXT NOT NULL, iv TEXT NOT NULL,
      tag TEXT NOT NULL, wrapped_key TEXT NOT NULL, created_at INTEGER NOT NULL);`);
  }

  #row(r: Record<string, unknown> | undefined): CredentialRecord | undefined {
    if (!r) return undefined;
    return {
      id: r.id as string,
      workspaceId: r.workspace_id as string,
      type: r.type as string,
      name: r.name as string,
      keyId: r.key_id as string,
      iv: r.iv as string,
      tag: r.tag as string,
      ciphertext: r.ciphertext as string,
      createdAt: r.created_at as number,
      status: r.status as CredentialRecord['status'],
      statusReason: (r.status_reason as string | null) ?? null,
    };
  }
  #key(r: Record<string, unknown>): DataKeyRecord {
    return {
      id: r.id as string,
      workspaceId: r.workspace_id as string,
      masterKeyId: r.master_key_id as string,
      iv: r.iv as string,
      tag: r.tag as string,
      wrappedKey: r.wrapped_key as string,
      createdAt: r.created_at as number,
    };
  }
  #params(r: CredentialRecord) {
    return [
      r.id,
      r.workspaceId,
      r.type,
      r.name,
      r.keyId,
      r.iv,
      r.tag,
      r.ciphertext,
      r.createdAt,
      r.status,
      r.statusReason,
    ];
  }

  async insert(r: CredentialRecord): Promise<void> {
    this.db.prepare('INSERT INTO credentials VALUES (?,?,?,?,?,?,?,?,?,?,?)').run(...this.#params(r));
  }
  async update(r: CredentialRecord): Promise<void> {
    const res = this.db
      .prepare(
        'UPDATE credentials SET type=?, name=?, key_id=?, iv=?, tag=?, ciphertext=?, status=?, status_reason=? WHERE workspace_id=? AND id=?',
      )
      .run(r.type, r.name, r.keyId, r.iv, r.tag, r.ciphertext, r.status, r.statusReason, r.workspaceId, r.id);
    if (res.changes === 0) throw new Error(`Credential ${r.id} not found in workspace ${r.workspaceId}`);
  }
  async get(workspaceId: string, id: string) {
    return this.#row(
      this.db.prepare('SELECT * FROM credentials WHERE workspace_id=? AND id=?').get(workspaceId, id) as
        | Record<string, unknown>
        | undefined,
    );
  }
  async list(workspaceId: string) {
    const rows = this.db.prepare('SELECT * FROM credentials WHERE workspace_id=?').all(workspaceId);
    return rows.map((r) => this.#row(r as Record<string, unknown>)!);
  }
  async delete(workspaceId: string, id: string) {
    return this.db.prepare('DELETE FROM credentials WHERE workspace_id=? AND id=?').run(workspaceId, id).changes > 0;
  }
  async getDataKey(workspaceId: string) {
    const r = this.db.prepare('SELECT * FROM data_keys WHERE workspace_id=?').get(workspaceId);
    return r ? this.#key(r as Record<string, unknown>) : undefined;
  }
  async insertDataKey(k: DataKeyRecord) {
    const res = this.db
      .prepare('INSERT OR IGNORE INTO data_keys VALUES (?,?,?,?,?,?,?)')
      .run(k.id, k.workspaceId, k.masterKeyId, k.iv, k.tag, k.wrappedKey, k.createdAt);
    return res.changes > 0;
  }
  async listDataKeys(exceptMasterKeyId?: string) {
    const rows = this.db.prepare('SELECT * FROM data_keys WHERE master_key_id IS NOT ?').all(exceptMasterKeyId ?? null);
    return rows.map((r) => this.#key(r as Record<string, unknown>));
  }
  async rewrapDataKey(
    id: string,
    expected: string,
    w: Pick<DataKeyRecord, 'masterKeyId' | 'iv' | 'tag' | 'wrappedKey'>,
  ) {
    const res = this.db
      .prepare('UPDATE data_keys SET master_key_id=?, iv=?, tag=?, wrapped_key=? WHERE id=? AND master_key_id=?')
      .run(w.masterKeyId, w.iv, w.tag, w.wrappedKey, id, expected);
    return res.changes > 0;
  }
}
