import type { Kysely } from 'kysely';
import type { MillisColumn } from '../schema.js';
import type { HostDb } from './host-database.js';

interface EventTriggerTables {
  event_triggers: {
    workspace_id: string;
    workflow_id: string;
    node_id: string;
    event: string;
    workflow_version: number;
    created_at: MillisColumn;
  };
}

/** One event trigger node of an active workflow version and the event it listens to. */
export interface EventTriggerRow {
  workspaceId: string;
  workflowId: string;
  workflowVersion: number;
  nodeId: string;
  event: string;
}

/**
 * The `event_triggers` table (migration 5): which active workflow versions listen to which
 * events. Every process reads the subscribers of `(workspace, event)` from it when an event is
 * published, so activations and deactivations made by other processes count at once.
 *
 * @example
 * ```ts
 * await store.replace('ws1', 'wf1', 3, [{ nodeId: 'on-order', event: 'order.created' }]);
 * await store.subscribers('ws1', 'order.created');
 * ```
 */
export class EventTriggerStore {
  readonly #db: Kysely<EventTriggerTables>;

  constructor(h: HostDb) {
    this.#db = h.db as unknown as Kysely<EventTriggerTables>;
  }

  /** The event triggers listening to `event` in a workspace. */
  async subscribers(workspaceId: string, event: string): Promise<EventTriggerRow[]> {
    const rows = await this.#db
      .selectFrom('event_triggers')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('event', '=', event)
      .execute();
    return rows.map(toRow);
  }

  /** Every row (on start, to reconcile with the active workflows). */
  async all(): Promise<EventTriggerRow[]> {
    return (await this.#db.selectFrom('event_triggers').selectAll().execute()).map(toRow);
  }

  /** Workspaces with triggers on the host's own `weft.*` events, and those events. */
  async platformEvents(): Promise<Array<{ workspaceId: string; event: string }>> {
    const rows = await this.#db
      .selectFrom('event_triggers')
      .select(['workspace_id', 'event'])
      .distinct()
      .where('event', 'like', 'weft.%')
      .execute();
    return rows.map((r) => ({ workspaceId: r.workspace_id, event: r.event }));
  }

  /** Replaces a workflow's rows with the triggers of `version` (none: the workflow listens to nothing). */
  async replace(
    workspaceId: string,
    workflowId: string,
    version: number,
    triggers: Array<{ nodeId: string; event: string }>,
  ): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('event_triggers')
        .where('workspace_id', '=', workspaceId)
        .where('workflow_id', '=', workflowId)
        .execute();
      if (triggers.length === 0) return;
      const now = Date.now();
      await trx
        .insertInto('event_triggers')
        .values(
          triggers.map((t) => ({
            workspace_id: workspaceId,
            workflow_id: workflowId,
            node_id: t.nodeId,
            event: t.event,
            workflow_version: version,
            created_at: now,
          })),
        )
        .execute();
    });
  }

  async removeWorkflow(workspaceId: string, workflowId: string): Promise<void> {
    await this.replace(workspaceId, workflowId, 0, []);
  }

  async removeWorkspace(workspaceId: string): Promise<void> {
    await this.#db.deleteFrom('event_triggers').where('workspace_id', '=', workspaceId).execute();
  }
}

function toRow(r: EventTriggerTables['event_triggers']): EventTriggerRow {
  return {
    workspaceId: r.workspace_id,
    workflowId: r.workflow_id,
    workflowVersion: Number(r.workflow_version),
    nodeId: r.node_id,
    event: r.event,
  };
}
