import { randomUUID } from 'node:crypto';
import type { ClaimedJob, DeadLetter, EnqueueOptions, JobQueue, QueueJob } from '@weft/engine';
import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import { readJobPayload, storedJobPayload } from './job-payload.js';
import { LocalQueueSignals, type QueueSignals } from './queue-signals.js';
import type { QueueJobsTable, WeftDatabase } from './schema.js';
import { SqlDeadLetters } from './sql-dead-letters.js';
import { decodeJson, encodeJson, millis, type SqlDialectName } from './sql-dialect.js';
import { SqlJobWaiter } from './sql-job-waiter.js';
import { type BatchOutcome, WriteBatcher } from './write-batcher.js';

/** Options of {@link SqlQueue}. */
export interface SqlQueueOptions {
  db: Kysely<WeftDatabase>;
  dialect: SqlDialectName;
  /** Cross-instance wake-ups; defaults to in-process only. */
  signals?: QueueSignals;
  /** Also look for due jobs this often while waiting (for writers this instance cannot hear); 0 = never. */
  pollIntervalMs?: number;
  /** The database notifies `signals` itself when jobs become available (Postgres trigger); skip `notify()`. */
  databaseNotifies?: boolean;
  now?: () => number;
}

/**
 * {@link JobQueue} over the shared SQL schema. A job is claimable when `available_at <= now`:
 * `available_at` is its `run_at`, or its lease expiry while leased, so a lapsed lease makes the job
 * claimable again without a sweeper. Claims are one `UPDATE ... WHERE id IN (SELECT ... LIMIT n)`;
 * on Postgres the inner select adds `FOR UPDATE SKIP LOCKED`, on SQLite the single writer
 * serialises claims. Ack, extend, retry and dead-letter match the lease token, so a stale holder
 * changes nothing. On Postgres the enqueues of one turn of the event loop are one multi-row
 * `INSERT` and the acks one `DELETE` (one round trip, one commit and one wake-up for all of them).
 *
 * @example
 * ```ts
 * const queue = new SqlQueue({ db, dialect: 'postgres' });
 * await queue.enqueue({ workspaceId: 'ws', executionId: 'e1', kind: 'start' });
 * const [job] = await queue.claim({ workerId: 'w1', leaseMs: 30_000, max: 1 });
 * ```
 */
export class SqlQueue implements JobQueue {
  protected readonly db: Kysely<WeftDatabase>;
  protected readonly dialect: SqlDialectName;
  protected readonly signals: QueueSignals;
  protected readonly now: () => number;
  readonly #databaseNotifies: boolean;
  readonly #waiter: SqlJobWaiter;
  readonly #dead: SqlDeadLetters;
  readonly #inserts: WriteBatcher<Insertable<QueueJobsTable>, boolean> | undefined;
  readonly #acks: WriteBatcher<ClaimedJob, void> | undefined;

