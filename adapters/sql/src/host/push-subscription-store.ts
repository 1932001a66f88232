import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { MillisColumn } from '../schema.js';
import { millis } from '../sql-dialect.js';
import { fromJson, type HostDb, toJson } from './host-database.js';

/**
 * Events a push subscription can ask for: a workflow failed, an execution waits for approval, or an
 * analytics alert (SLO burn rate, anomaly) started or resolved in the workspace.
 */
export type PushEventKind = 'workflow-failed' | 'approval-required' | 'alert';

/** One browser's push subscription for one user in one workspace. */
export interface PushSubscriptionRecord {
  id: string;
  workspaceId: string;
  userId: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  events: PushEventKind[];
  createdAt: number;
}

interface PushTables {
  push_subscriptions: {
    id: string;
    workspace_id: string;
    user_id: string;
    endpoint: string;
    keys: unknown;
    events: unknown;
    created_at: MillisColumn;
  };
}

/**
 * The `push_subscriptions` table (migration 3): Web Push subscriptions per user and workspace.
 * Saving the same endpoint again for the same user and workspace replaces its keys and events.
 *
 * @example
 * ```ts
 * const store = new PushSubscriptionStore(runtime.h);
 * await store.save({ workspaceId, userId, endpoint, keys, events: ['workflow-failed'] });
 * ```
 */
export class PushSubscriptionStore {
  readonly #db: Kysely<PushTables>;

  constructor(h: HostDb) {
    this.#db = h.db as unknown as Kysely<PushTables>;
  }

  /** Inserts or replaces the subscription of (workspace, user, endpoint); returns its id. */
  async save(input: Omit<PushSubscriptionRecord, 'id' | 'createdAt'>): Promise<string> {
    const values = {
      id: randomUUID(),
      workspace_id: input.workspaceId,
      user_id: input.userId,
      endpoint: input.endpoint,
      keys: toJson(input.keys),
      events: toJson(input.events),
      created_at: Date.now(),
    };
    const row = await this.#db
      .insertInto('push_subscriptions')
      .values(values)
      .onConflict((oc) =>
        oc.columns(['user_id', 'workspace_id', 'endpoint']).doUpdateSet({ keys: values.keys, events: values.events }),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Deletes a user's subscription in a workspace; whether one existed. */
  async remove(workspaceId: string, userId: string, endpoint: string): Promise<boolean> {
    const r = await this.#db
      .deleteFrom('push_subscriptions')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .where('endpoint', '=', endpoint)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Deletes one subscription by id (the push service answered 404/410: it is gone). */
  async removeById(id: string): Promise<void> {
    await this.#db.deleteFrom('push_subscriptions').where('id', '=', id).execute();
  }

  /** The subscriptions of a workspace that asked for `event`. */
  async forEvent(workspaceId: string, event: PushEventKind): Promise<PushSubscriptionRecord[]> {
    return (await this.list(workspaceId)).filter((s) => s.events.includes(event));
  }

  /** The subscriptions of a workspace, optionally only one user's. */
  async list(workspaceId: string, userId?: string): Promise<PushSubscriptionRecord[]> {
    let q = this.#db.selectFrom('push_subscriptions').selectAll().where('workspace_id', '=', workspaceId);
    if (userId !== undefined) q = q.where('user_id', '=', userId);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      workspaceId: r.workspace_id,
      userId: r.user_id,
      endpoint: r.endpoint,
      keys: fromJson<{ p256dh: string; auth: string }>(r.keys),
      events: fromJson<PushEventKind[]>(r.events),
      createdAt: millis(r.created_at),
    }));
  }
}
