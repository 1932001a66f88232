import type { Item, Workflow } from '@weft/engine';
import type { Kysely } from 'kysely';
import type { MillisColumn } from '../schema.js';
import { millis } from '../sql-dialect.js';
import { fromJson, type HostDb, toJson } from './host-database.js';

/** One step-through debug session: what it debugs and how. */
export interface DebugSessionRecord {
  id: string;
  workspaceId: string;
  /** The paused execution (mode `debug`) the session drives. */
  executionId: string;
  workflowId: string;
  /** The stored version debugged; 0 for an unsaved draft. */
  workflowVersion: number;
  /** The document debugged, kept because a draft has no stored version to load it from. */
  workflow: Workflow;
  /** Main output items to use instead of running a node, by node name. */
  pinData: Record<string, Item[]>;
  /** Node names or ids `continue` pauses before. */
  breakpoints: string[];
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

interface DebugSessionTables {
  debug_sessions: {
    id: string;
    workspace_id: string;
    execution_id: string;
    workflow_id: string;
    workflow_version: number;
    definition: unknown;
    pin_data: unknown;
    breakpoints: unknown;
    created_by: string;
    created_at: MillisColumn;
    updated_at: MillisColumn;
    lease_until: MillisColumn | null;
  };
}

type Row = DebugSessionTables['debug_sessions'];

/**
 * The `debug_sessions` table (migration 6). A session is leased while a request drives its
 * execution, so two steps never run at once, across processes too.
 *
 * @example
 * ```ts
 * const store = new DebugSessionStore(runtime.h);
 * if (await store.lease('ws1', id, Date.now() + 60_000)) {
 *   try { ... } finally { await store.release('ws1', id); }
 * }
 * ```
 */
export class DebugSessionStore {
  readonly #db: Kysely<DebugSessionTables>;

  constructor(h: HostDb) {
    this.#db = h.db as unknown as Kysely<DebugSessionTables>;
  }

  async create(r: DebugSessionRecord): Promise<void> {
    await this.#db
      .insertInto('debug_sessions')
      .values({
        id: r.id,
        workspace_id: r.workspaceId,
        execution_id: r.executionId,
        workflow_id: r.workflowId,
        workflow_version: r.workflowVersion,
        definition: toJson(r.workflow),
        pin_data: toJson(r.pinData),
        breakpoints: toJson(r.breakpoints),
        created_by: r.createdBy,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
        lease_until: null,
      })
      .execute();
  }

  /** The session, only when it belongs to `workspaceId`. */
  async get(workspaceId: string, id: string): Promise<DebugSessionRecord | undefined> {
    const row = await this.#db
      .selectFrom('debug_sessions')
      .selectAll()
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /**
   * Takes the session's lease until `until` (epoch ms) unless another holder's lease is still
   * running, saving changed pin data or breakpoints with it; true when taken.
   */
  async lease(
    workspaceId: string,
    id: string,
    until: number,
    changes: { pinData?: Record<string, Item[]>; breakpoints?: string[] } = {},
  ): Promise<boolean> {
    const now = Date.now();
    const r = await this.#db
      .updateTable('debug_sessions')
      .set({
        lease_until: until,
        updated_at: now,
        ...(changes.pinData ? { pin_data: toJson(changes.pinData) } : {}),
        ...(changes.breakpoints ? { breakpoints: toJson(changes.breakpoints) } : {}),
      })
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Ends the lease. */
  async release(workspaceId: string, id: string): Promise<void> {
    await this.#db
      .updateTable('debug_sessions')
      .set({ lease_until: null, updated_at: Date.now() })
      .where('id', '=', id)
      .where('workspace_id', '=', workspaceId)
      .execute();
  }
}

function toRecord(row: Row): DebugSessionRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    executionId: row.execution_id,
    workflowId: row.workflow_id,
    workflowVersion: Number(row.workflow_version),
    workflow: fromJson<Workflow>(row.definition),
    pinData: fromJson<Record<string, Item[]>>(row.pin_data),
    breakpoints: fromJson<string[]>(row.breakpoints),
    createdBy: row.created_by,
    createdAt: millis(row.created_at),
    updatedAt: millis(row.updated_at),
  };
}
