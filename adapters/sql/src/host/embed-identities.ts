import type { Migration } from '../migration.js';

/**
 * Migration 4: embed authentication. `embed_users` and `embed_workspaces` map an embedding
 * product's ids (keyed by its token issuer) to the host's users and workspaces provisioned just in
 * time; `embed_sessions` keeps, per host session opened with an embed token, the one workspace it
 * is scoped to and the connector allow-list of the token.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite', migrations: [initialSchema, hostTables, embedIdentities] });
 * ```
 */
export const embedIdentities: Migration = {
  version: 4,
  name: 'embed users, workspaces and sessions',
  async up(db, { types: t }) {
    const s = db.schema;
    await s
      .createTable('embed_users')
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('embed_users_pk', ['issuer', 'external_id'])
      .execute();
    await s
      .createTable('embed_workspaces')
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('embed_workspaces_pk', ['issuer', 'external_id'])
      .execute();
    await s
      .createTable('embed_sessions')
      .addColumn('session_id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('connectors', t.json)
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .execute();
  },
};
