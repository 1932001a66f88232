import type { Kysely } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { Migration } from '../migration.js';
import type { WeftDatabase } from '../schema.js';
import { millis } from '../sql-dialect.js';

/**
 * Migration 21: `workspace_regions`, the data-residency map of the control database (issue 13,
 * ADR 0014). One row per workspace created while regions are configured: the region whose
 * database and blob store hold all of the workspace's data. The row is written once, at
 * creation, and never updated: a workspace's region is fixed. The table is created in every
 * database (control and regions alike) so one migration list serves them all; only the control
 * database ever has rows.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'postgres', migrations: weftMigrations });
 * ```
 */
export const workspaceRegions: Migration = {
  version: 21,
  name: 'workspace regions (data residency)',
  async up(db) {
    await db.schema
      .createTable('workspace_regions')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};

/** One workspace's region, as {@link SqlWorkspaceRegions} answers it. */
export interface WorkspaceRegion {
  workspaceId: string;
  region: string;
  createdAt: number;
}

/**
 * The control database's workspace -> region map (migration 21). `assign` refuses to move a
 * workspace that already has a region: residency is fixed at creation.
 *
 * @example
 * ```ts
 * const regions = new SqlWorkspaceRegions(controlDb);
 * await regions.assign('ws_1', 'eu');
 * await regions.regionOf('ws_1'); // 'eu'
 * ```
 */
export class SqlWorkspaceRegions {
  readonly #db: Kysely<WeftDatabase>;

  constructor(h: HostDb) {
    this.#db = h.db;
  }

  /** Records the region of a new workspace; throws when the workspace already has another one. */
  async assign(workspaceId: string, region: string, now = Date.now()): Promise<void> {
    const inserted = await this.#db
      .insertInto('workspace_regions')
      .values({ workspace_id: workspaceId, region, created_at: now })
      .onConflict((oc) => oc.column('workspace_id').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return;
    const held = await this.regionOf(workspaceId);
    if (held !== region)
      throw new Error(`Workspace ${workspaceId} already lives in region "${held}"; a workspace's region is fixed`);
  }

  /** The workspace's region, or undefined when it has none (created before regions were configured). */
  async regionOf(workspaceId: string): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('workspace_regions')
      .select('region')
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return row?.region;
  }

  /** Every workspace with its region, oldest first. */
  async list(): Promise<WorkspaceRegion[]> {
    const rows = await this.#db.selectFrom('workspace_regions').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({ workspaceId: r.workspace_id, region: r.region, createdAt: millis(r.created_at) }));
  }
}
