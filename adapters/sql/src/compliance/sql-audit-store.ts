import { type Kysely, sql } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { MillisColumn } from '../schema.js';

/** An audit entry as this store keeps it; structurally `AuditRecord` of `@weft/compliance`. */
export interface SqlAuditRecord {
  seq: number;
  workspaceId: string;
  position: number;
  at: number;
  actor: { type: 'user' | 'api-key' | 'embed-user' | 'system' | 'anonymous'; id: string };
  action: string;
  resource: { type: string; id: string | null };
  outcome: 'success' | 'failure' | 'denied';
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  changes: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

/** A signed chain head; structurally `AuditCheckpoint` of `@weft/compliance`. */
export interface SqlAuditCheckpoint {
  workspaceId: string;
  position: number;
  hash: string;
  at: number;
  keyId: string;
  signature: string;
}

/** Filters of {@link SqlAuditStore.list}; structurally `AuditQuery` of `@weft/compliance`. */
export interface SqlAuditQuery {
  workspaceId: string;
  actorId?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: SqlAuditRecord['outcome'];
  from?: number;
  to?: number;
  before?: number;
  limit: number;
}

interface AuditTables {
  audit_log: {
    seq?: number;
    workspace_id: string;
    position: MillisColumn;
    at: MillisColumn;
    actor_type: string;
    actor_id: string;
    action: string;
    resource_type: string;
    resource_id: string | null;
    outcome: string;
    ip: string | null;
    user_agent: string | null;
    request_id: string | null;
    changes: string | null;
    prev_hash: string;
    hash: string;
  };
  audit_heads: { workspace_id: string; position: MillisColumn; hash: string };
  audit_checkpoints: {
    workspace_id: string;
    position: MillisColumn;
    hash: string;
    at: MillisColumn;
    key_id: string;
    signature: string;
  };
}

type Row = AuditTables['audit_log'];

/**
 * The `@weft/compliance` `AuditStore` on SQLite and Postgres (migration 9). An append locks the
 * workspace's row in `audit_heads` inside a transaction (`FOR UPDATE` on Postgres; SQLite takes
 * its single write lock at the first write), so concurrent appends from any number of processes
 * extend one chain. The database refuses UPDATE and DELETE of entries.
 *
 * @example
 * ```ts
 * const log = new AuditLog({ store: new SqlAuditStore({ db, dialect: 'postgres' }), signer });
 * ```
 */
export class SqlAuditStore {
  readonly #db: Kysely<AuditTables>;
  readonly #dialect: HostDb['dialect'];

  constructor(h: HostDb) {
    this.#db = h.db as unknown as Kysely<AuditTables>;
    this.#dialect = h.dialect;
  }

  async append(
    workspaceId: string,
    seal: (head: { position: number; hash: string }) => Promise<Omit<SqlAuditRecord, 'seq'>>,
  ): Promise<SqlAuditRecord> {
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

  async head(workspaceId: string): Promise<{ position: number; hash: string }> {
    const r = await this.#db
      .selectFrom('audit_heads')
      .select(['position', 'hash'])
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return r ? { position: Number(r.position), hash: r.hash } : { position: 0, hash: '' };
  }

  async list(query: SqlAuditQuery): Promise<SqlAuditRecord[]> {
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

  async walk(workspaceId: string, afterSeq: number, limit: number): Promise<SqlAuditRecord[]> {
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

  async addCheckpoint(c: SqlAuditCheckpoint): Promise<void> {
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

  async checkpoints(workspaceId: string): Promise<SqlAuditCheckpoint[]> {
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

  async workspaces(): Promise<string[]> {
    const rows = await this.#db.selectFrom('audit_heads').select('workspace_id').orderBy('workspace_id').execute();
    return rows.map((r) => r.workspace_id);
  }
}

function toRow(e: Omit<SqlAuditRecord, 'seq'>): Row {
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

function fromRow(r: Row): SqlAuditRecord {
  return {
    seq: Number(r.seq),
    workspaceId: r.workspace_id,
    position: Number(r.position),
    at: Number(r.at),
    actor: { type: r.actor_type as SqlAuditRecord['actor']['type'], id: r.actor_id },
    action: r.action,
    resource: { type: r.resource_type, id: r.resource_id },
    outcome: r.outcome as SqlAuditRecord['outcome'],
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    changes: r.changes === null ? null : (JSON.parse(r.changes) as Record<string, unknown>),
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
