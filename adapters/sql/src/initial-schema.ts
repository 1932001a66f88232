import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Migration 1: every table of {@link WeftDatabase} with the indexes the stores and the queue use.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite', migrations: [initialSchema] });
 * ```
 */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  async up(db, { types: t, dialect, schema }) {
    const s = db.schema;
    await s
      .createTable('workspaces')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .execute();
    await s
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text')
      .addColumn('password_hash', 'text')
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .execute();
    await s
      .createTable('memberships')
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('memberships_pk', ['workspace_id', 'user_id'])
      .execute();

    await s
      .createTable('workflows')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('latest_version', 'integer', (c) => c.notNull())
      .addColumn('latest_seq', t.millis, (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('workflows_pk', ['workspace_id', 'id'])
      .execute();
    await s.createIndex('workflows_list').on('workflows').columns(['workspace_id', 'latest_seq']).execute();
    await s
      .createTable('workflow_versions')
      .addColumn('seq', t.serial, (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('definition', t.json, (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addUniqueConstraint('workflow_versions_version', ['workspace_id', 'workflow_id', 'version'])
      .execute();

    await s
      .createTable('executions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('workflow_version', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('input', t.json, (c) => c.notNull())
      .addColumn('output', t.json)
      .addColumn('error', t.json)
      .addColumn('wait', t.json)
      .addColumn('wait_kind', 'text')
      .addColumn('resume_at', t.millis)
      .addColumn('started_at', t.millis, (c) => c.notNull())
      .addColumn('finished_at', t.millis)
      .addColumn('parent_execution_id', 'text')
      .addColumn('idempotency_key', 'text')
      .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('start_node_id', 'text')
      .execute();
    await s.createIndex('executions_list').on('executions').columns(['workspace_id', 'started_at', 'id']).execute();
    await s
      .createIndex('executions_by_workflow')
      .on('executions')
      .columns(['workspace_id', 'workflow_id', 'started_at', 'id'])
      .execute();
    // Partial indexes: most executions have neither an idempotency key nor a timer wait, and
    // skipping them keeps the hot insert to three b-trees besides the table.
    await s
      .createIndex('executions_idempotency')
      .unique()
      .on('executions')
      .columns(['workspace_id', 'idempotency_key'])
      .where(sql.ref('idempotency_key'), 'is not', null)
      .execute();
    await s
      .createIndex('executions_due')
      .on('executions')
      .columns(['resume_at', 'id'])
      .where(sql<boolean>`wait_kind = 'timer'`)
      .execute();
    await s
      .createTable('node_runs')
      .addColumn('execution_id', 'text', (c) => c.notNull().references('executions.id').onDelete('cascade'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('node_name', 'text', (c) => c.notNull())
      .addColumn('run_index', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('payload', t.json)
      .addColumn('blob_key', 'text')
      .addColumn('started_at', t.millis, (c) => c.notNull())
      .addColumn('finished_at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('node_runs_pk', ['execution_id', 'seq'])
      .execute();

    await s
      .createTable('queue_jobs')
      .addColumn('seq', t.serial, (c) => c.primaryKey())
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('execution_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('payload', t.json)
      .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('run_at', t.millis, (c) => c.notNull())
      .addColumn('available_at', t.millis, (c) => c.notNull())
      .addColumn('enqueued_at', t.millis, (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('dedupe_key', 'text', (c) => c.unique())
      .addColumn('lease_token', 'text')
      .addColumn('lease_until', t.millis)
      .addColumn('worker_id', 'text')
      .addColumn('last_error', 'text')
      .execute();
    if (dialect === 'postgres' && schema) {
      // Wake LISTENing workers when a job becomes available (insert, or retry: run_at changes
      // while no lease is held), from the database itself: no extra round trip per enqueue.
      const fn = sql.id(schema, 'weft_notify_jobs');
      await sql`create or replace function ${fn}() returns trigger language plpgsql as $$
        begin perform pg_notify(left('weft_jobs_' || TG_TABLE_SCHEMA, 63), ''); return null; end $$`.execute(db);
      await sql`create trigger weft_queue_jobs_notify after insert or update of run_at on ${sql.id(schema, 'queue_jobs')}
        for each row when (new.lease_token is null) execute function ${fn}()`.execute(db);
    }
    await s
      .createIndex('queue_jobs_claim')
      .on('queue_jobs')
      .columns(['priority desc', 'available_at', 'seq'])
      .execute();
    await s
      .createTable('dead_letters')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('execution_id', 'text', (c) => c.notNull())
      .addColumn('job', t.json, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('error', 'text', (c) => c.notNull())
      .addColumn('failed_at', t.millis, (c) => c.notNull())
      .execute();
    await s.createIndex('dead_letters_failed').on('dead_letters').columns(['failed_at', 'id']).execute();

    await s
      .createTable('credentials')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('ciphertext', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .execute();
    await s.createIndex('credentials_workspace').on('credentials').columns(['workspace_id', 'name']).execute();
    await s
      .createTable('webhooks')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addUniqueConstraint('webhooks_route', ['method', 'path'])
      .execute();
    await s
      .createTable('schedules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('cron', 'text', (c) => c.notNull())
      .addColumn('timezone', 'text')
      .addColumn('next_run_at', t.millis)
      .addColumn('last_run_at', t.millis)
      .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
    await s.createIndex('schedules_due').on('schedules').columns(['active', 'next_run_at']).execute();
    await s
      .createTable('trigger_state')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('node_id', 'text', (c) => c.notNull())
      .addColumn('state', t.json, (c) => c.notNull())
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('trigger_state_pk', ['workspace_id', 'workflow_id', 'node_id'])
      .execute();
    await s
      .createTable('audit_log')
      .addColumn('seq', t.serial, (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text')
      .addColumn('details', t.json)
      .addColumn('at', t.millis, (c) => c.notNull())
      .addColumn('prev_hash', 'text')
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await s.createIndex('audit_log_workspace').on('audit_log').columns(['workspace_id', 'seq']).execute();
    await s
      .createTable('metric_rollups')
      .addColumn('workspace_id', 'text', (c) => c.notNull())
      .addColumn('workflow_id', 'text', (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('bucket_start', t.millis, (c) => c.notNull())
      .addColumn('bucket_ms', 'integer', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('sum', 'double precision', (c) => c.notNull())
      .addColumn('min', 'double precision')
      .addColumn('max', 'double precision')
      .addPrimaryKeyConstraint('metric_rollups_pk', [
        'workspace_id',
        'workflow_id',
        'metric',
        'bucket_ms',
        'bucket_start',
      ])
      .execute();
  },
};
