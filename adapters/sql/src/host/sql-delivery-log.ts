import type { DeliveryLog, DeliveryLogEntry, DeliveryLogFilter, Logger } from '@weft/engine';
import type { Kysely } from 'kysely';
import type { MillisColumn } from '../schema.js';
import { millis } from '../sql-dialect.js';
import type { HostDb } from './host-database.js';

interface DeliveryTables {
  webhook_deliveries: {
    id: string;
    workspace_id: string;
    workflow_id: string | null;
    direction: string;
    endpoint: string;
    method: string | null;
    event: string | null;
    attempt: number;
    status: number | null;
    ok: number;
    error: string | null;
    refused_reason: string | null;
    duration_ms: number;
    execution_id: string | null;
    at: MillisColumn;
  };
}

type Row = DeliveryTables['webhook_deliveries'];

/** Options of {@link SqlDeliveryLog}. */
export interface SqlDeliveryLogOptions {
  logger: Logger;
  /** How long an entry may wait in the buffer before it is written (default 250 ms). */
  flushMs?: number;
  /** A buffer this full is written at once (default 1000). */
  batchSize?: number;
  /** Rows per insert statement; the event loop is free between statements (default 100). */
  rowsPerStatement?: number;
  /** Entries kept while the database does not take them; newer ones are dropped and counted (default 50,000). */
  maxBuffered?: number;
}

const RESOLVED = Promise.resolve();
const MAX_ERROR = 1000;

/**
 * The host's {@link DeliveryLog} in the `webhook_deliveries` table (migration 5). Recording never
 * waits for the database: entries are buffered and written many rows per statement after
 * `flushMs` or once `batchSize` are waiting, and on {@link SqlDeliveryLog.close}. Reads flush
 * first, so a process sees its own entries. Retention: {@link SqlDeliveryLog.prune} by age, run by
 * `weft prune` and on a timer with {@link SqlDeliveryLog.keepFor}.
 *
 * @example
 * ```ts
 * const log = new SqlDeliveryLog(runtime.h, { logger });
 * log.add({ id: timeOrderedId(), workspaceId: 'ws1', workflowId: 'orders', direction: 'inbound', endpoint: 'orders', attempt: 1, status: 202, ok: true, durationMs: 3, at: Date.now() });
 * await log.list({ workspaceId: 'ws1', workflowId: 'orders', limit: 20 });
 * ```
 */
export class SqlDeliveryLog implements DeliveryLog {
  readonly #db: Kysely<DeliveryTables>;
  readonly #o: Required<Omit<SqlDeliveryLogOptions, 'logger'>> & { logger: Logger };
  #buffer: Row[] = [];
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = RESOLVED;
  #retention: NodeJS.Timeout | undefined;
  #dropped = 0;

  constructor(h: HostDb, options: SqlDeliveryLogOptions) {
    this.#db = h.db as unknown as Kysely<DeliveryTables>;
    this.#o = { flushMs: 250, batchSize: 1000, rowsPerStatement: 100, maxBuffered: 50_000, ...options };
  }

