import { resolve } from 'node:path';
import {
  LocalQueueSignals,
  migrate,
  SqlExecutionStore,
  type SqlStorage,
  type SqlStorageOptions,
  SqlWorkflowStore,
  type WeftDatabase,
} from '@weft/sql';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { createPrivateFile } from './create-private-file.js';
import { SqliteExecutionWriter } from './sqlite-execution-writer.js';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { SqliteQueue } from './sqlite-queue.js';

/** Options of {@link createSqliteStorage}: the {@link SqlStorageOptions} and the file's. */
export interface SqliteStorageOptions extends SqlStorageOptions {
  /** Database file, or `':memory:'`; default `./.weft/weft.db`. Created 0600, missing directories 0700. */
  filename?: string;
  /** Milliseconds a writer waits for another connection's lock; default 5000. */
  busyTimeoutMs?: number;
  /** How often a waiting worker looks for jobs written by other processes; default 250 ms. */
  pollIntervalMs?: number;
}

/** Everything Weft stores in one SQLite file: the {@link SqlStorage} contract and the connection. */
export interface SqliteStorage extends SqlStorage {
  readonly dialect: 'sqlite';
  queue: SqliteQueue;
  /** The better-sqlite3 connection. */
  database: Database.Database;
  /** Absolute path of the database file, or `:memory:`. */
  filename: string;
}

const signalsByFile = new Map<string, { signals: LocalQueueSignals; users: number }>();

/**
 * Opens (creating if needed) Weft's SQLite storage: WAL journal, `busy_timeout`,
 * `synchronous=NORMAL`, `auto_vacuum=INCREMENTAL` (set before the first table, so pruning can hand
 * pages back with `incremental_vacuum`), foreign keys on. Migrations run on open. Queue instances
 * on the same file in one process wake each other directly; other processes are polled.
 *
 * @example
 * ```ts
 * const storage = await createSqliteStorage({ filename: './.weft/weft.db' });
 * const engine = new WorkflowEngine({ workflows: storage.workflows, executions: storage.executions, queue: storage.queue });
 * // ...
 * await storage.close();
 * ```
 */
export async function createSqliteStorage(options: SqliteStorageOptions = {}): Promise<SqliteStorage> {
  const memory = options.filename === ':memory:';
  const filename = memory ? ':memory:' : resolve(options.filename ?? './.weft/weft.db');
  if (!memory) createPrivateFile(filename);
  let database: Database.Database;
  try {
    database = new Database(filename);
  } catch (err) {
    throw new Error(`Cannot open SQLite database ${filename}: ${(err as Error).message}`, { cause: err });
  }
  database.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  database.pragma('auto_vacuum = INCREMENTAL');
  if (!memory) database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');

  const db = new Kysely<WeftDatabase>({ dialect: new SqliteDialect({ database }) });
  const runMigrations = () =>
    migrate(db, { dialect: 'sqlite', ...(options.migrations ? { migrations: options.migrations } : {}) });
  try {
    if (options.migrate !== false) await runMigrations();
  } catch (err) {
    await db.destroy();
    throw err;
  }

  const shared = memory
    ? { signals: new LocalQueueSignals(), users: 1 }
    : (signalsByFile.get(filename) ?? { signals: new LocalQueueSignals(), users: 0 });
  if (!memory) {
    shared.users++;
    signalsByFile.set(filename, shared);
  }
  const blobs = options.blobs;
  const commit = new SqliteGroupCommit(database);
  const executions = new SqlExecutionStore({
    db,
    dialect: 'sqlite',
    writer: new SqliteExecutionWriter(database, commit),
    ...(blobs ? { blobs } : {}),
    prepare: (sql) => database.prepare(sql),
    ...(options.blobThresholdBytes !== undefined ? { blobThresholdBytes: options.blobThresholdBytes } : {}),
    afterPrune: async () => {
      while (database.inTransaction) await new Promise((r) => setImmediate(r));
      database.pragma('incremental_vacuum');
      if (!memory) database.pragma('wal_checkpoint(TRUNCATE)');
    },
  });
  const queue = new SqliteQueue({
    db,
    dialect: 'sqlite',
    database,
    commit,
    signals: shared.signals,
    pollIntervalMs: memory ? 0 : (options.pollIntervalMs ?? 250),
  });
  let closed = false;
  return {
    dialect: 'sqlite',
    workflows: new SqlWorkflowStore({ db, dialect: 'sqlite' }),
    executions,
    queue,
    blobs,
    migrate: runMigrations,
    async close() {
      if (closed) return;
      closed = true;
      await queue.close();
      await commit.drain();
      if (!memory && --shared.users === 0) signalsByFile.delete(filename);
      await db.destroy();
    },
    db,
    database,
    filename,
  };
}
