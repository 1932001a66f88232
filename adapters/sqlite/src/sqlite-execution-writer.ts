import type { ExecutionRow, ExecutionUpdate, ExecutionWriter, NodeRunRow } from '@weft/sql';
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteGroupCommit } from './sqlite-group-commit.js';

const EXECUTION_COLUMNS = [
  'id',
  'workspace_id',
  'workflow_id',
  'workflow_version',
  'status',
  'mode',
  'input',
  'output',
  'error',
  'wait',
  'wait_kind',
  'resume_at',
  'started_at',
  'finished_at',
  'parent_execution_id',
  'idempotency_key',
  'depth',
  'start_node_id',
] as const;

const NODE_RUN_COLUMNS = [
  'execution_id',
  'seq',
  'node_id',
  'node_name',
  'run_index',
  'status',
  'attempts',
  'payload',
  'blob_key',
  'started_at',
  'finished_at',
] as const;

/**
 * The SQLite hot path: prepared better-sqlite3 statements for create, checkpoint and update, run
 * through a {@link SqliteGroupCommit} so concurrent executions share transactions.
 *
 * @example
 * ```ts
 * const writer = new SqliteExecutionWriter(database, new SqliteGroupCommit(database));
 * const executions = new SqlExecutionStore({ db, dialect: 'sqlite', writer });
 * ```
 */
export class SqliteExecutionWriter implements ExecutionWriter {
  readonly #insertExecution: BetterSqlite3.Statement;
  readonly #insertNodeRun: BetterSqlite3.Statement;
  readonly #updates = new Map<string, BetterSqlite3.Statement>();
  // Called inside the group transaction, better-sqlite3 makes this a savepoint: a failing
  // checkpoint rolls back alone, whole.
  readonly #checkpoint: (executionId: string, rows: NodeRunRow[], set: ExecutionUpdate | undefined) => number;

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly commit: SqliteGroupCommit,
  ) {
    this.#insertExecution = database.prepare(
      `insert into executions (${EXECUTION_COLUMNS.join(', ')}) values (${EXECUTION_COLUMNS.map((c) => `@${c}`).join(', ')}) on conflict do nothing`,
    );
    this.#insertNodeRun = database.prepare(
      `insert into node_runs (${NODE_RUN_COLUMNS.join(', ')}) values (${NODE_RUN_COLUMNS.map((c) => `@${c}`).join(', ')})`,
    );
    this.#checkpoint = database.transaction((executionId: string, rows: NodeRunRow[], set?: ExecutionUpdate) => {
      for (const row of rows) this.#insertNodeRun.run(row);
      if (!set) return 1;
      const changed = this.#update(set).run({ ...set, __id: executionId }).changes;
      if (changed === 0 && rows.length > 0) throw new Error(`Execution ${executionId} not found`);
      return changed;
    });
  }

  insertExecution(row: ExecutionRow): Promise<boolean> {
    return this.commit.run(() => this.#insertExecution.run(row).changes > 0, row.id);
  }

  writeCheckpoint(executionId: string, rows: NodeRunRow[], set?: ExecutionUpdate): Promise<number> {
    return this.commit.run(() => this.#checkpoint(executionId, rows, set), executionId);
  }

  updateExecution(id: string, set: ExecutionUpdate): Promise<number> {
    const stmt = this.#update(set);
    return this.commit.run(() => stmt.run({ ...set, __id: id }).changes, id);
  }

  /** The prepared update for this set of columns. */
  #update(set: ExecutionUpdate): BetterSqlite3.Statement {
    const columns = Object.keys(set).sort();
    const key = columns.join(',');
    let statement = this.#updates.get(key);
    if (!statement) {
      statement = this.database.prepare(
        `update executions set ${columns.map((c) => `${c} = @${c}`).join(', ')} where id = @__id`,
      );
      this.#updates.set(key, statement);
    }
    return statement;
  }
}
