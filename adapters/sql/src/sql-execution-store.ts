import type {
  BlobStore,
  CreateQueued,
  ExecutionFilter,
  ExecutionPatch,
  ExecutionRecord,
  ExecutionStatus,
  ExecutionStore,
  JobQueue,
  NodeRunRecord,
  Page,
} from '@weft/engine';
import { type Kysely, type Selectable, sql } from 'kysely';
import {
  executionToRow,
  type NodeRunPayload,
  type NodeRunRow,
  nodeRunToRow,
  patchToColumns,
  rowToExecution,
  rowToNodeRun,
} from './execution-rows.js';
import { type ExecutionWriter, KyselyExecutionWriter } from './execution-writer.js';
import { type PruneOptions, type PruneProgress, pruneExecutions } from './prune-executions.js';
import type { NodeRunsTable, WeftDatabase } from './schema.js';
import { decodeJson, type SqlDialectName } from './sql-dialect.js';
import type { SqlQueue } from './sql-queue.js';

/** Options of {@link SqlExecutionStore}. */
export interface SqlExecutionStoreOptions {
  db: Kysely<WeftDatabase>;
  dialect: SqlDialectName;
  /** Hot-path writer; defaults to one kysely statement per write. */
  writer?: ExecutionWriter;
  /**
   * The queue in the same database: {@link SqlExecutionStore.createQueued} writes a new execution
   * and its start job to it in one statement (needs a writer with `insertExecutionWithJob`).
   */
  queue?: SqlQueue;
  /** Where node-run payloads larger than `blobThresholdBytes` go instead of the row. */
  blobs?: BlobStore;
  /** Payload size (UTF-8 bytes of its JSON) above which it moves to `blobs`; default 64 KiB. */
  blobThresholdBytes?: number;
  /** Called after {@link SqlExecutionStore.pruneExecutions} deleted rows (SQLite runs an incremental vacuum). */
  afterPrune?: () => Promise<void>;
  /**
   * Prepares a statement on the SQLite connection (better-sqlite3's `prepare`), for reads on the
   * webhook hot path; without it every read goes through kysely.
   */
  prepare?: (sql: string) => PreparedStatement;
}

