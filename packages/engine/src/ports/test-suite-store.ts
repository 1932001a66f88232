import type { JsonObject, JsonValue } from '../model/json.js';
import type { Page } from './workflow-store.js';

/**
 * One stored version of a workflow's test suite. Saving a suite never changes a stored version:
 * it creates the next one, recording the workflow version it was written against, so a suite
 * moves with its workflow and a run names both versions.
 */
export interface StoredTestSuite {
  workspaceId: string;
  workflowId: string;
  /** 1 for the first save, then one more per save. */
  version: number;
  /** The workflow version that was current when this suite version was saved. */
  workflowVersion: number;
  /** The suite document (cases, mocks, assertions), as `@weft/workflow-tests` defines it. */
  suite: JsonObject;
  /** Activation is refused while this suite fails. */
  gate: boolean;
  createdAt: number;
}

/** One run of a suite, with every case's results (and their per-assertion diffs). */
export interface TestRunRecord {
  id: string;
  workspaceId: string;
  workflowId: string;
  workflowVersion: number;
  suiteVersion: number;
  status: 'passed' | 'failed';
  total: number;
  passed: number;
  failed: number;
  durationMs: number;
  /** The cases' results, as `@weft/workflow-tests` reports them. */
  results: JsonValue;
  createdAt: number;
}

/**
 * Where workflow test suites (versioned) and their run results live.
 *
 * @example
 * ```ts
 * const stored = await store.save('ws1', 'wf1', { workflowVersion: 3, suite: { cases: [] }, gate: false });
 * await store.addRun({ id: 'r1', workspaceId: 'ws1', workflowId: 'wf1', workflowVersion: 3,
 *   suiteVersion: stored.version, status: 'passed', total: 0, passed: 0, failed: 0, durationMs: 1,
 *   results: [], createdAt: Date.now() });
 * const latest = await store.latestRun('ws1', 'wf1');
 * ```
 */
export interface TestSuiteStore {
  /** Stores the next version of the workflow's suite and returns it. */
  save(
    workspaceId: string,
    workflowId: string,
    suite: { workflowVersion: number; suite: JsonObject; gate: boolean },
  ): Promise<StoredTestSuite>;
  /** The latest version, or undefined when the workflow has no suite. */
  get(workspaceId: string, workflowId: string): Promise<StoredTestSuite | undefined>;
  getVersion(workspaceId: string, workflowId: string, version: number): Promise<StoredTestSuite | undefined>;
  /** Stores a run (ids are unique per workspace). */
  addRun(run: TestRunRecord): Promise<void>;
  getRun(workspaceId: string, runId: string): Promise<TestRunRecord | undefined>;
  /** The workflow's runs, newest first. */
  listRuns(
    workspaceId: string,
    workflowId: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<Page<TestRunRecord>>;
  /** The newest run of the workflow, if any. */
  latestRun(workspaceId: string, workflowId: string): Promise<TestRunRecord | undefined>;
  /** Deletes every suite version and run of the workflow; true when something was deleted. */
  delete(workspaceId: string, workflowId: string): Promise<boolean>;
}
