import type {
  ArchivableAuditStore,
  AuditArchive,
  AuditCheckpoint,
  AuditHead,
  AuditQuery,
  AuditRecord,
  SealedAuditEntry,
} from '@weft/engine';

import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { AuditLogTable, WeftDatabase } from '../schema.js';

/**
 * The engine's {@link ArchivableAuditStore}, as `@weft/compliance` uses it, on SQLite and Postgres
 * (migrations 9 and 13). An append locks the workspace's row in `audit_heads` inside a transaction (`FOR UPDATE` on
 * Postgres; SQLite takes its single write lock at the first write), so concurrent appends from any
 * number of processes extend one chain. The database refuses UPDATE and DELETE of entries.
 *
 * @example
 * ```ts
 * const log = new AuditLog({ store: new SqlAuditStore({ db, dialect: 'postgres' }), signer });
 * ```
 */
export class SqlAuditStore implements ArchivableAuditStore {
  readonly #db: Kysely<WeftDatabase>;
  readonly #dialect: HostDb['dialect'];

  constructor(h: HostDb) {
    this.#db = h.db;
    this.#dialect = h.dialect;
  }

  async append(workspaceId: string, seal: (head: AuditHead) => Promise<SealedAuditEntry>): Promise<AuditRecord> {
    return this.#db.transaction().execute(async (trx) => {
      await trx
        .insertInto('audit_heads')
        .values({ workspace_id: workspaceId, position: 0, hash: '' })
        .onConflict((oc) => oc.column('workspace_id').doNothing())
        .execute();
      let q = trx.selectFrom('audit_heads').select(['position', 'hash']).where('workspace_id', '=', workspaceId);
      if (this.#dialect === 'postgres') q = q.forUpdate();
      const head = await q.executeTakeFirstOrThrow();
      const e = await seal({ position: Number(head.position), hash: head.hash });
      const { seq } = await trx.insertInto('audit_log').values(toRow(e)).returning('seq').executeTakeFirstOrThrow();
      await trx
        .updateTable('audit_heads')
        .set({ position: e.position, hash: e.hash })
        .where('workspace_id', '=', workspaceId)
        .execute();
      return { ...e, seq: Number(seq) };
    });
  }

  async head(workspaceId: string): Promise<AuditHead> {
    const r = await this.#db
      .selectFrom('audit_heads')
      .select(['position', 'hash'])
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return r ? { position: Number(r.position), hash: r.hash } : { position: 0, hash: '' };
  }

  async list(query: AuditQuery): Promise<AuditRecord[]> {
    let q = this.#db.selectFrom('audit_log').selectAll().where('workspace_id', '=', query.workspaceId);
    if (query.before !== undefined) q = q.where('seq', '<', query.before);
    if (query.actorId !== undefined) q = q.where('actor_id', '=', query.actorId);
    if (query.action !== undefined)
      q = query.action.endsWith('.')
        ? q.where(sql<string>`substr(action, 1, ${query.action.length})`, '=', query.action)
        : q.where('action', '=', query.action);
    if (query.resourceType !== undefined) q = q.where('resource_type', '=', query.resourceType);
    if (query.resourceId !== undefined) q = q.where('resource_id', '=', query.resourceId);
    if (query.outcome !== undefined) q = q.where('outcome', '=', query.outcome);
    if (query.from !== undefined) q = q.where('at', '>=', query.from);
    if (query.to !== undefined) q = q.where('at', '<', query.to);
    const rows = await q.orderBy('seq', 'desc').limit(query.limit).execute();
    return rows.map(fromRow);
  }

  async walk(workspaceId: string, afterSeq: number, limit: number): Promise<AuditRecord[]> {
    const rows = await this.#db
      .selectFrom('audit_log')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(fromRow);
  }

  async addCheckpoint(c: AuditCheckpoint): Promise<void> {
    await this.#db
      .insertInto('audit_checkpoints')
      .values({
        workspace_id: c.workspaceId,
        position: c.position,
        hash: c.hash,
        at: c.at,
        key_id: c.keyId,
        signature: c.signature,
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'position']).doNothing())
      .execute();
  }

  async checkpoints(workspaceId: string): Promise<AuditCheckpoint[]> {
    const rows = await this.#db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('position')
      .execute();
    return rows.map((r) => ({
      workspaceId: r.workspace_id,
      position: Number(r.position),
      hash: r.hash,
      at: Number(r.at),
      keyId: r.key_id,
      signature: r.signature,
    }));
  }

  /** Signed archive statements of a workspace, oldest first (migration 13). */
  async archives(workspaceId: string): Promise<AuditArchive[]> {
    const rows = await this.#db
      .selectFrom('audit_archives')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('through_position')
      .execute();
    return rows.map((r) => ({
      workspaceId: r.workspace_id,
      fromPosition: Number(r.from_position),
      throughPosition: Number(r.through_position),
      throughHash: r.through_hash,
      location: r.location,
      sha256: r.sha256,
      at: Number(r.at),
      keyId: r.key_id,
      signature: r.signature,
    }));
  }

  async addArchive(a: AuditArchive): Promise<void> {
    await this.#db
      .insertInto('audit_archives')
      .values({
        workspace_id: a.workspaceId,
        from_position: a.fromPosition,
        through_position: a.throughPosition,
        through_hash: a.throughHash,
        location: a.location,
        sha256: a.sha256,
        at: a.at,
        key_id: a.keyId,
        signature: a.signature,
      })
      .execute();
  }

  /** Deletes archived entries; the database refuses to delete any an archive does not cover. */
  async prune(workspaceId: string, throughPosition: number): Promise<number> {
    const r = await this.#db
      .deleteFrom('audit_log')
      .where('workspace_id', '=', workspaceId)
      .where('position', '<=', throughPosition)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async workspaces(): Promise<string[]> {
    const rows = await this.#db.selectFrom('audit_heads').select('workspace_id').orderBy('workspace_id').execute();
    return rows.map((r) => r.workspace_id);
  }
}

function toRow(e: SealedAuditEntry): Insertable<AuditLogTable> {
  return {
    workspace_id: e.workspaceId,
    position: e.position,
    at: e.at,
    actor_type: e.actor.type,
    actor_id: e.actor.id,
    action: e.action,
    resource_type: e.resource.type,
    resource_id: e.resource.id,
    outcome: e.outcome,
    ip: e.ip,
    user_agent: e.userAgent,
    request_id: e.requestId,
    changes: e.changes === null ? null : JSON.stringify(e.changes),
    prev_hash: e.prevHash,
    hash: e.hash,
  };
}

function fromRow(r: Selectable<AuditLogTable>): AuditRecord {
  return {
    seq: Number(r.seq),
    workspaceId: r.workspace_id,
    position: Number(r.position),
    at: Number(r.at),
    actor: { type: r.actor_type as AuditRecord['actor']['type'], id: r.actor_id },
    action: r.action,
    resource: { type: r.resource_type, id: r.resource_id },
    outcome: r.outcome as AuditRecord['outcome'],
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    changes: r.changes === null ? null : (JSON.parse(r.changes) as Record<string, unknown>),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
