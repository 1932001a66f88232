import type { Kysely, Selectable } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { WeftDatabase } from '../schema.js';

/** A data-subject request: what was asked, of whom (a keyed hash), by when, and what was done. */
export interface GdprRequest {
  id: string;
  workspaceId: string;
  kind: 'export' | 'erasure';
  subjectHash: string;
  status: 'received' | 'completed' | 'failed';
  receivedAt: number;
  /** The legal deadline (one month after receipt, GDPR Art. 12(3)). */
  dueAt: number;
  completedAt: number | null;
  /** Counts and ids of what was done; never the identifier. */
  result: Record<string, unknown> | null;
}

/**
 * The record of GDPR requests with their deadlines (migration 13).
 *
 * @example
 * ```ts
 * await new SqlGdprRequests(h).insert(request);
 * ```
 */
export class SqlGdprRequests {
  readonly #db: Kysely<WeftDatabase>;

  constructor(h: HostDb) {
    this.#db = h.db;
  }

  async insert(r: GdprRequest): Promise<void> {
    await this.#db
      .insertInto('gdpr_requests')
      .values({
        id: r.id,
        workspace_id: r.workspaceId,
        kind: r.kind,
        subject_hash: r.subjectHash,
        status: r.status,
        received_at: r.receivedAt,
        due_at: r.dueAt,
        completed_at: r.completedAt,
        result: r.result === null ? null : JSON.stringify(r.result),
      })
      .execute();
  }

  async complete(
    workspaceId: string,
    id: string,
    status: 'completed' | 'failed',
    result: Record<string, unknown>,
    now = Date.now(),
  ): Promise<void> {
    await this.#db
      .updateTable('gdpr_requests')
      .set({ status, completed_at: now, result: JSON.stringify(result) })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }

  /** Replaces a request's result (e.g. to note that its export bundle was erased). */
  async setResult(workspaceId: string, id: string, result: Record<string, unknown>): Promise<void> {
    await this.#db
      .updateTable('gdpr_requests')
      .set({ result: JSON.stringify(result) })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .execute();
  }

  /** One request of the workspace, or undefined. */
  async get(workspaceId: string, id: string): Promise<GdprRequest | undefined> {
    const row = await this.#db
      .selectFrom('gdpr_requests')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toRequest(row);
  }

  /** Every request of `kind` about the subject with this keyed hash, oldest first. */
  async ofSubject(workspaceId: string, subjectHash: string, kind: GdprRequest['kind']): Promise<GdprRequest[]> {
    const rows = await this.#db
      .selectFrom('gdpr_requests')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('subject_hash', '=', subjectHash)
      .where('kind', '=', kind)
      .orderBy('received_at')
      .orderBy('id')
      .execute();
    return rows.map(toRequest);
  }

  /**
   * Completed export requests of every workspace in this database, by id, `limit` at a time after
   * `after` (the previous page's last id): what the sweep of expired export bundles walks.
   */
  async completedExports(options: { limit: number; after?: string }): Promise<GdprRequest[]> {
    let q = this.#db
      .selectFrom('gdpr_requests')
      .selectAll()
      .where('kind', '=', 'export')
      .where('status', '=', 'completed');
    if (options.after !== undefined) q = q.where('id', '>', options.after);
    const rows = await q.orderBy('id').limit(options.limit).execute();
    return rows.map(toRequest);
  }

  /** Newest first; `before` is the `receivedAt`/`id` of the previous page's last request. */
  async list(
    workspaceId: string,
    options: { limit: number; before?: { at: number; id: string } },
  ): Promise<GdprRequest[]> {
    let q = this.#db.selectFrom('gdpr_requests').selectAll().where('workspace_id', '=', workspaceId);
    const before = options.before;
    if (before)
      q = q.where((eb) =>
        eb.or([
          eb('received_at', '<', before.at),
          eb.and([eb('received_at', '=', before.at), eb('id', '<', before.id)]),
        ]),
      );
    const rows = await q.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map(toRequest);
  }
}

function toRequest(r: Selectable<WeftDatabase['gdpr_requests']>): GdprRequest {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    kind: r.kind as GdprRequest['kind'],
    subjectHash: r.subject_hash,
    status: r.status as GdprRequest['status'],
    receivedAt: Number(r.received_at),
    dueAt: Number(r.due_at),
    completedAt: r.completed_at === null ? null : Number(r.completed_at),
    result: r.result === null ? null : (JSON.parse(r.result) as Record<string, unknown>),
  };
}
