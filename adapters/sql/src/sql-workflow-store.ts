import type { Page, StoredWorkflow, Workflow, WorkflowStore } from '@weft/engine';
import { type Kysely, sql } from 'kysely';
import type { WeftDatabase } from './schema.js';
import { decodeJson, encodeJson, millis, type SqlDialectName } from './sql-dialect.js';

/**
 * {@link WorkflowStore} over the shared SQL schema. Each save inserts an immutable row in
 * `workflow_versions` and bumps the workflow's `latest_version` atomically, so concurrent saves
 * get distinct, increasing versions.
 *
 * @example
 * ```ts
 * const workflows = new SqlWorkflowStore({ db, dialect: 'postgres' });
 * const { version } = await workflows.save('ws1', { id: 'wf1', name: 'Orders', nodes: [], connections: [] });
 * ```
 */
export class SqlWorkflowStore implements WorkflowStore {
  readonly #db: Kysely<WeftDatabase>;
  readonly #dialect: SqlDialectName;

  constructor(options: { db: Kysely<WeftDatabase>; dialect: SqlDialectName }) {
    this.#db = options.db;
    this.#dialect = options.dialect;
  }

  async save(workspaceId: string, workflow: Workflow & { id: string }): Promise<StoredWorkflow> {
    if (!workflow.id) throw new Error(`Cannot save a workflow without an id in workspace ${workspaceId}`);
    const now = Date.now();
    return this.#db.transaction().execute(async (trx) => {
      let bumped = await this.#bump(trx, workspaceId, workflow, now);
      if (!bumped) {
        await trx
          .insertInto('workflows')
          .values({
            workspace_id: workspaceId,
            id: workflow.id,
            name: workflow.name,
            latest_version: 0,
            latest_seq: 0,
            active: 0,
            created_at: now,
            updated_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .execute();
        bumped = await this.#bump(trx, workspaceId, workflow, now);
      }
      if (!bumped) throw new Error(`Workflow ${workflow.id} vanished while saving it in workspace ${workspaceId}`);
      const version = Number(bumped.latest_version);
      const stored = { ...structuredClone(workflow), version };
      const { seq } = await trx
        .insertInto('workflow_versions')
        .values({
          workspace_id: workspaceId,
          workflow_id: workflow.id,
          version,
          definition: encodeJson(stored),
          created_at: now,
        })
        .returning('seq')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('workflows')
        .set({ latest_seq: seq })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', workflow.id)
        .execute();
      return {
        workspaceId,
        id: workflow.id,
        version,
        workflow: stored,
        active: Number(bumped.active) === 1,
        createdAt: now,
      };
    });
  }

  #bump(trx: Kysely<WeftDatabase>, workspaceId: string, workflow: Workflow & { id: string }, now: number) {
    return trx
      .updateTable('workflows')
      .set({ latest_version: sql`latest_version + 1`, name: workflow.name, updated_at: now })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', workflow.id)
      .returning(['latest_version', 'active'])
      .executeTakeFirst();
  }

  async get(workspaceId: string, workflowId: string): Promise<StoredWorkflow | undefined> {
    const row = await this.#latest(workspaceId).where('w.id', '=', workflowId).executeTakeFirst();
    return row && this.#toStored(row);
  }

  async getVersion(workspaceId: string, workflowId: string, version: number): Promise<StoredWorkflow | undefined> {
    const row = await this.#db
      .selectFrom('workflow_versions as v')
      .innerJoin('workflows as w', (j) =>
        j.onRef('w.workspace_id', '=', 'v.workspace_id').onRef('w.id', '=', 'v.workflow_id'),
      )
      .select([
        'v.workspace_id',
        'v.workflow_id',
        'v.version',
        'v.definition',
        'v.created_at',
        'w.active',
        'w.latest_seq',
      ])
      .where('v.workspace_id', '=', workspaceId)
      .where('v.workflow_id', '=', workflowId)
      .where('v.version', '=', version)
      .executeTakeFirst();
    return row && this.#toStored(row);
  }

  async list(workspaceId: string, options: { limit?: number; cursor?: string } = {}): Promise<Page<StoredWorkflow>> {
    const limit = Math.max(1, options.limit ?? 50);
    const before = options.cursor === undefined ? undefined : Number(options.cursor);
    if (before !== undefined && !Number.isFinite(before))
      throw new Error(`Invalid workflows cursor: ${options.cursor}`);
    const rows = await this.#latest(workspaceId)
      .$if(before !== undefined, (q) => q.where('w.latest_seq', '<', before as number))
      .orderBy('w.latest_seq', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map((r) => this.#toStored(r));
    const last = rows[limit - 1];
    return rows.length > limit && last ? { items, nextCursor: String(millis(last.latest_seq)) } : { items };
  }

  #latest(workspaceId: string) {
    return this.#db
      .selectFrom('workflows as w')
      .innerJoin('workflow_versions as v', (j) =>
        j
          .onRef('v.workspace_id', '=', 'w.workspace_id')
          .onRef('v.workflow_id', '=', 'w.id')
          .onRef('v.version', '=', 'w.latest_version'),
      )
      .select([
        'v.workspace_id',
        'v.workflow_id',
        'v.version',
        'v.definition',
        'v.created_at',
        'w.active',
        'w.latest_seq',
      ])
      .where('w.workspace_id', '=', workspaceId);
  }

  #toStored(row: {
    workspace_id: string;
    workflow_id: string;
    version: number;
    definition: unknown;
    created_at: number | string;
    active: number;
  }): StoredWorkflow {
    return {
      workspaceId: row.workspace_id,
      id: row.workflow_id,
      version: Number(row.version),
      workflow: decodeJson(this.#dialect, row.definition) as Workflow,
      active: Number(row.active) === 1,
      createdAt: millis(row.created_at),
    };
  }

  async setActive(workspaceId: string, workflowId: string, active: boolean): Promise<void> {
    const r = await this.#db
      .updateTable('workflows')
      .set({ active: active ? 1 : 0 })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', workflowId)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new Error(`Workflow ${workflowId} not found in workspace ${workspaceId}`);
  }

  async delete(workspaceId: string, workflowId: string): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('workflow_versions')
        .where('workspace_id', '=', workspaceId)
        .where('workflow_id', '=', workflowId)
        .execute();
      const r = await trx
        .deleteFrom('workflows')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', workflowId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }
}
