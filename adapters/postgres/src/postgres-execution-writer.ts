import {
  type BatchOutcome,
  type ExecutionRow,
  type ExecutionsTable,
  type ExecutionUpdate,
  type ExecutionWriter,
  KyselyExecutionWriter,
  type NodeRunRow,
  type QueueJobsTable,
  type WeftDatabase,
  WriteBatcher,
} from '@weft/sql';
import type { Insertable, Kysely, Selectable } from 'kysely';
import pg from 'pg';

type Op =
  | { kind: 'execution'; row: ExecutionRow; job?: Insertable<QueueJobsTable> }
  | { kind: 'checkpoint'; id: string; rows: NodeRunRow[]; set: ExecutionUpdate | undefined }
  | { kind: 'update'; id: string; set: ExecutionUpdate; from?: string };

const EXEC_COLS: [keyof ExecutionRow, string][] = [
  ['id', 'text'],
  ['workspace_id', 'text'],
  ['workflow_id', 'text'],
  ['workflow_version', 'int4'],
  ['status', 'text'],
  ['mode', 'text'],
  ['input', 'jsonb'],
  ['output', 'jsonb'],
  ['error', 'jsonb'],
  ['wait', 'jsonb'],
  ['wait_kind', 'text'],
  ['resume_at', 'int8'],
  ['started_at', 'int8'],
  ['finished_at', 'int8'],
  ['parent_execution_id', 'text'],
  ['idempotency_key', 'text'],
  ['depth', 'int4'],
  ['start_node_id', 'text'],
];

const RUN_COLS: [keyof NodeRunRow, string][] = [
  ['execution_id', 'text'],
  ['seq', 'int4'],
  ['node_id', 'text'],
  ['node_name', 'text'],
  ['run_index', 'int4'],
  ['status', 'text'],
  ['attempts', 'int4'],
  ['payload', 'jsonb'],
  ['blob_key', 'text'],
  ['started_at', 'int8'],
  ['finished_at', 'int8'],
];

const JOB_COLS: [keyof Insertable<QueueJobsTable>, string][] = [
  ['id', 'text'],
  ['workspace_id', 'text'],
  ['execution_id', 'text'],
  ['kind', 'text'],
  ['payload', 'jsonb'],
  ['priority', 'int4'],
  ['run_at', 'int8'],
  ['available_at', 'int8'],
  ['enqueued_at', 'int8'],
  ['attempt', 'int4'],
  ['dedupe_key', 'text'],
];

/** Patch groups: bit, columns it sets, and their types. */
const UPDATE_GROUPS: [number, (keyof ExecutionUpdate)[], string[]][] = [
  [1, ['status'], ['text']],
  [2, ['output'], ['jsonb']],
  [4, ['error'], ['jsonb']],
  [8, ['wait', 'wait_kind', 'resume_at'], ['jsonb', 'text', 'int8']],
  [16, ['finished_at'], ['int8']],
];

/**
 * The Postgres hot path: creates, checkpoints, updates and conditional transitions issued in the
 * same tick go to the server as one statement: data-modifying CTEs (`INSERT ... SELECT * FROM
 * unnest(...)`, `UPDATE ... FROM unnest(...)`), so one round trip and one commit for the whole
 * batch (a single write too: no BEGIN/COMMIT round trips). If the batch fails (a bad row), each
 * write is retried on its own so only the bad one fails. Reads of executions by id issued in one
 * tick are one `= any($1)` select: a worker that claimed many jobs reads them all at once.
 *
 * @example
 * ```ts
 * const writer = new PostgresExecutionWriter({ pool, db, schema: 'weft' });
 * const executions = new SqlExecutionStore({ db, dialect: 'postgres', writer });
 * ```
 */
export class PostgresExecutionWriter implements ExecutionWriter {
  readonly #pool: pg.Pool;
  readonly #fallback: KyselyExecutionWriter;
  readonly #batcher: WriteBatcher<Op, unknown>;
  readonly #reads: WriteBatcher<string, Selectable<ExecutionsTable> | undefined>;
  readonly #table: (name: string) => string;

