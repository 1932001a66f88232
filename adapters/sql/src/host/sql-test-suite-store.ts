import type { JsonObject, Page, StoredTestSuite, TestRunRecord, TestSuiteStore } from '@weft/engine';
import { type Kysely, sql } from 'kysely';
import type { MillisColumn } from '../schema.js';
import { millis } from '../sql-dialect.js';
import { fromJson, type HostDb, toJson } from './host-database.js';

interface TestSuiteTables {
  workflow_test_suites: {
    workspace_id: string;
    workflow_id: string;
    version: number;
    workflow_version: number;
    suite: unknown;
    gate: number;
    created_at: MillisColumn;
  };
  workflow_test_runs: {
    workspace_id: string;
    id: string;
    workflow_id: string;
    workflow_version: number;
    suite_version: number;
    status: string;
    total: number;
    passed: number;
    failed: number;
    duration_ms: number;
    results: unknown;
    created_at: MillisColumn;
  };
}

type SuiteRow = TestSuiteTables['workflow_test_suites'];
type RunRow = TestSuiteTables['workflow_test_runs'];

/**
 * {@link TestSuiteStore} on the `workflow_test_suites` and `workflow_test_runs` tables
 * (migration 12), for SQLite and Postgres alike. A save takes the version after the
 * newest; two saves racing for the same number retry on the primary key.
 *
 * @example
 * ```ts
 * const suites = new SqlTestSuiteStore({ db: storage.db, dialect: 'sqlite' });
 * const stored = await suites.save('ws1', 'wf1', { workflowVersion: 2, suite: { cases: [] }, gate: true });
 * ```
 */
export class SqlTestSuiteStore implements TestSuiteStore {
  readonly #db: Kysely<TestSuiteTables>;

  constructor(h: HostDb) {
    this.#db = h.db as unknown as Kysely<TestSuiteTables>;
  }

  async save(
    workspaceId: string,
    workflowId: string,
    suite: { workflowVersion: number; suite: JsonObject; gate: boolean },
  ): Promise<StoredTestSuite> {
    const createdAt = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const last = await this.#suites(workspaceId, workflowId)
          .select(sql<number | string | null>`max(version)`.as('last'))
          .executeTakeFirst();
        const row = await this.#db
          .insertInto('workflow_test_suites')
          .values({
            workspace_id: workspaceId,
            workflow_id: workflowId,
            version: Number(last?.last ?? 0) + 1,
            workflow_version: suite.workflowVersion,
            suite: toJson(suite.suite),
            gate: suite.gate ? 1 : 0,
            created_at: createdAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toSuite(row);
      } catch (e) {
        if (attempt >= 4 || !/unique|duplicate|primary key/i.test((e as Error).message)) throw e;
      }
    }
  }

  async get(workspaceId: string, workflowId: string): Promise<StoredTestSuite | undefined> {
    const row = await this.#suites(workspaceId, workflowId)
      .selectAll()
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && toSuite(row);
  }

  async getVersion(workspaceId: string, workflowId: string, version: number): Promise<StoredTestSuite | undefined> {
    const row = await this.#suites(workspaceId, workflowId)
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    return row && toSuite(row);
  }

  #suites(workspaceId: string, workflowId: string) {
    return this.#db
      .selectFrom('workflow_test_suites')
      .where('workspace_id', '=', workspaceId)
      .where('workflow_id', '=', workflowId);
  }

  async addRun(run: TestRunRecord): Promise<void> {
    await this.#db
      .insertInto('workflow_test_runs')
      .values({
        workspace_id: run.workspaceId,
        id: run.id,
        workflow_id: run.workflowId,
        workflow_version: run.workflowVersion,
        suite_version: run.suiteVersion,
        status: run.status,
        total: run.total,
        passed: run.passed,
        failed: run.failed,
        duration_ms: run.durationMs,
        results: toJson(run.results),
        created_at: run.createdAt,
      })
      .execute();
  }

  async getRun(workspaceId: string, runId: string): Promise<TestRunRecord | undefined> {
    const row = await this.#db
      .selectFrom('workflow_test_runs')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', runId)
      .executeTakeFirst();
    return row && toRun(row);
  }

  async listRuns(
    workspaceId: string,
    workflowId: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<TestRunRecord>> {
    const limit = Math.max(1, options.limit ?? 50);
    const cursor = options.cursor === undefined ? undefined : parseCursor(options.cursor);
    const rows = await this.#db
      .selectFrom('workflow_test_runs')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('workflow_id', '=', workflowId)
      .$if(cursor !== undefined, (q) => {
        const { at, id } = cursor as { at: number; id: string };
        return q.where((eb) =>
          eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', id)])]),
        );
      })
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const items = rows.slice(0, limit).map(toRun);
    const last = items.at(-1);
    return rows.length > limit && last ? { items, nextCursor: `${last.createdAt}:${last.id}` } : { items };
  }

  async latestRun(workspaceId: string, workflowId: string): Promise<TestRunRecord | undefined> {
    return (await this.listRuns(workspaceId, workflowId, { limit: 1 })).items[0];
  }

  async delete(workspaceId: string, workflowId: string): Promise<boolean> {
    const suites = await this.#db
      .deleteFrom('workflow_test_suites')
      .where('workspace_id', '=', workspaceId)
      .where('workflow_id', '=', workflowId)
      .executeTakeFirst();
    const runs = await this.#db
      .deleteFrom('workflow_test_runs')
      .where('workspace_id', '=', workspaceId)
      .where('workflow_id', '=', workflowId)
      .executeTakeFirst();
    return Number(suites.numDeletedRows) + Number(runs.numDeletedRows) > 0;
  }
}

function parseCursor(cursor: string): { at: number; id: string } {
  const sep = cursor.indexOf(':');
  const at = Number(cursor.slice(0, sep));
  if (sep < 1 || !Number.isSafeInteger(at)) throw new Error(`Invalid test runs cursor: ${cursor}`);
  return { at, id: cursor.slice(sep + 1) };
}

function toSuite(row: SuiteRow): StoredTestSuite {
  return {
    workspaceId: row.workspace_id,
    workflowId: row.workflow_id,
    version: Number(row.version),
    workflowVersion: Number(row.workflow_version),
    suite: fromJson<JsonObject>(row.suite),
    gate: Number(row.gate) === 1,
    createdAt: millis(row.created_at),
  };
}

function toRun(row: RunRow): TestRunRecord {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    workflowId: row.workflow_id,
    workflowVersion: Number(row.workflow_version),
    suiteVersion: Number(row.suite_version),
    status: row.status === 'passed' ? 'passed' : 'failed',
    total: Number(row.total),
    passed: Number(row.passed),
    failed: Number(row.failed),
    durationMs: Number(row.duration_ms),
    results: fromJson(row.results),
    createdAt: millis(row.created_at),
  };
}
