import { sql } from 'kysely';
import type { Migration } from '../migration.js';

/**
 * Migration 13: what `@weft/compliance` keeps beside the audit chain of migration 9.
 *
 * - `scan_runs`: every security scan of a workflow version (on save, on request), with its
 *   findings and counts per severity; `compliance_settings`: per workspace, the severity at which
 *   activation is refused and the trigger-input paths that name a data subject.
 * - `subject_keys`: one AES-256 data key per data subject (GDPR crypto-shredding, ADR 0012),
 *   wrapped with the master key and found by a keyed hash of the identifier, never the identifier;
 *   `execution_subjects` names the key an execution's payloads are sealed with; `gdpr_requests`
 *   records export and erasure requests with their deadlines.
 * - `audit_archives`: signed statements that entries up to a position were archived to a bundle;
 *   the audit delete guard now lets exactly those entries go (retention), and nothing else.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'postgres', migrations: weftMigrations });
 * ```
 */
export const complianceTables: Migration = {
  version: 13,
  name: 'scan runs, compliance settings, subject keys, GDPR requests, audit archives',
  async up(db, { types: t, dialect, schema }) {
    await db.schema
      .createTable('scan_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('workflow_version', 'integer', (c) => c.notNull())
      .addColumn('at', t.millis, (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('critical', 'integer', (c) => c.notNull())
      .addColumn('high', 'integer', (c) => c.notNull())
      .addColumn('medium', 'integer', (c) => c.notNull())
      .addColumn('low', 'integer', (c) => c.notNull())
      .addColumn('findings', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('scan_runs_workflow')
      .on('scan_runs')
      .columns(['workspace_id', 'workflow_id', 'workflow_version'])
      .execute();
    await db.schema
      .createTable('compliance_settings')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey())
      .addColumn('scan_block_severity', 'text')
      .addColumn('subject_paths', 'text')
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('subject_keys')
      .addColumn('key_id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('subject_hash', 'text', (c) => c.notNull())
      .addColumn('master_key_id', 'text', (c) => c.notNull())
      .addColumn('wrapped_key', 'text', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addUniqueConstraint('subject_keys_subject', ['workspace_id', 'subject_hash'])
      .execute();
    await db.schema
      .createTable('execution_subjects')
      .addColumn('execution_id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('execution_subjects_key')
      .on('execution_subjects')
      .columns(['workspace_id', 'key_id'])
      .execute();
    await db.schema
      .createTable('gdpr_requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('subject_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('received_at', t.millis, (c) => c.notNull())
      .addColumn('due_at', t.millis, (c) => c.notNull())
      .addColumn('completed_at', t.millis)
      .addColumn('result', 'text')
      .execute();
    await db.schema
      .createIndex('gdpr_requests_workspace')
      .on('gdpr_requests')
      .columns(['workspace_id', 'received_at'])
      .execute();
    await db.schema
      .createTable('audit_archives')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('from_position', t.millis, (c) => c.notNull())
      .addColumn('through_position', t.millis, (c) => c.notNull())
      .addColumn('through_hash', 'text', (c) => c.notNull())
      .addColumn('location', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('at', t.millis, (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_archives_pk', ['workspace_id', 'through_position'])
      .execute();
    if (dialect === 'sqlite') {
      for (const op of ['update', 'delete'])
        await sql
          .raw(
            `create trigger audit_archives_no_${op} before ${op} on audit_archives begin select raise(abort, 'audit_archives is append-only'); end`,
          )
          .execute(db);
      await sql.raw('drop trigger audit_log_no_delete').execute(db);
      await sql
        .raw(
          `create trigger audit_log_no_delete before delete on audit_log when not exists (select 1 from audit_archives a where a.workspace_id = old.workspace_id and a.through_position >= old.position) begin select raise(abort, 'audit_log is append-only: only archived entries may be pruned'); end`,
        )
        .execute(db);
      return;
    }
    const ns = schema ?? 'public';
    const appendOnly = sql.id(ns, 'weft_append_only');
    const guard = sql.id(ns, 'weft_audit_prune_guard');
    const archives = sql.id(ns, 'audit_archives');
    const log = sql.id(ns, 'audit_log');
    await sql`create trigger audit_archives_append_only before update or delete on ${archives} for each row execute function ${appendOnly}()`.execute(
      db,
    );
    await sql`create trigger audit_archives_no_truncate before truncate on ${archives} for each statement execute function ${appendOnly}()`.execute(
      db,
    );
    await sql`create or replace function ${guard}() returns trigger language plpgsql as $$ begin
      if exists (select 1 from ${archives} a where a.workspace_id = old.workspace_id and a.through_position >= old.position) then return old; end if;
      raise exception 'audit_log is append-only: only archived entries may be pruned'; end $$`.execute(db);
    await sql`drop trigger audit_log_append_only on ${log}`.execute(db);
    await sql`create trigger audit_log_append_only before update on ${log} for each row execute function ${appendOnly}()`.execute(
      db,
    );
    await sql`create trigger audit_log_prune_guard before delete on ${log} for each row execute function ${guard}()`.execute(
      db,
    );
  },
};
