import { randomUUID } from 'node:crypto';
import type { ClaimedJob, EnqueueOptions, QueueJob } from '@weft/engine';
import type { QueueJobsTable } from '@weft/sql';
import { millis, SqlQueue, type SqlQueueOptions, storedJobPayload } from '@weft/sql';
import type BetterSqlite3 from 'better-sqlite3';
import type { Selectable } from 'kysely';
import type { SqliteGroupCommit } from './sqlite-group-commit.js';

/**
 * {@link SqlQueue} with the hot path (enqueue, claim, extend, ack) on prepared better-sqlite3
 * statements inside group-commit transactions. SQLite has one writer at a time, so a claim (one
 * `UPDATE ... RETURNING` in a `BEGIN IMMEDIATE` transaction) can never hand a job to two holders,
 * even across connections and processes.
 *
 * @example
 * ```ts
 * const queue = new SqliteQueue({ db, dialect: 'sqlite', database, commit });
 * ```
 */
export class SqliteQueue extends SqlQueue {
  readonly #commit: SqliteGroupCommit;
  readonly #insert: BetterSqlite3.Statement;
  readonly #byDedupe: BetterSqlite3.Statement;
  readonly #claim: BetterSqlite3.Statement;
  readonly #extend: BetterSqlite3.Statement;
  readonly #ack: BetterSqlite3.Statement;

  constructor(options: SqlQueueOptions & { database: BetterSqlite3.Database; commit: SqliteGroupCommit }) {
    super(options);
    const d = options.database;
    this.#commit = options.commit;
    this.#insert = d.prepare(
      `insert into queue_jobs (id, workspace_id, execution_id, kind, payload, priority, run_at, available_at, enqueued_at, attempt, dedupe_key)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?) on conflict do nothing`,
    );
    this.#byDedupe = d.prepare('select id from queue_jobs where dedupe_key = ?');
    this.#claim = d.prepare(
      `update queue_jobs set lease_token = ? || id, lease_until = ?, available_at = ?, attempt = attempt + 1, worker_id = ?
       where id in (select id from queue_jobs where available_at <= ? order by priority desc, available_at, seq limit ?)
       returning *`,
    );
    this.#extend = d.prepare(
      'update queue_jobs set lease_until = ?, available_at = ? where id = ? and lease_token = ? and lease_until > ?',
    );
    this.#ack = d.prepare('delete from queue_jobs where id = ? and lease_token = ?');
  }

  override async enqueue(job: QueueJob, options: EnqueueOptions = {}): Promise<{ id: string; duplicate: boolean }> {
    const result = await this.#commit.run(() => {
      const id = randomUUID();
      const now = this.now();
      const runAt = options.runAt ?? now;
      const stored = storedJobPayload(job);
      const payload = stored === undefined ? null : JSON.stringify(stored);
      const args = [id, job.workspaceId, job.executionId, job.kind, payload, options.priority ?? 0, runAt, runAt, now];
      if (this.#insert.run(...args, options.dedupeKey ?? null).changes > 0) return { id, duplicate: false };
      const existing = options.dedupeKey
        ? (this.#byDedupe.get(options.dedupeKey) as { id: string } | undefined)
        : undefined;
      if (existing) return { id: existing.id, duplicate: true };
      throw new Error(`Could not enqueue job for execution ${job.executionId}: id collision`);
    });
    if (!result.duplicate) this.notifyAvailable();
    return result;
  }

  override async claim(options: { workerId: string; leaseMs: number; max: number }): Promise<ClaimedJob[]> {
    if (options.max <= 0) return [];
    this.noteClaim();
    return this.#commit.run(() => {
      const now = this.now();
      const until = now + options.leaseMs;
      const rows = this.#claim.all(
        `${randomUUID()}:`,
        until,
        until,
        options.workerId,
        now,
        options.max,
      ) as Selectable<QueueJobsTable>[];
      rows.sort((a, b) => b.priority - a.priority || millis(a.seq) - millis(b.seq));
      return rows.map((r) => this.toClaimed(r));
    });
  }

  override extend(job: ClaimedJob, leaseMs: number): Promise<boolean> {
    return this.#commit.run(() => {
      const now = this.now();
      return this.#extend.run(now + leaseMs, now + leaseMs, job.id, job.token, now).changes > 0;
    });
  }

  override async ack(job: ClaimedJob): Promise<void> {
    await this.#commit.run(() => this.#ack.run(job.id, job.token));
  }
}
