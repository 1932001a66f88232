import { checkLeaseMs, type JsonValue, type ScheduleLock, type TriggerStateStore } from '@weft/engine';
import { fromJson, type HostDb, toJson } from './host-database.js';

const LOCKS = '~lock';

/**
 * Trigger state (e.g. a schedule's last fire time) and schedule tick locks in the shared
 * `trigger_state` table, so several host processes fire each tick exactly once. A state scope is
 * `<workspace>/<workflow>/<node>`; a lock row holds its lease end in `updated_at`.
 *
 * @example
 * ```ts
 * const store = new SqlTriggerState({ db, dialect: 'sqlite' });
 * await runDueTicks(trigger, { state: store, lock: store }, fire);
 * ```
 */
export class SqlTriggerState implements TriggerStateStore, ScheduleLock {
  constructor(readonly h: HostDb) {}

  #where(scope: string) {
    const i = scope.indexOf('/');
    return i < 0 ? { ws: scope, rest: '' } : { ws: scope.slice(0, i), rest: scope.slice(i + 1) };
  }

  async get(scope: string, key: string): Promise<JsonValue | undefined> {
    const { ws, rest } = this.#where(scope);
    const row = await this.h.db
      .selectFrom('trigger_state')
      .select('state')
      .where('workspace_id', '=', ws)
      .where('workflow_id', '=', rest)
      .where('node_id', '=', key)
      .executeTakeFirst();
    if (!row) return undefined;
    // Postgres hands jsonb back parsed (a stored JSON string arrives as a plain string); SQLite keeps text.
    return this.h.dialect === 'postgres' ? (row.state as JsonValue) : fromJson<JsonValue>(row.state);
  }

  async set(scope: string, key: string, value: JsonValue): Promise<void> {
    const { ws, rest } = this.#where(scope);
    const now = Date.now();
    await this.h.db
      .insertInto('trigger_state')
      .values({ workspace_id: ws, workflow_id: rest, node_id: key, state: toJson(value), updated_at: now })
      .onConflict((oc) =>
        oc.columns(['workspace_id', 'workflow_id', 'node_id']).doUpdateSet({ state: toJson(value), updated_at: now }),
      )
      .execute();
  }

  async delete(scope: string, key: string): Promise<void> {
    const { ws, rest } = this.#where(scope);
    await this.h.db
      .deleteFrom('trigger_state')
      .where('workspace_id', '=', ws)
      .where('workflow_id', '=', rest)
      .where('node_id', '=', key)
      .execute();
  }

  /** Takes `key` for `ttlMs` unless someone holds an unexpired lease on it. */
  async acquire(key: string, ttlMs: number): Promise<boolean> {
    checkLeaseMs('SqlTriggerState', key, ttlMs);
    const now = Date.now();
    const until = now + Math.ceil(ttlMs);
    const r = await this.h.db
      .insertInto('trigger_state')
      .values({ workspace_id: LOCKS, workflow_id: key, node_id: '', state: 'null', updated_at: until })
      .onConflict((oc) =>
        oc
          .columns(['workspace_id', 'workflow_id', 'node_id'])
          .doUpdateSet({ updated_at: until })
          .where('trigger_state.updated_at', '<', now),
      )
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Drops lock rows whose lease ended before `before`. */
  async pruneLocks(before: number): Promise<void> {
    await this.h.db
      .deleteFrom('trigger_state')
      .where('workspace_id', '=', LOCKS)
      .where('updated_at', '<', before)
      .execute();
  }
}
