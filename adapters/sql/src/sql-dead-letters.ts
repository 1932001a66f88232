import type { ClaimedJob, DeadLetter, QueueJob } from '@weft/engine';
import type { Kysely, Selectable } from 'kysely';
import type { QueueJobsTable, WeftDatabase } from './schema.js';
import { decodeJson, encodeJson, millis, type SqlDialectName } from './sql-dialect.js';

/**
 * The dead-letter half of {@link SqlQueue}: jobs that exhausted their attempts, kept with the
 * job, attempts and last error until replayed or discarded.
 *
 * @example
 * ```ts
 * const dead = new SqlDeadLetters(db, 'postgres', (row) => queue.toJob(row));
 * await dead.move(claimed, 'HTTP 500 after 5 attempts', Date.now());
 * ```
 */
export class SqlDeadLetters {
  constructor(
    private readonly db: Kysely<WeftDatabase>,
    private readonly dialect: SqlDialectName,
    private readonly toJob: (row: Selectable<QueueJobsTable>) => QueueJob,
  ) {}

  /** Moves a leased job to the dead letters in one transaction; nothing when its lease was lost. */
  async move(job: ClaimedJob, error: string, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .deleteFrom('queue_jobs')
        .where('id', '=', job.id)
        .where('lease_token', '=', job.token)
        .returningAll()
        .executeTakeFirst();
      if (!row) return;
      await trx
        .insertInto('dead_letters')
        .values({
          id: row.id,
          workspace_id: row.workspace_id,
          execution_id: row.execution_id,
          job: encodeJson(this.toJob(row)),
          attempts: Number(row.attempt),
          error,
          failed_at: now,
        })
        .execute();
    });
  }

  /** Oldest first. */
  async list(limit: number): Promise<DeadLetter[]> {
    const rows = await this.db
      .selectFrom('dead_letters')
      .selectAll()
      .orderBy('failed_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      job: decodeJson(this.dialect, r.job) as QueueJob,
      attempts: Number(r.attempts),
      error: r.error,
      failedAt: millis(r.failed_at),
    }));
  }

  /** Removes a dead letter and gives back its job (to enqueue again), or undefined when it is gone. */
  async take(id: string): Promise<QueueJob | undefined> {
    const row = await this.db.deleteFrom('dead_letters').where('id', '=', id).returningAll().executeTakeFirst();
    return row ? (decodeJson(this.dialect, row.job) as QueueJob) : undefined;
  }

  async discard(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('dead_letters').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async count(): Promise<number> {
    const dead = await this.db
      .selectFrom('dead_letters')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(dead.n);
  }
}
