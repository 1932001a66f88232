import { sql } from 'kysely';
import type { Migration } from '../migration.js';

/**
 * Migration 9: the tamper-evident audit log (`@weft/compliance`). Replaces the unused `audit_log`
 * of migration 1 (nothing ever wrote it) with one row per entry, holding every hashed field in
 * its own column; `audit_heads` holds each workspace's chain head, the row appends lock
 * (`SELECT ... FOR UPDATE` on Postgres; SQLite has one writer); `audit_checkpoints` holds signed
 * heads. `changes` is text, not jsonb, so what was hashed is what is read back.
 *
 * Entries and checkpoints are append-only in the database itself: SQLite triggers abort UPDATE
 * and DELETE; on Postgres a trigger raises on UPDATE, DELETE and TRUNCATE. Operators should also
 * revoke those privileges from the role the host connects as, which a migration cannot know:
 * `REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, audit_checkpoints FROM weft_app;`
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite', migrations: weftMigrations });
 * ```
 */
export const auditTables: Migration = {
  version: 9,
  name: 'hash-chained audit log, chain heads and signed checkpoints',
  async up(db, { types: t, dialect, schema }) {
    await db.schema.dropTable('audit_log').execute();
    await db.schema
      .createTable('audit_log')
      .addColumn('seq', t.serial, (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('position', t.millis, (c) => c.notNull())
      .addColumn('at', t.millis, (c) => c.notNull())
      .addColumn('actor_type', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('resource_type', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('ip', 'text')
      .addColumn('user_agent', 'text')
      .addColumn('request_id', 'text')
      .addColumn('changes', 'text')
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_workspace').on('audit_log').columns(['workspace_id', 'seq']).execute();
    await db.schema
      .createTable('audit_heads')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey())
      .addColumn('position', t.millis, (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('position', t.millis, (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('at', t.millis, (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_checkpoints_pk', ['workspace_id', 'position'])
      .execute();
    for (const table of ['audit_log', 'audit_checkpoints']) {
      if (dialect === 'sqlite') {
        for (const op of ['update', 'delete'])
          await sql
            .raw(
              `create trigger ${table}_no_${op} before ${op} on ${table} begin select raise(abort, '${table} is append-only'); end`,
            )
            .execute(db);
      } else {
        const fn = sql.id(schema ?? 'public', 'weft_append_only');
        const target = sql.id(schema ?? 'public', table);
        await sql`create or replace function ${fn}() returns trigger language plpgsql as $$ begin raise exception '% is append-only', tg_table_name; end $$`.execute(
          db,
        );
        await sql`create trigger ${sql.id(`${table}_append_only`)} before update or delete on ${target} for each row execute function ${fn}()`.execute(
          db,
        );
        await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${target} for each statement execute function ${fn}()`.execute(
          db,
        );
      }
    }
  },
};
