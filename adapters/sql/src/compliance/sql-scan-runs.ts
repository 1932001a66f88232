import type { Kysely, Selectable } from 'kysely';
import type { HostDb } from '../host/host-database.js';
import type { ScanRunsTable, WeftDatabase } from '../schema.js';

/** One stored scan of a workflow version. `findings` are `@weft/compliance` findings (never secrets). */
export interface StoredScanRun<F = unknown> {
  id: string;
  workspaceId: string;
  workflowId: string;
  workflowVersion: number;
  at: number;
  /** What ran it: `save`, `request` (the scan route) or `cli`. */
  source: string;
  counts: { critical: number; high: number; medium: number; low: number };
  findings: F[];
}

/**
 * Scan runs on SQLite and Postgres (migration 13): one row per scan of a workflow version, newest
 * first by time with an id tie-break.
 *
 * @example
 * ```ts
 * const runs = new SqlScanRuns({ db, dialect: 'sqlite' });
 * await runs.record({ id, workspaceId, workflowId, workflowVersion: 3, at: Date.now(), source: 'save', counts, findings });
 * ```
 */
export class SqlScanRuns {
  readonly #db: Kysely<WeftDatabase>;

  constructor(h: HostDb) {
    this.#db = h.db;
  }

  async record(run: StoredScanRun): Promise<void> {
    await this.#db
      .insertInto('scan_runs')
      .values({
        id: run.id,
        workspace_id: run.workspaceId,
        workflow_id: run.workflowId,
        workflow_version: run.workflowVersion,
        at: run.at,
        source: run.source,
        ...run.counts,
        findings: JSON.stringify(run.findings),
      })
      .execute();
  }

  async get<F>(workspaceId: string, id: string): Promise<StoredScanRun<F> | undefined> {
    const r = await this.#db
      .selectFrom('scan_runs')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? fromRow<F>(r) : undefined;
  }

  /** Newest first; `before` is the `at`/`id` of the last run of the previous page. */
  async list<F>(
    workspaceId: string,
    options: { workflowId?: string; limit: number; before?: { at: number; id: string } },
  ): Promise<StoredScanRun<F>[]> {
    let q = this.#db.selectFrom('scan_runs').selectAll().where('workspace_id', '=', workspaceId);
    if (options.workflowId !== undefined) q = q.where('workflow_id', '=', options.workflowId);
    const before = options.before;
    if (before)
      q = q.where((eb) =>
        eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]),
      );
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
    return rows.map((r) => fromRow<F>(r));
  }
}

function fromRow<F>(r: Selectable<ScanRunsTable>): StoredScanRun<F> {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    workflowId: r.workflow_id,
    workflowVersion: Number(r.workflow_version),
    at: Number(r.at),
    source: r.source,
    counts: { critical: Number(r.critical), high: Number(r.high), medium: Number(r.medium), low: Number(r.low) },
    findings: JSON.parse(r.findings) as F[],
  };
}