/** The part of a synchronous driver's prepared statement the store uses (better-sqlite3's `all`). */
export interface PreparedStatement {
  all(...params: unknown[]): unknown[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * {@link ExecutionStore} over the shared SQL schema, for SQLite and Postgres alike. Node-run
 * payloads above a size threshold are moved to a {@link BlobStore} and brought back on read.
 *
 * @example
 * ```ts
 * const executions = new SqlExecutionStore({ db, dialect: 'sqlite', blobs: new FileSystemBlobStore() });
 * await executions.create(record);
 * for await (const p of executions.pruneExecutions({ olderThan: Date.now() - 30 * 86_400_000 })) console.log(p.deleted);
 * ```
 */
export class SqlExecutionStore implements ExecutionStore {
  readonly #db: Kysely<WeftDatabase>;
  readonly #dialect: SqlDialectName;
  readonly #writer: ExecutionWriter;
  readonly #queue: SqlQueue | undefined;
  readonly #blobs: BlobStore | undefined;
  readonly #threshold: number;
  readonly #afterPrune: (() => Promise<void>) | undefined;
  readonly #prepare: ((sql: string) => PreparedStatement) | undefined;
  #nodeRunsOfStatement: PreparedStatement | undefined;

  constructor(options: SqlExecutionStoreOptions) {
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.#writer = options.writer ?? new KyselyExecutionWriter(options.db);
    this.#queue = options.queue;
    this.#blobs = options.blobs;
    this.#threshold = options.blobThresholdBytes ?? 64 * 1024;
    this.#afterPrune = options.afterPrune;
    this.#prepare = options.dialect === 'sqlite' ? options.prepare : undefined;
  }

  async create(record: ExecutionRecord): Promise<{ created: boolean; record: ExecutionRecord }> {
    if (await this.#writer.insertExecution(executionToRow(record))) return { created: true, record };
    return this.#existing(record);
  }

  createQueuedIn(queue: JobQueue): CreateQueued | undefined {
    const own = this.#queue;
    const writer = this.#writer;
    if (!own || queue !== own || !writer.insertExecutionWithJob) return undefined;
    return async (record, job, options) => {
      if (!(await writer.insertExecutionWithJob?.(executionToRow(record), own.jobRow(job, options))))
        return this.#existing(record);
      own.notifyAvailable();
      return { created: true, record };
    };
  }

  /** The execution an insert that changed nothing collided with: same idempotency key, else an error. */
  async #existing(record: ExecutionRecord): Promise<{ created: false; record: ExecutionRecord }> {
    if (record.idempotencyKey) {
      const row = await this.#db
        .selectFrom('executions')
        .selectAll()
        .where('workspace_id', '=', record.workspaceId)
        .where('idempotency_key', '=', record.idempotencyKey)
        .executeTakeFirst();
      if (row) return { created: false, record: rowToExecution(this.#dialect, row) };
    }
    throw new Error(`Execution ${record.id} already exists (workspace ${record.workspaceId})`);
  }

  async get(workspaceId: string | undefined, executionId: string): Promise<ExecutionRecord | undefined> {
    if (this.#writer.readExecution) {
      const row = await this.#writer.readExecution(executionId);
      return row && (workspaceId === undefined || row.workspace_id === workspaceId)
        ? rowToExecution(this.#dialect, row)
        : undefined;
    }
    const row = await this.#db
      .selectFrom('executions')
      .selectAll()
      .where('id', '=', executionId)
      .$if(workspaceId !== undefined, (q) => q.where('workspace_id', '=', workspaceId as string))
      .executeTakeFirst();
    return row && rowToExecution(this.#dialect, row);
  }

  async update(executionId: string, patch: ExecutionPatch): Promise<void> {
    const set = patchToColumns(patch);
    const changed =
      Object.keys(set).length > 0
        ? await this.#writer.updateExecution(executionId, set)
        : Number(Boolean(await this.get(undefined, executionId)));
    if (changed === 0) throw new Error(`Execution ${executionId} not found (update ${Object.keys(patch).join(', ')})`);
  }

  async transition(executionId: string, from: ExecutionStatus, patch: ExecutionPatch): Promise<boolean> {
    if (this.#writer.transitionExecution)
      return (await this.#writer.transitionExecution(executionId, from, patchToColumns(patch))) > 0;
    const r = await this.#db
      .updateTable('executions')
      .set(patchToColumns(patch))
      .where('id', '=', executionId)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async checkpoint(executionId: string, runs: NodeRunRecord[], patch?: ExecutionPatch): Promise<void> {
    // Rows are built synchronously unless a payload goes to the blob store (no promise per run).
    let offloaded = false;
    const built = runs.map((run) => {
      const row = this.#nodeRunRow(executionId, run);
      if (row instanceof Promise) offloaded = true;
      return row;
    });
    const rows = offloaded ? await Promise.all(built) : (built as NodeRunRow[]);
    const set = patch ? patchToColumns(patch) : undefined;
    const hasSet = set !== undefined && Object.keys(set).length > 0;
    let changed: number;
    try {
      changed = await this.#writer.writeCheckpoint(executionId, rows, hasSet ? set : undefined);
    } catch (err) {
      const first = runs[0];
      const what = first
        ? `node runs ${first.seq}..${first.seq + runs.length - 1} (${runs.map((r) => r.nodeName).join(', ')})`
        : 'a checkpoint';
      throw new Error(`Cannot append ${what} to execution ${executionId}: ${(err as Error).message}`, { cause: err });
    }
    if (patch && !hasSet && runs.length === 0) changed = Number(Boolean(await this.get(undefined, executionId)));
    if (changed === 0)
      throw new Error(`Execution ${executionId} not found (update ${Object.keys(patch ?? {}).join(', ')})`);
  }

  /** A node run as a row; a large payload goes to the blob store and the row keeps its key. */
  #nodeRunRow(executionId: string, run: NodeRunRecord): NodeRunRow | Promise<NodeRunRow> {
    if (run.executionId !== executionId)
      throw new Error(`Node run ${run.seq} belongs to execution ${run.executionId}, not ${executionId}`);
    const { row, payload } = nodeRunToRow(run);
    if (this.#blobs && payload.length > this.#threshold / 4) {
      const bytes = encoder.encode(payload);
      if (bytes.byteLength > this.#threshold) return this.#offload(this.#blobs, row, bytes, run);
    }
    return row;
  }

  async #offload(blobs: BlobStore, row: NodeRunRow, bytes: Uint8Array, run: NodeRunRecord): Promise<NodeRunRow> {
    const key = nodeRunBlobKey(run.executionId, run.seq);
    await blobs.put(key, bytes, { contentType: 'application/json' });
    row.payload = null;
    row.blob_key = key;
    return row;
  }

  async listNodeRuns(executionId: string, options: { nodeIds?: readonly string[] } = {}): Promise<NodeRunRecord[]> {
    const only = options.nodeIds;
    if (only?.length === 0) return [];
    const rows = only
      ? await this.#nodeRunsOf(executionId, only)
      : await this.#db
          .selectFrom('node_runs')
          .selectAll()
          .where('execution_id', '=', executionId)
          .orderBy('seq')
          .execute();
    return Promise.all(rows.map(async (row) => rowToNodeRun(row, await this.#payload(row))));
  }

  /** The rows of some nodes' runs: a statement prepared once on SQLite (kysely prepares each query anew). */
  async #nodeRunsOf(executionId: string, nodeIds: readonly string[]): Promise<Selectable<NodeRunsTable>[]> {
    if (this.#prepare) {
      this.#nodeRunsOfStatement ??= this.#prepare(
        'select * from node_runs where execution_id = ? and node_id in (select value from json_each(?)) order by seq',
      );
      return this.#nodeRunsOfStatement.all(executionId, JSON.stringify(nodeIds)) as Selectable<NodeRunsTable>[];
    }
    return this.#db
      .selectFrom('node_runs')
      .selectAll()
      .where('execution_id', '=', executionId)
      .where('node_id', 'in', nodeIds)
      .orderBy('seq')
      .execute();
  }

  async #payload(row: Selectable<NodeRunsTable>): Promise<NodeRunPayload> {
    if (row.blob_key === null) return (decodeJson(this.#dialect, row.payload) ?? {}) as NodeRunPayload;
    const bytes = await this.#blobs?.get(row.blob_key);
    if (!bytes) {
      throw new Error(
        `Payload of node run ${row.seq} of execution ${row.execution_id} is missing from the blob store (key ${row.blob_key})`,
      );
    }
    return JSON.parse(decoder.decode(bytes)) as NodeRunPayload;
  }

  async list(workspaceId: string, filter: ExecutionFilter = {}): Promise<Page<ExecutionRecord>> {
    const limit = Math.max(1, filter.limit ?? 50);
    const after = filter.cursor ? decodeCursor(filter.cursor) : undefined;
    const rows = await this.#db
      .selectFrom('executions')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .$if(filter.workflowId !== undefined, (q) => q.where('workflow_id', '=', filter.workflowId as string))
      .$if(filter.status !== undefined, (q) =>
        filter.status?.length ? q.where('status', 'in', filter.status) : q.where(sql<boolean>`1 = 0`),
      )
      .$if(after !== undefined, (q) =>
        q.where((eb) =>
          eb.or([
            eb('started_at', '<', after?.startedAt as number),
            eb.and([eb('started_at', '=', after?.startedAt as number), eb('id', '<', after?.id as string)]),
          ]),
        ),
      )
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map((r) => rowToExecution(this.#dialect, r));
    const last = items[items.length - 1];
    return rows.length > limit && last ? { items, nextCursor: encodeCursor(last.startedAt, last.id) } : { items };
  }

  async listDueWaiting(dueBy: number, limit: number): Promise<ExecutionRecord[]> {
    const rows = await this.#db
      .selectFrom('executions')
      .selectAll()
      .where(sql<boolean>`wait_kind = 'timer'`)
      .where('resume_at', '<=', dueBy)
      .where('status', '=', 'waiting')
      .orderBy('resume_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => rowToExecution(this.#dialect, r));
  }

  async listQueued(startedBefore: number, limit: number): Promise<ExecutionRecord[]> {
    const rows = await this.#db
      .selectFrom('executions')
      .selectAll()
      .where(sql<boolean>`status = 'queued'`)
      // On Postgres the partial index `executions_unfinished` (migration 27) holds queued rows;
      // the query names its predicate so the planner can use it (queued rows always match it).
      .$if(this.#dialect === 'postgres', (q) => q.where(sql<boolean>`finished_at is null and wait_kind is null`))
      .where('started_at', '<', startedBefore)
      .orderBy('started_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => rowToExecution(this.#dialect, r));
  }

  async delete(workspaceId: string, executionId: string): Promise<boolean> {
    const hadBlobs = await this.#hasBlobs([executionId]);
    const deleted = await this.#db.transaction().execute(async (trx) => {
      const found = await trx
        .selectFrom('executions')
        .select('id')
        .where('id', '=', executionId)
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst();
      if (!found) return false;
      await trx.deleteFrom('node_runs').where('execution_id', '=', executionId).execute();
      await trx.deleteFrom('executions').where('id', '=', executionId).execute();
      return true;
    });
    if (deleted && hadBlobs.length) await this.#blobs?.deletePrefix(nodeRunBlobPrefix(executionId));
    return deleted;
  }

  /**
   * Deletes finished executions (succeeded, failed, cancelled) older than `olderThan` and/or
   * beyond the newest `keepPerWorkflow` of each workflow, with their node runs and blobs, in
   * transactions of at most `chunkSize` executions. Yields after each chunk; memory stays bounded
   * by the chunk size however many rows go.
   *
   * @example
   * ```ts
   * for await (const p of store.pruneExecutions({ keepPerWorkflow: 1000, chunkSize: 5000 })) log(p.deleted);
   * ```
   */
  async *pruneExecutions(options: PruneOptions): AsyncGenerator<PruneProgress, PruneProgress> {
    const progress = yield* pruneExecutions(this.#db, options, (ids) => this.#dropBlobs(ids));
    if (progress.deleted > 0) await this.#afterPrune?.();
    return progress;
  }

  async #hasBlobs(ids: string[]): Promise<string[]> {
    if (!this.#blobs || ids.length === 0) return [];
    const rows = await this.#db
      .selectFrom('node_runs')
      .select('execution_id')
      .distinct()
      .where('execution_id', 'in', ids)
      .where('blob_key', 'is not', null)
      .execute();
    return rows.map((r) => r.execution_id);
  }

  async #dropBlobs(ids: string[]): Promise<() => Promise<void>> {
    const withBlobs = await this.#hasBlobs(ids);
    return async () => {
      for (const id of withBlobs) await this.#blobs?.deletePrefix(nodeRunBlobPrefix(id));
    };
  }
}

/**
 * Blob-store key prefix under which an execution's offloaded node-run payloads live.
 *
 * @example
 * ```ts
 * await blobs.deletePrefix(nodeRunBlobPrefix('ex1')); // 'node-runs/ex1/'
 * ```
 */
export function nodeRunBlobPrefix(executionId: string): string {
  return `node-runs/${encodeURIComponent(executionId)}/`;
}

function nodeRunBlobKey(executionId: string, seq: number): string {
  return `${nodeRunBlobPrefix(executionId)}${seq}.json`;
}

function encodeCursor(startedAt: number, id: string): string {
  return Buffer.from(JSON.stringify([startedAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): { startedAt: number; id: string } {
  try {
    const [startedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [number, string];
    if (typeof startedAt === 'number' && typeof id === 'string') return { startedAt, id };
  } catch {
    // fall through to the error below
  }
  throw new Error(`Invalid executions cursor: ${cursor}`);
}
