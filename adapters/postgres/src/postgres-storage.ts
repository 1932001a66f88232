import {
  migrate,
  SqlExecutionStore,
  SqlQueue,
  type SqlStorage,
  type SqlStorageOptions,
  SqlWorkflowStore,
  type WeftDatabase,
} from '@weft/sql';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PostgresExecutionNotices } from './postgres-execution-notices.js';
import { PostgresExecutionWriter } from './postgres-execution-writer.js';
import { PostgresQueueSignals } from './postgres-queue-signals.js';

/** Options of {@link createPostgresStorage}: a connection string or a pool you built, and the {@link SqlStorageOptions}. */
export type PostgresStorageOptions = (
  | { connectionString: string; pool?: never }
  | { pool: pg.Pool; connectionString?: never }
) &
  SqlStorageOptions & {
    /** Schema holding Weft's tables (created by the migrations); default `public`. */
    schema?: string;
    /** Pool size when a connection string is given; default 10. */
    poolSize?: number;
    /** Told about listener connection failures (it reconnects on its own). */
    onListenerError?: (error: Error) => void;
    /**
     * The primary reached without a transaction pooler, for the LISTEN connection (a session
     * feature). Give it when `connectionString` goes through PgBouncer in transaction mode;
     * everything else (queries, NOTIFY, transaction-scoped advisory locks) works through the pooler.
     */
    directConnectionString?: string;
  };

/**
 * Everything Weft stores in Postgres: the {@link SqlStorage} contract (migrations are safe to run
 * concurrently; `close` ends the pool only when it was created here) and the pool.
 */
export interface PostgresStorage extends SqlStorage {
  readonly dialect: 'postgres';
  pool: pg.Pool;
  schema: string;
  /** The LISTEN/NOTIFY wake-up channel of the queue. */
  signals: PostgresQueueSignals;
  /** Ends and parks of executions, told to every process on this schema (on the same LISTEN connection). */
  notices: PostgresExecutionNotices;
}

/**
 * Opens Weft's Postgres storage (any Postgres >= 13): stores and a `FOR UPDATE SKIP LOCKED` queue
 * sharing one pg pool, hot-path writes batched per tick, LISTEN/NOTIFY wake-ups on a dedicated
 * connection that reconnects on its own. Migrations run on open under an advisory lock.
 *
 * @example
 * ```ts
 * const storage = await createPostgresStorage({ connectionString: process.env.DATABASE_URL!, schema: 'weft' });
 * const [job] = await storage.queue.claim({ workerId: 'w1', leaseMs: 30_000, max: 1 });
 * await storage.close();
 * ```
 */
export async function createPostgresStorage(options: PostgresStorageOptions): Promise<PostgresStorage> {
  const schema = options.schema ?? 'public';
  const ownPool = !options.pool;
  const pool = options.pool ?? new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
  // An idle connection killed by the server must not crash the process; the pool replaces it.
  if (ownPool) pool.on('error', () => {});
  const base = new Kysely<WeftDatabase>({ dialect: new PostgresDialect({ pool }) });
  const db = base.withSchema(schema);
  const runMigrations = () =>
    migrate(base, { dialect: 'postgres', schema, ...(options.migrations ? { migrations: options.migrations } : {}) });
  const signals = new PostgresQueueSignals({
    pool,
    channel: `weft_jobs_${schema}`.slice(0, 63),
    ...(options.directConnectionString ? { connection: { connectionString: options.directConnectionString } } : {}),
    ...(options.onListenerError ? { onError: options.onListenerError } : {}),
  });
  const notices = new PostgresExecutionNotices({ pool, signals, channel: `weft_ends_${schema}`.slice(0, 63) });
  try {
    if (options.migrate !== false) await runMigrations();
    await signals.start();
    await notices.start();
  } catch (err) {
    await signals.close();
    if (ownPool) await base.destroy();
    const where = options.connectionString ? redact(options.connectionString) : 'the given pool';
    throw new Error(`Cannot open Weft storage in Postgres schema "${schema}" at ${where}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  const writer = new PostgresExecutionWriter({ pool, db, schema });
  const queue = new SqlQueue({ db, dialect: 'postgres', signals, databaseNotifies: true });
  const blobs = options.blobs;
  let closed = false;
  return {
    dialect: 'postgres',
    workflows: new SqlWorkflowStore({ db, dialect: 'postgres' }),
    executions: new SqlExecutionStore({
      db,
      dialect: 'postgres',
      writer,
      queue,
      ...(blobs ? { blobs } : {}),
      ...(options.blobThresholdBytes !== undefined ? { blobThresholdBytes: options.blobThresholdBytes } : {}),
    }),
    queue,
    blobs,
    migrate: runMigrations,
    async close() {
      if (closed) return;
      closed = true;
      await queue.close();
      await writer.drain();
      await notices.close();
      await signals.close();
      if (ownPool) await base.destroy();
    },
    db,
    pool,
    schema,
    signals,
    notices,
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
