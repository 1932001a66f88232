import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { HostDb } from './host-database.js';

/** One registered webhook route: `METHOD /hooks/<path>` starts `workflowId` at trigger `nodeId`. */
export interface WebhookRoute {
  workspaceId: string;
  workflowId: string;
  nodeId: string;
  method: string;
  path: string;
}

/**
 * The `webhooks` table: routes of active workflows. `(method, path)` is unique across workspaces,
 * so a path taken by another workflow is refused.
 *
 * @example
 * ```ts
 * await webhooks.replace('ws1', 'wf1', [{ nodeId: 'hook', method: 'POST', path: 'orders' }]);
 * ```
 */
export class WebhookStore {
  constructor(readonly h: HostDb) {}

  async all(): Promise<WebhookRoute[]> {
    const rows = await this.h.db
      .selectFrom('webhooks')
      .select(['workspace_id', 'workflow_id', 'node_id', 'method', 'path'])
      .execute();
    return rows.map((r) => ({
      workspaceId: r.workspace_id,
      workflowId: r.workflow_id,
      nodeId: r.node_id,
      method: r.method,
      path: r.path,
    }));
  }

  /**
   * Replaces a workflow's routes. Returns the first conflicting route (owned by another workflow)
   * without changing anything, or undefined on success.
   */
  async replace(
    workspaceId: string,
    workflowId: string,
    routes: Array<{ nodeId: string; method: string; path: string }>,
  ): Promise<WebhookRoute | undefined> {
    return this.h.db.transaction().execute(async (trx) => {
      // Concurrent replaces of one workflow (two activations at once) would each delete nothing and
      // insert the same routes: on Postgres they take turns. SQLite runs one writer at a time anyway.
      if (this.h.dialect === 'postgres')
        await sql`select pg_advisory_xact_lock(hashtext(${`webhooks:${workspaceId}:${workflowId}`}))`.execute(trx);
      for (const r of routes) {
        const taken = await trx
          .selectFrom('webhooks')
          .select(['workspace_id', 'workflow_id', 'node_id', 'method', 'path'])
          .where('method', '=', r.method)
          .where('path', '=', r.path)
          .executeTakeFirst();
        if (taken && (taken.workspace_id !== workspaceId || taken.workflow_id !== workflowId)) {
          return {
            workspaceId: taken.workspace_id,
            workflowId: taken.workflow_id,
            nodeId: taken.node_id,
            method: r.method,
            path: r.path,
          };
        }
      }
      await trx
        .deleteFrom('webhooks')
        .where('workspace_id', '=', workspaceId)
        .where('workflow_id', '=', workflowId)
        .execute();
      const now = Date.now();
      for (const r of routes) {
        await trx
          .insertInto('webhooks')
          .values({
            id: randomUUID(),
            workspace_id: workspaceId,
            workflow_id: workflowId,
            node_id: r.nodeId,
            method: r.method,
            path: r.path,
            created_at: now,
          })
          .execute();
      }
      return undefined;
    });
  }

  async removeWorkflow(workspaceId: string, workflowId: string): Promise<void> {
    await this.h.db
      .deleteFrom('webhooks')
      .where('workspace_id', '=', workspaceId)
      .where('workflow_id', '=', workflowId)
      .execute();
  }
}
