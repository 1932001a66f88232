import { sql } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { Migration } from '../migration.js';

/**
 * Migration 26: `webhook_paths`, the control database's registry of webhook paths across regions
 * (issue 13, ADR 0014). One row per `METHOD /hooks/<path>` of an active workflow of a workspace
 * with a region: the region that serves it and the workflow that owns it. A path belongs to one
 * region, so `/hooks/<path>` is globally unique and the router knows where to send it. Created
 * in every database so one migration list serves them all; only the control database has rows.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'postgres', migrations: weftMigrations });
 * ```
 */
export const webhookPathsTable: Migration = {
  version: 26,
  name: 'webhook paths across regions (data residency)',
  async up(db) {
    await db.schema
      .createTable('webhook_paths')
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_paths_pkey', ['method', 'path'])
      .execute();
    await db.schema.createIndex('webhook_paths_path').on('webhook_paths').column('path').execute();
    await db.schema
      .createIndex('webhook_paths_owner')
      .on('webhook_paths')
      .columns(['workspace_id', 'workflow_id'])
      .execute();
  },
};

/** A webhook route as the control registry holds it. */
export interface WebhookPathClaim {
  method: string;
  path: string;
  region: string;
  workspaceId: string;
  workflowId: string;
}

/**
 * The control database's webhook path registry (migration 26): which region serves
 * `METHOD /hooks/<path>`. A path is held by one region: another region's workflow is refused it
 * whatever the method, so an incoming request has exactly one region to go to.
 *
 * @example
 * ```ts
 * const paths = new SqlWebhookPaths(controlDb);
 * await paths.claim('eu', 'ws1', 'wf1', [{ method: 'POST', path: 'orders' }]); // undefined: claimed
 * await paths.claim('us', 'ws2', 'wf2', [{ method: 'GET', path: 'orders' }]); // the EU claim: refused
 * await paths.regionOf('orders'); // 'eu'
 * ```
 */
export class SqlWebhookPaths {
  constructor(readonly h: HostDb) {}

  /**
   * Makes `routes` the workflow's claims (an empty list releases them). Returns the first claim
   * of another workflow on one of the paths — in another region, any method; in the same region,
   * the same method — without changing anything, or undefined when every path is the workflow's.
   */
  async claim(
    region: string,
    workspaceId: string,
    workflowId: string,
    routes: ReadonlyArray<{ method: string; path: string }>,
  ): Promise<WebhookPathClaim | undefined> {
    return this.h.db.transaction().execute(async (trx) => {
      // Claims of one path take turns on Postgres, so two regions cannot both see it free.
      if (this.h.dialect === 'postgres')
        for (const path of [...new Set(routes.map((r) => r.path))].sort())
          await sql`select pg_advisory_xact_lock(hashtext(${`webhook-path:${path}`}))`.execute(trx);
      for (const r of routes) {
        const held = await trx
          .selectFrom('webhook_paths')
          .selectAll()
          .where('path', '=', r.path)
          .where((eb) => eb.or([eb('method', '=', r.method), eb('region', '!=', region)]))
          .where((eb) => eb.or([eb('workspace_id', '!=', workspaceId), eb('workflow_id', '!=', workflowId)]))
          .executeTakeFirst();
        if (held)
          return {
            method: held.method,
            path: held.path,
            region: held.region,
            workspaceId: held.workspace_id,
            workflowId: held.workflow_id,
          };
      }
      await trx
        .deleteFrom('webhook_paths')
        .where('workspace_id', '=', workspaceId)
        .where('workflow_id', '=', workflowId)
        .execute();
      const now = Date.now();
      for (const r of routes)
        await trx
          .insertInto('webhook_paths')
          .values({
            method: r.method,
            path: r.path,
            region,
            workspace_id: workspaceId,
            workflow_id: workflowId,
            created_at: now,
          })
          .execute();
      return undefined;
    });
  }

  /** Records routes that exist in a region but not yet here (routes from before migration 26); returns those held elsewhere. */
  async adopt(
    region: string,
    routes: ReadonlyArray<{ workspaceId: string; workflowId: string; method: string; path: string }>,
  ): Promise<WebhookPathClaim[]> {
    const refused: WebhookPathClaim[] = [];
    for (const r of routes) {
      const held = await this.h.db
        .selectFrom('webhook_paths')
        .select('region')
        .where('path', '=', r.path)
        .where((eb) => eb.or([eb('method', '=', r.method), eb('region', '!=', region)]))
        .executeTakeFirst();
      if (held) {
        if (held.region !== region) refused.push({ ...r, region });
        continue;
      }
      await this.h.db
        .insertInto('webhook_paths')
        .values({
          method: r.method,
          path: r.path,
          region,
          workspace_id: r.workspaceId,
          workflow_id: r.workflowId,
          created_at: Date.now(),
        })
        .onConflict((oc) => oc.columns(['method', 'path']).doNothing())
        .execute();
    }
    return refused;
  }

  /** The region serving `/hooks/<path>` (any method), or undefined when no region holds it. */
  async regionOf(path: string): Promise<string | undefined> {
    const row = await this.h.db
      .selectFrom('webhook_paths')
      .select('region')
      .where('path', '=', path)
      .executeTakeFirst();
    return row?.region;
  }
}