  /** Buffers an entry (synchronous; the hot path's way in). `workspaceId` is required. */
  add(entry: DeliveryLogEntry): void {
    if (!entry.workspaceId) throw new Error(`Delivery ${entry.id}: workspaceId is required by the SQL delivery log`);
    if (this.#buffer.length >= this.#o.maxBuffered) {
      if (this.#dropped++ === 0)
        this.#o.logger.warn(
          { buffered: this.#buffer.length },
          'delivery log buffer full: dropping entries until it drains',
        );
      return;
    }
    this.#buffer.push(toRow(entry));
    if (this.#buffer.length >= this.#o.batchSize) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      setImmediate(() => void this.flush());
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flush(), this.#o.flushMs);
      this.#timer.unref();
    }
  }

  /** {@link DeliveryLog.record}: buffers the entry and resolves at once. */
  record(entry: DeliveryLogEntry): Promise<void> {
    try {
      this.add(entry);
      return RESOLVED;
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Entries waiting to be written. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** Writes everything buffered so far; resolves once it is in the database (or failed and was logged). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const rows = this.#buffer;
    this.#buffer = [];
    this.#writing = this.#writing.then(() => this.#write(rows));
    return this.#writing;
  }

  async #write(rows: Row[]): Promise<void> {
    const n = this.#o.rowsPerStatement;
    for (let i = 0; i < rows.length; i += n) {
      // On SQLite a statement blocks the event loop while it runs: keep each one short.
      if (i > 0) await new Promise((r) => setImmediate(r));
      const chunk = rows.slice(i, i + n);
      try {
        await this.#db
          .insertInto('webhook_deliveries')
          .values(chunk)
          .onConflict((c) => c.doNothing())
          .execute();
      } catch (err) {
        this.#o.logger.warn({ entries: chunk.length, err: (err as Error).message }, 'delivery log entries not written');
      }
    }
    if (this.#dropped > 0) {
      this.#o.logger.warn({ dropped: this.#dropped }, 'delivery log entries dropped while the buffer was full');
      this.#dropped = 0;
    }
  }

  /** Newest first; `before` continues after the last entry of the previous page. */
  async list(filter: DeliveryLogFilter = {}): Promise<DeliveryLogEntry[]> {
    await this.flush();
    let q = this.#db.selectFrom('webhook_deliveries').selectAll();
    if (filter.workspaceId) q = q.where('workspace_id', '=', filter.workspaceId);
    if (filter.workflowId) q = q.where('workflow_id', '=', filter.workflowId);
    if (filter.endpoint) q = q.where('endpoint', '=', filter.endpoint);
    if (filter.direction) q = q.where('direction', '=', filter.direction);
    const before = filter.before;
    if (before)
      q = q.where((eb) =>
        eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]),
      );
    const rows = await q
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100)
      .execute();
    return rows.map(fromRow);
  }

  /**
   * Deletes entries recorded before `olderThan` (epoch ms), about `chunkSize` per statement (range
   * deletes on the `(at, id)` primary key); returns how many went.
   */
  async prune(olderThan: number, chunkSize = 5000): Promise<number> {
    await this.flush();
    let deleted = 0;
    for (;;) {
      const edge = await this.#db
        .selectFrom('webhook_deliveries')
        .select('at')
        .where('at', '<', olderThan)
        .orderBy('at')
        .limit(1)
        .offset(chunkSize - 1)
        .executeTakeFirst();
      let q = this.#db.deleteFrom('webhook_deliveries');
      q = edge ? q.where('at', '<=', millis(edge.at)) : q.where('at', '<', olderThan);
      deleted += Number((await q.executeTakeFirst()).numDeletedRows);
      if (!edge) return deleted;
    }
  }

  /** Keeps entries for `maxAgeMs`: prunes older ones now and every `everyMs` (default hourly). */
  keepFor(maxAgeMs: number, everyMs = 3_600_000): void {
    clearInterval(this.#retention);
    const run = () =>
      void this.prune(Date.now() - maxAgeMs).catch((err) =>
        this.#o.logger.warn({ err: (err as Error).message }, 'delivery log pruning failed'),
      );
    run();
    this.#retention = setInterval(run, everyMs);
    this.#retention.unref();
  }

  /** Deletes a workspace's entries (when the workspace is deleted). */
  async deleteWorkspace(workspaceId: string): Promise<void> {
    await this.flush();
    await this.#db.deleteFrom('webhook_deliveries').where('workspace_id', '=', workspaceId).execute();
  }

  /** Stops the retention timer and writes what is buffered. */
  async close(): Promise<void> {
    clearInterval(this.#retention);
    this.#retention = undefined;
    await this.flush();
  }
}

function toRow(e: DeliveryLogEntry): Row {
  return {
    id: e.id,
    workspace_id: e.workspaceId as string,
    workflow_id: e.workflowId ?? null,
    direction: e.direction,
    endpoint: e.endpoint,
    method: e.method ?? null,
    event: e.event ?? null,
    attempt: e.attempt,
    status: e.status,
    ok: e.ok ? 1 : 0,
    // A message may quote a request (a JSON parse error does); Postgres text cannot hold NUL.
    error: e.error === undefined ? null : e.error.slice(0, MAX_ERROR).replaceAll('\u0000', '\\u0000'),
    refused_reason: e.refusedReason ?? null,
    duration_ms: Math.round(e.durationMs),
    execution_id: e.executionId ?? null,
    at: e.at,
  };
}

function fromRow(r: Row): DeliveryLogEntry {
  const e: DeliveryLogEntry = {
    id: r.id,
    direction: r.direction as DeliveryLogEntry['direction'],
    endpoint: r.endpoint,
    workspaceId: r.workspace_id,
    attempt: Number(r.attempt),
    status: r.status === null ? null : Number(r.status),
    ok: Number(r.ok) === 1,
    durationMs: Number(r.duration_ms),
    at: millis(r.at),
  };
  if (r.workflow_id !== null) e.workflowId = r.workflow_id;
  if (r.method !== null) e.method = r.method;
  if (r.event !== null) e.event = r.event;
  if (r.error !== null) e.error = r.error;
  if (r.refused_reason !== null) e.refusedReason = r.refused_reason;
  if (r.execution_id !== null) e.executionId = r.execution_id;
  return e;
}
