import type { JsonObject } from '../model/json.js';
import type { StoredTestSuite, TestRunRecord, TestSuiteStore } from '../ports/test-suite-store.js';
import type { Page } from '../ports/workflow-store.js';

const copy = <T>(v: T): T => structuredClone(v);

/**
 * In-memory {@link TestSuiteStore}; documents are copied in and out.
 *
 * @example
 * ```ts
 * const store = new MemoryTestSuiteStore();
 * await store.save('ws1', 'wf1', { workflowVersion: 1, suite: { cases: [] }, gate: true });
 * ```
 */
export class MemoryTestSuiteStore implements TestSuiteStore {
  readonly #suites = new Map<string, StoredTestSuite[]>();
  readonly #runs = new Map<string, TestRunRecord>();

  async save(
    workspaceId: string,
    workflowId: string,
    suite: { workflowVersion: number; suite: JsonObject; gate: boolean },
  ): Promise<StoredTestSuite> {
    const key = `${workspaceId}\u0000${workflowId}`;
    const versions = this.#suites.get(key) ?? [];
    const stored: StoredTestSuite = {
      workspaceId,
      workflowId,
      version: versions.length + 1,
      workflowVersion: suite.workflowVersion,
      suite: copy(suite.suite),
      gate: suite.gate,
      createdAt: Date.now(),
    };
    versions.push(stored);
    this.#suites.set(key, versions);
    return copy(stored);
  }

  async get(workspaceId: string, workflowId: string): Promise<StoredTestSuite | undefined> {
    const latest = this.#suites.get(`${workspaceId}\u0000${workflowId}`)?.at(-1);
    return latest && copy(latest);
  }

  async getVersion(workspaceId: string, workflowId: string, version: number): Promise<StoredTestSuite | undefined> {
    const found = this.#suites.get(`${workspaceId}\u0000${workflowId}`)?.find((s) => s.version === version);
    return found && copy(found);
  }

  async addRun(run: TestRunRecord): Promise<void> {
    const key = `${run.workspaceId}\u0000${run.id}`;
    if (this.#runs.has(key)) throw new Error(`Test run "${run.id}" already exists`);
    this.#runs.set(key, copy(run));
  }

  async getRun(workspaceId: string, runId: string): Promise<TestRunRecord | undefined> {
    const run = this.#runs.get(`${workspaceId}\u0000${runId}`);
    return run && copy(run);
  }

  async listRuns(
    workspaceId: string,
    workflowId: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<Page<TestRunRecord>> {
    const all = [...this.#runs.values()]
      .filter((r) => r.workspaceId === workspaceId && r.workflowId === workflowId)
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
    const start = options.cursor ? all.findIndex((r) => r.id === options.cursor) + 1 : 0;
    const limit = options.limit ?? 50;
    const items = all.slice(start, start + limit).map(copy);
    const more = start + limit < all.length;
    return { items, ...(more && items.length ? { nextCursor: (items.at(-1) as TestRunRecord).id } : {}) };
  }

  async latestRun(workspaceId: string, workflowId: string): Promise<TestRunRecord | undefined> {
    return (await this.listRuns(workspaceId, workflowId, { limit: 1 })).items[0];
  }

  async delete(workspaceId: string, workflowId: string): Promise<boolean> {
    const deleted = this.#suites.delete(`${workspaceId}\u0000${workflowId}`);
    let runs = false;
    for (const [key, run] of this.#runs)
      if (run.workspaceId === workspaceId && run.workflowId === workflowId) runs = this.#runs.delete(key) || runs;
    return deleted || runs;
  }
}
