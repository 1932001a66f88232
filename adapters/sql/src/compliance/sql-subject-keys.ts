import type { SubjectKeyRow, SubjectKeyStore } from '@weft/engine';
import { type Kysely, sql } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { WeftDatabase } from '../schema.js';

export type { SubjectKeyRow } from '@weft/engine';

/**
 * The engine's {@link SubjectKeyStore}: per-subject data keys and the executions sealed with them
 * (migration 13), on SQLite and Postgres. {@link destroy} deletes a key so that its bytes leave the database files: SQLite
 * overwrites the freed cells (`secure_delete`) and checkpoints the WAL; Postgres rewrites the
 * small table (`VACUUM FULL`), so the old tuple is not left in a page.
 *
 * @example
 * ```ts
 * const keys = new SqlSubjectKeys({ db, dialect: 'sqlite' });
 * await keys.insert(row);
 * await keys.destroy('ws_1', row.keyId);
 * ```
 */
export class SqlSubjectKeys implements SubjectKeyStore {
  readonly #db: Kysely<WeftDatabase>;
  readonly #dialect: HostDb['dialect'];

  constructor(h: HostDb) {
    this.#db = h.db;
    this.#dialect = h.dialect;
  }

  /** Stores `row` unless the subject already has a key; answers the subject's key either way. */
  async insert(row: SubjectKeyRow): Promise<SubjectKeyRow> {
    await this.#db
      .insertInto('subject_keys')
      .values({
        key_id: row.keyId,
        workspace_id: row.workspaceId,
        subject_hash: row.subjectHash,
        master_key_id: row.masterKeyId,
        wrapped_key: row.wrappedKey,
        created_at: row.createdAt,
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'subject_hash']).doNothing())
      .execute();
    return (await this.bySubject(row.workspaceId, row.subjectHash)) as SubjectKeyRow;
  }

  async bySubject(workspaceId: string, subjectHash: string): Promise<SubjectKeyRow | undefined> {
    const r = await this.#db
      .selectFrom('subject_keys')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('subject_hash', '=', subjectHash)
      .executeTakeFirst();
    return r && fromRow(r);
  }

  async byId(keyId: string): Promise<SubjectKeyRow | undefined> {
    const r = await this.#db.selectFrom('subject_keys').selectAll().where('key_id', '=', keyId).executeTakeFirst();
    return r && fromRow(r);
  }

  /** Up to `limit` keys not wrapped by `masterKeyId`, in key-id order after `after` (master-key rotation). */
  async notWrappedBy(masterKeyId: string, limit: number, after = ''): Promise<SubjectKeyRow[]> {
    const rows = await this.#db
      .selectFrom('subject_keys')
      .selectAll()
      .where('master_key_id', '<>', masterKeyId)
      .where('key_id', '>', after)
      .orderBy('key_id')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }

  /**
   * Replaces a key's wrapping, only if it is still wrapped by `fromMasterKeyId` (a concurrent
   * rotation or erasure wins); answers whether it was replaced.
   */
  async rewrap(keyId: string, fromMasterKeyId: string, toMasterKeyId: string, wrappedKey: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('subject_keys')
      .set({ master_key_id: toMasterKeyId, wrapped_key: wrappedKey })
      .where('key_id', '=', keyId)
      .where('master_key_id', '=', fromMasterKeyId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async bind(workspaceId: string, executionId: string, keyId: string, now = Date.now()): Promise<void> {
    await this.#db
      .insertInto('execution_subjects')
      .values({ execution_id: executionId, workspace_id: workspaceId, key_id: keyId, created_at: now })
      .onConflict((oc) => oc.column('execution_id').doNothing())
      .execute();
  }

  async keyOfExecution(executionId: string): Promise<string | null> {
    const r = await this.#db
      .selectFrom('execution_subjects')
      .select('key_id')
      .where('execution_id', '=', executionId)
      .executeTakeFirst();
    return r?.key_id ?? null;
  }

  /** The executions sealed with a key, oldest first. */
  async executionsOf(workspaceId: string, keyId: string): Promise<string[]> {
    const rows = await this.#db
      .selectFrom('execution_subjects')
      .select('execution_id')
      .where('workspace_id', '=', workspaceId)
      .where('key_id', '=', keyId)
      .orderBy('created_at')
      .orderBy('execution_id')
      .execute();
    return rows.map((r) => r.execution_id);
  }

  /**
   * Deletes a key and its execution bindings, so that the key's bytes leave the database files;
   * answers how many executions were sealed with it.
   */
  async destroy(workspaceId: string, keyId: string): Promise<number> {
    const sqlite = this.#dialect === 'sqlite';
    if (sqlite) await sql`pragma secure_delete = on`.execute(this.#db);
    let done: { bound: number; xid: string };
    try {
      done = await this.#db.transaction().execute(async (trx) => {
        const b = await trx
          .deleteFrom('execution_subjects')
          .where('workspace_id', '=', workspaceId)
          .where('key_id', '=', keyId)
          .executeTakeFirst();
        await trx
          .deleteFrom('subject_keys')
          .where('workspace_id', '=', workspaceId)
          .where('key_id', '=', keyId)
          .execute();
        const xid = sqlite
          ? ''
          : ((await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(trx)).rows[0]?.xid ?? '');
        return { bound: Number(b.numDeletedRows), xid };
      });
    } finally {
      if (sqlite) await sql`pragma secure_delete = off`.execute(this.#db);
    }
    if (sqlite) await sql`pragma wal_checkpoint(truncate)`.execute(this.#db);
    else await this.#rewriteKeyTable(done.xid);
    return done.bound;
  }

  /**
   * `VACUUM FULL` copies the deleted tuple while any transaction older than the delete runs (it
   * may still see it, or its xid holds the horizon back), so it waits (up to 10 s) until none
   * holds a snapshot (`backend_xmin`) or an xid (`backend_xid`, a writer between statements has
   * no snapshot) from before the delete, then rewrites the key table.
   */
  async #rewriteKeyTable(xid: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()
          and ((backend_xmin is not null and age(backend_xmin) >= age(${xid}::xid8::xid))
            or (backend_xid is not null and age(backend_xid) > age(${xid}::xid8::xid)))`.execute(this.#db);
      if (!rows[0]?.n) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Raw SQL does not get the storage's schema (kysely's withSchema rewrites built queries only):
    // take the qualified name from a built one.
    const from = /from ((?:"[^"]+"\.)?"subject_keys")/.exec(
      this.#db.selectFrom('subject_keys').select('key_id').compile().sql,
    );
    await sql`vacuum full ${sql.raw(from?.[1] ?? '"subject_keys"')}`.execute(this.#db);
  }
}

function fromRow(r: {
  key_id: string;
  workspace_id: string;
  subject_hash: string;
  master_key_id: string;
  wrapped_key: string;
  created_at: number | string | bigint;
}): SubjectKeyRow {
  return {
    keyId: r.key_id,
    workspaceId: r.workspace_id,
    subjectHash: r.subject_hash,
    masterKeyId: r.master_key_id,
    wrappedKey: r.wrapped_key,
    createdAt: Number(r.created_at),
  };
}