  constructor(options: { pool: pg.Pool; db: Kysely<WeftDatabase>; schema: string; concurrency?: number }) {
    this.#pool = options.pool;
    this.#fallback = new KyselyExecutionWriter(options.db);
    this.#table = (name) => `${pg.escapeIdentifier(options.schema)}.${pg.escapeIdentifier(name)}`;
    this.#batcher = new WriteBatcher((ops) => this.#flush(ops), {
      concurrency: options.concurrency ?? 4,
      dbSystem: 'postgresql',
    });
    this.#reads = new WriteBatcher((ids) => this.#read(ids), {
      concurrency: options.concurrency ?? 4,
      dbSystem: 'postgresql',
    });
  }

  insertExecution(row: ExecutionRow): Promise<boolean> {
    return this.#batcher.submit({ kind: 'execution', row }, row.id) as Promise<boolean>;
  }

  insertExecutionWithJob(row: ExecutionRow, job: Insertable<QueueJobsTable>): Promise<boolean> {
    return this.#batcher.submit({ kind: 'execution', row, job }, row.id) as Promise<boolean>;
  }

  writeCheckpoint(executionId: string, rows: NodeRunRow[], set?: ExecutionUpdate): Promise<number> {
    return this.#batcher.submit({ kind: 'checkpoint', id: executionId, rows, set }, executionId) as Promise<number>;
  }

  updateExecution(id: string, set: ExecutionUpdate): Promise<number> {
    return this.#batcher.submit({ kind: 'update', id, set }, id) as Promise<number>;
  }

  transitionExecution(id: string, from: string, set: ExecutionUpdate): Promise<number> {
    return this.#batcher.submit({ kind: 'update', id, set, from }, id) as Promise<number>;
  }

  readExecution(id: string): Promise<Selectable<ExecutionsTable> | undefined> {
    return this.#reads.submit(id);
  }

  async #read(ids: string[]): Promise<BatchOutcome<Selectable<ExecutionsTable> | undefined>[]> {
    const r = await this.#pool.query<Selectable<ExecutionsTable>>(
      `select * from ${this.#table('executions')} where id = any($1::text[])`,
      [[...new Set(ids)]],
    );
    const byId = new Map(r.rows.map((row) => [row.id, row]));
    return ids.map((id) => ({ value: byId.get(id) }));
  }

  /** Resolves once every write submitted so far has settled. */
  async drain(): Promise<void> {
    const busy = () => this.#batcher.pending + this.#batcher.running + this.#reads.pending + this.#reads.running > 0;
    while (busy()) await new Promise((r) => setTimeout(r, 1));
  }

  async #flush(ops: Op[]): Promise<BatchOutcome<unknown>[]> {
    const touched = ops.map((o) => (o.kind === 'execution' ? o.row.id : o.id));
    // One statement cannot see its own sub-statements' rows: an execution written twice in one
    // batch (callers are meant to await each write) goes one by one instead.
    if (new Set(touched).size !== touched.length) return this.#oneByOne(ops);
    const execs = ops.flatMap((o) => (o.kind === 'execution' ? [o.row] : []));
    const runs = ops.flatMap((o) => (o.kind === 'checkpoint' ? o.rows : []));
    const updates = ops.flatMap((o) =>
      o.kind === 'update'
        ? [{ id: o.id, set: o.set, from: o.from ?? null }]
        : o.kind === 'checkpoint' && o.set
          ? [{ id: o.id, set: o.set, from: null }]
          : [],
    );
    const params: unknown[] = [];
    const arg = (value: unknown, type: string) => {
      params.push(value);
      return `$${params.length}::${type}[]`;
    };
    const parts: string[] = [];
    const results: string[] = [];
    if (execs.length) {
      const args = EXEC_COLS.map(([c, t]) =>
        arg(
          execs.map((row) => row[c] ?? null),
          t,
        ),
      );
      // Only a row with an idempotency key can meet an existing one (ids are random): without one
      // in the batch a plain insert skips ON CONFLICT's speculative insertion (an extra probe of
      // each unique index and a confirm record in the WAL per row). A duplicate id would fail the
      // statement, and the one-by-one retry below reports it.
      const arbiter = execs.some((row) => row.idempotency_key != null) ? ' on conflict do nothing' : '';
      parts.push(`ins_exec as (insert into ${this.#table('executions')} (${EXEC_COLS.map(([c]) => c).join(', ')})
        select * from unnest(${args.join(', ')})${arbiter} returning id)`);
      results.push(`select 'e' as k, id from ins_exec`);
      // Start jobs of the executions inserted here (not of idempotent duplicates): one commit for
      // both; a job that cannot be inserted fails the statement, so no execution is left without it.
      const jobs = ops.flatMap((o) => (o.kind === 'execution' && o.job ? [o.job] : []));
      if (jobs.length) {
        const jobArgs = JOB_COLS.map(([c, t]) =>
          arg(
            jobs.map((job) => job[c] ?? null),
            t,
          ),
        );
        const names = JOB_COLS.map(([c]) => c).join(', ');
        parts.push(`ins_job as (insert into ${this.#table('queue_jobs')} (${names})
          select * from unnest(${jobArgs.join(', ')}) as j(${names})
          where j.execution_id in (select id from ins_exec))`);
      }
    }
    if (runs.length) {
      const args = RUN_COLS.map(([c, t]) =>
        arg(
          runs.map((row) => row[c] ?? null),
          t,
        ),
      );
      parts.push(`ins_run as (insert into ${this.#table('node_runs')} (${RUN_COLS.map(([c]) => c).join(', ')})
        select * from unnest(${args.join(', ')}) returning execution_id)`);
      results.push(`select 'r' as k, execution_id as id from ins_run`);
    }
    if (updates.length) {
      const cols = UPDATE_GROUPS.flatMap(([, names, types]) => names.map((c, i) => [c, types[i] as string] as const));
      const masks = updates.map((u) =>
        UPDATE_GROUPS.reduce((m, [bit, names]) => (names[0] && names[0] in u.set ? m | bit : m), 0),
      );
      const sets = UPDATE_GROUPS.flatMap(([bit, names]) =>
        names.map((c) => `${c} = case when v.m & ${bit} <> 0 then v.${c} else e.${c} end`),
      );
      const args = [
        arg(
          updates.map((u) => u.id),
          'text',
        ),
        arg(masks, 'int4'),
        arg(
          updates.map((u) => u.from),
          'text',
        ),
        ...cols.map(([c, t]) =>
          arg(
            updates.map((u) => u.set[c] ?? null),
            t,
          ),
        ),
      ];
      parts.push(`upd as (update ${this.#table('executions')} e set ${sets.join(', ')}
        from unnest(${args.join(', ')}) as v(id, m, f, ${cols.map(([c]) => c).join(', ')})
        where e.id = v.id and (v.f is null or e.status = v.f) returning e.id)`);
      results.push(`select 'u' as k, id from upd`);
    }
    try {
      const r = await this.#pool.query<{ k: string; id: string }>(
        `with ${parts.join(',\n')} ${results.join(' union all ')}`,
        params,
      );
      const inserted = new Set<string>();
      const updated = new Set<string>();
      for (const row of r.rows) (row.k === 'e' ? inserted : row.k === 'u' ? updated : undefined)?.add(row.id);
      return ops.map((o) => {
        if (o.kind === 'execution') return { value: inserted.has(o.row.id) };
        if (o.kind === 'update' || o.set) return { value: updated.has(o.id) ? 1 : 0 };
        return { value: 1 };
      });
    } catch {
      return this.#oneByOne(ops);
    }
  }

  async #oneByOne(ops: Op[]): Promise<BatchOutcome<unknown>[]> {
    return Promise.all(
      ops.map(async (o): Promise<BatchOutcome<unknown>> => {
        try {
          if (o.kind === 'execution')
            return {
              value: await (o.job
                ? this.#fallback.insertExecutionWithJob(o.row, o.job)
                : this.#fallback.insertExecution(o.row)),
            };
          if (o.kind === 'checkpoint') return { value: await this.#fallback.writeCheckpoint(o.id, o.rows, o.set) };
          if (o.from !== undefined) return { value: await this.#fallback.transitionExecution(o.id, o.from, o.set) };
          return { value: await this.#fallback.updateExecution(o.id, o.set) };
        } catch (error) {
          return { error };
        }
      }),
    );
  }
}