  constructor(options: SqlQueueOptions) {
    this.db = options.db;
    this.dialect = options.dialect;
    this.signals = options.signals ?? new LocalQueueSignals();
    this.now = options.now ?? Date.now;
    this.#databaseNotifies = options.databaseNotifies ?? false;
    this.#waiter = new SqlJobWaiter({
      db: this.db,
      signals: this.signals,
      pollIntervalMs: options.pollIntervalMs ?? 0,
      now: this.now,
    });
    this.#dead = new SqlDeadLetters(this.db, this.dialect, (row) => this.toJob(row));
    if (this.dialect === 'postgres') {
      this.#inserts = new WriteBatcher((rows) => this.#insertAll(rows), { concurrency: 2 });
      this.#acks = new WriteBatcher((jobs) => this.#ackAll(jobs), { concurrency: 2 });
    }
  }

  /**
   * Subclasses call this when a claim starts: a notification arriving after it makes the next
   * `waitForJobs` return at once, closing the gap between an empty claim and the wait.
   */
  protected noteClaim(): void {
    this.#waiter.noteClaim();
  }

  async enqueue(job: QueueJob, options: EnqueueOptions = {}): Promise<{ id: string; duplicate: boolean }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const row = this.jobRow(job, options);
      if (await this.#insert(row)) {
        this.#notify();
        return { id: row.id, duplicate: false };
      }
      if (!options.dedupeKey) continue;
      const existing = await this.db
        .selectFrom('queue_jobs')
        .select('id')
        .where('dedupe_key', '=', options.dedupeKey)
        .executeTakeFirst();
      if (existing) return { id: existing.id, duplicate: true };
    }
    throw new Error(`Could not enqueue job for execution ${job.executionId} (dedupe key ${options.dedupeKey ?? '-'})`);
  }

  /**
   * The `queue_jobs` row that enqueues `job` now (a fresh id): for a writer that inserts it in the
   * same statement as the execution it starts (`SqlExecutionStore.createQueued`), which then calls
   * {@link SqlQueue.notifyAvailable}.
   *
   * @example
   * ```ts
   * await writer.insertExecutionWithJob(executionRow, queue.jobRow(job, { dedupeKey: `start:${id}` }));
   * ```
   */
  jobRow(job: QueueJob, options: EnqueueOptions = {}): Insertable<QueueJobsTable> & { id: string } {
    const now = this.now();
    const runAt = options.runAt ?? now;
    return {
      id: randomUUID(),
      workspace_id: job.workspaceId,
      execution_id: job.executionId,
      kind: job.kind,
      payload: encodeJson(storedJobPayload(job)),
      priority: options.priority ?? 0,
      run_at: runAt,
      available_at: runAt,
      enqueued_at: now,
      attempt: 0,
      dedupe_key: options.dedupeKey ?? null,
    };
  }

  async #insert(row: Insertable<QueueJobsTable>): Promise<boolean> {
    if (this.#inserts) return this.#inserts.submit(row);
    const r = await this.db
      .insertInto('queue_jobs')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** One turn's enqueues; a row left out (a dedupe key or id already there) reports false. */
  async #insertAll(rows: Insertable<QueueJobsTable>[]): Promise<BatchOutcome<boolean>[]> {
    const r = await this.db
      .insertInto('queue_jobs')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    const inserted = new Set(r.map((x) => x.id));
    return rows.map((row) => ({ value: inserted.has(row.id) }));
  }

  async #ackAll(jobs: ClaimedJob[]): Promise<BatchOutcome<void>[]> {
    await this.db
      .deleteFrom('queue_jobs')
      .where(({ eb, refTuple, tuple }) =>
        eb(
          refTuple('id', 'lease_token'),
          'in',
          jobs.map((j) => tuple(j.id, j.token)),
        ),
      )
      .execute();
    return jobs.map(() => ({ value: undefined }));
  }

  async claim(options: { workerId: string; leaseMs: number; max: number }): Promise<ClaimedJob[]> {
    if (options.max <= 0) return [];
    this.noteClaim();
    const now = this.now();
    const until = now + options.leaseMs;
    const nonce = `${randomUUID()}:`;
    const rows = await this.db
      .updateTable('queue_jobs')
      .set({
        lease_token: sql<string>`${nonce} || id`,
        lease_until: until,
        available_at: until,
        attempt: sql<number>`attempt + 1`,
        worker_id: options.workerId,
      })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('queue_jobs')
          .select('id')
          .where('available_at', '<=', now)
          .orderBy('priority', 'desc')
          .orderBy('available_at')
          .orderBy('seq')
          .limit(options.max)
          .$if(this.dialect === 'postgres', (q) => q.forUpdate().skipLocked()),
      )
      .returningAll()
      .execute();
    return rows
      .map((r) => ({ claimed: this.toClaimed(r), priority: Number(r.priority), seq: millis(r.seq) }))
      .sort(byPriority)
      .map((r) => r.claimed);
  }

  /** Tells other instances that jobs may be available (unless the database does); never fails the caller. */
  notifyAvailable(): void {
    this.#notify();
  }

  #notify(): void {
    if (this.#databaseNotifies) return;
    try {
      Promise.resolve(this.signals.notify()).catch(() => {});
    } catch {
      // a wake-up that cannot be sent only delays workers until their next poll or timeout
    }
  }

  protected toClaimed(r: Selectable<QueueJobsTable>): ClaimedJob {
    return {
      id: r.id,
      job: this.toJob(r),
      attempt: Number(r.attempt),
      leaseUntil: millis(r.lease_until as number),
      token: r.lease_token as string,
    };
  }

  protected toJob(r: { workspace_id: string; execution_id: string; kind: string; payload: unknown }): QueueJob {
    const job: QueueJob = {
      workspaceId: r.workspace_id,
      executionId: r.execution_id,
      kind: r.kind as QueueJob['kind'],
    };
    return readJobPayload(job, decodeJson(this.dialect, r.payload));
  }

  async extend(job: ClaimedJob, leaseMs: number): Promise<boolean> {
    const until = this.now() + leaseMs;
    const r = await this.db
      .updateTable('queue_jobs')
      .set({ lease_until: until, available_at: until })
      .where('id', '=', job.id)
      .where('lease_token', '=', job.token)
      .where('lease_until', '>', this.now())
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async hasJob(dedupeKey: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('queue_jobs')
      .select('id')
      .where('dedupe_key', '=', dedupeKey)
      .executeTakeFirst();
    return row !== undefined;
  }

  async ack(job: ClaimedJob): Promise<void> {
    if (this.#acks) return this.#acks.submit(job);
    await this.db.deleteFrom('queue_jobs').where('id', '=', job.id).where('lease_token', '=', job.token).execute();
  }

  async retry(job: ClaimedJob, options: { runAt?: number; error?: string } = {}): Promise<void> {
    const runAt = options.runAt ?? this.now();
    const r = await this.db
      .updateTable('queue_jobs')
      .set({
        run_at: runAt,
        available_at: runAt,
        lease_token: null,
        lease_until: null,
        worker_id: null,
        last_error: options.error ?? null,
      })
      .where('id', '=', job.id)
      .where('lease_token', '=', job.token)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) > 0) this.#notify();
  }

  deadLetter(job: ClaimedJob, error: string): Promise<void> {
    return this.#dead.move(job, error, this.now());
  }

  listDeadLetters(options: { limit?: number } = {}): Promise<DeadLetter[]> {
    return this.#dead.list(options.limit ?? 100);
  }

  async replayDeadLetter(id: string): Promise<boolean> {
    const job = await this.#dead.take(id);
    if (!job) return false;
    await this.enqueue(job);
    return true;
  }

  discardDeadLetter(id: string): Promise<boolean> {
    return this.#dead.discard(id);
  }

  /**
   * Resolves on a notification, when the next delayed job or lapsing lease becomes due, every
   * `pollIntervalMs` that finds a due job, on abort, on close, or after `timeoutMs`.
   */
  waitForJobs(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.#waiter.wait(timeoutMs, signal);
  }

  async stats(): Promise<{
    ready: number;
    delayed: number;
    running: number;
    deadLetters: number;
    oldestReadyAgeMs: number;
  }> {
    const now = this.now();
    const row = await this.db
      .selectFrom('queue_jobs')
      .select([
        sql<number>`coalesce(sum(case when available_at <= ${now} then 1 else 0 end), 0)`.as('ready'),
        sql<number>`coalesce(sum(case when lease_until is null and run_at > ${now} then 1 else 0 end), 0)`.as(
          'delayed',
        ),
        sql<number>`coalesce(sum(case when lease_until > ${now} then 1 else 0 end), 0)`.as('running'),
        sql<number | null>`min(case when available_at <= ${now} then run_at end)`.as('oldest'),
      ])
      .executeTakeFirstOrThrow();
    const deadLetters = await this.#dead.count();
    const oldest = row.oldest === null ? undefined : millis(row.oldest);
    return {
      ready: Number(row.ready),
      delayed: Number(row.delayed),
      running: Number(row.running),
      deadLetters,
      oldestReadyAgeMs: oldest === undefined ? 0 : Math.max(0, now - oldest),
    };
  }

  async close(): Promise<void> {
    this.#waiter.close();
  }
}

function byPriority(a: { priority: number; seq: number }, b: { priority: number; seq: number }): number {
  return b.priority - a.priority || a.seq - b.seq;
}
