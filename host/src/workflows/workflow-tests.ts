import { randomUUID } from 'node:crypto';
import type { JsonObject, StoredTestSuite, StoredWorkflow, TestRunRecord, TestSuiteStore } from '@weft/engine';
import { SqlTestSuiteStore } from '@weft/sql';
import {
  caseFromExecution,
  checkTestSuite,
  InvalidTestSuiteError,
  parseTestSuite,
  runTestSuite,
  type TestCase,
  type TestSuite,
  UnknownTestCaseError,
} from '@weft/workflow-tests';
import { ConflictError, InvalidInputError, NotFoundError } from '../runtime/host-error.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const stores = new WeakMap<HostRuntime, TestSuiteStore>();

/** The runtime's test suite store (SQL, on the host's database). */
export function testSuiteStore(rt: HostRuntime): TestSuiteStore {
  let store = stores.get(rt);
  if (!store) {
    store = new SqlTestSuiteStore(rt.h);
    stores.set(rt, store);
  }
  return store;
}

/** The stored workflow, or a 404 naming it (a suite's runs are listed only under a workflow that exists). */
export async function workflowOf(rt: HostRuntime, workspaceId: string, workflowId: string): Promise<StoredWorkflow> {
  const stored = await rt.engine.workflows.get(workspaceId, workflowId);
  if (!stored) throw new NotFoundError('workflow-not-found', `Workflow "${workflowId}" not found`);
  return stored;
}

function invalid(e: unknown, where: string): never {
  if (e instanceof InvalidTestSuiteError)
    throw new InvalidInputError('invalid-test-suite', e.message, {
      errors: e.problems.map((p) => ({ in: where, path: p.path, message: p.message })),
    });
  throw e;
}

/**
 * Saves a new version of a workflow's test suite (a document, or its YAML text), checked against
 * the workflow's latest version: mocked and asserted nodes must exist.
 *
 * @example
 * ```ts
 * await saveTestSuite(rt, 'ws1', 'wf1', { suite: { gate: true, cases } });
 * ```
 */
export async function saveTestSuite(
  rt: HostRuntime,
  workspaceId: string,
  workflowId: string,
  input: { suite?: unknown; yaml?: string },
): Promise<StoredTestSuite> {
  if ((input.suite === undefined) === (input.yaml === undefined))
    throw new InvalidInputError('invalid-test-suite', 'Send the suite as either `suite` (JSON) or `yaml` (text)', {
      errors: [{ in: 'body', path: '', message: 'exactly one of suite, yaml' }],
    });
  const stored = await workflowOf(rt, workspaceId, workflowId);
  let suite: TestSuite;
  try {
    suite =
      input.yaml !== undefined
        ? parseTestSuite(input.yaml, stored.workflow)
        : checkTestSuite(input.suite, stored.workflow);
  } catch (e) {
    invalid(e, input.yaml !== undefined ? 'body/yaml' : 'body/suite');
  }
  return testSuiteStore(rt).save(workspaceId, workflowId, {
    workflowVersion: stored.version,
    suite: suite as unknown as JsonObject,
    gate: suite.gate === true,
  });
}

/** The workflow's latest suite; 404 when it has none. */
export async function requiredTestSuite(
  rt: HostRuntime,
  workspaceId: string,
  workflowId: string,
  version?: number,
): Promise<StoredTestSuite> {
  const store = testSuiteStore(rt);
  const found =
    version === undefined
      ? await store.get(workspaceId, workflowId)
      : await store.getVersion(workspaceId, workflowId, version);
  if (!found)
    throw new NotFoundError(
      'test-suite-not-found',
      version === undefined
        ? `Workflow "${workflowId}" has no test suite`
        : `Workflow "${workflowId}" has no test suite version ${version}`,
    );
  return found;
}

/**
 * Runs a workflow's latest suite (all cases, or the ones named) against the workflow's latest
 * version on the host's isolate pool, and stores the run with every case's per-assertion results.
 *
 * @example
 * ```ts
 * const run = await runWorkflowTests(rt, 'ws1', 'wf1', { cases: ['large order'] });
 * console.log(run.status, run.failed);
 * ```
 */
export async function runWorkflowTests(
  rt: HostRuntime,
  workspaceId: string,
  workflowId: string,
  options: { cases?: string[]; workflow?: StoredWorkflow } = {},
): Promise<TestRunRecord> {
  const stored = options.workflow ?? (await workflowOf(rt, workspaceId, workflowId));
  const suite = await requiredTestSuite(rt, workspaceId, workflowId);
  let result: Awaited<ReturnType<typeof runTestSuite>>;
  try {
    result = await runTestSuite(stored.workflow, suite.suite as unknown as TestSuite, {
      registry: rt.registry,
      sandbox: rt.sandbox,
      workflowId,
      workspaceId,
      ...(options.cases ? { cases: options.cases } : {}),
    });
  } catch (e) {
    if (e instanceof UnknownTestCaseError)
      throw new InvalidInputError('unknown-test-case', e.message, {
        errors: [{ in: 'body', path: '/cases', message: e.message }],
      });
    throw e;
  }
  const run: TestRunRecord = {
    id: randomUUID(),
    workspaceId,
    workflowId,
    workflowVersion: stored.version,
    suiteVersion: suite.version,
    status: result.status,
    total: result.total,
    passed: result.passed,
    failed: result.failed,
    durationMs: result.durationMs,
    results: JSON.parse(JSON.stringify(result.cases)),
    createdAt: result.startedAt,
  };
  await testSuiteStore(rt).addRun(run);
  return run;
}

/**
 * Adds a case built from a real execution of the workflow ("save this run as a test case") to the
 * workflow's suite (a new suite version; the first one when there was none).
 *
 * @example
 * ```ts
 * const { suite, testCase } = await saveExecutionAsCase(rt, 'ws1', 'wf1', { executionId, name: 'large order' });
 * ```
 */
export async function saveExecutionAsCase(
  rt: HostRuntime,
  workspaceId: string,
  workflowId: string,
  options: { executionId: string; name: string },
): Promise<{ suite: StoredTestSuite; testCase: TestCase }> {
  const record = await rt.engine.executions.get(workspaceId, options.executionId);
  if (!record || record.workflowId !== workflowId)
    throw new NotFoundError(
      'execution-not-found',
      `Execution "${options.executionId}" of workflow "${workflowId}" not found`,
    );
  const stored =
    (await rt.engine.workflows.getVersion(workspaceId, workflowId, record.workflowVersion)) ??
    (await workflowOf(rt, workspaceId, workflowId));
  const runs = await rt.engine.executions.listNodeRuns(record.id);
  const testCase = caseFromExecution({
    name: options.name,
    record,
    runs,
    workflow: stored.workflow,
    registry: rt.registry,
  });
  const current = await testSuiteStore(rt).get(workspaceId, workflowId);
  const suite = (current?.suite ?? { cases: [] }) as unknown as TestSuite;
  if (suite.cases.some((c) => c.name === options.name))
    throw new ConflictError('test-case-exists', `The suite already has a case named "${options.name}"`);
  const saved = await saveTestSuite(rt, workspaceId, workflowId, {
    suite: { ...suite, cases: [...suite.cases, testCase] },
  });
  return { suite: saved, testCase };
}

/**
 * The activation gate: when the workflow's suite has `gate` on, runs it against the version being
 * activated (or saved while the workflow is active, since that version goes live at once) and
 * refuses (409 `test-suite-failing`, naming the failing cases and the stored run) unless every
 * case passes.
 *
 * @example
 * ```ts
 * await checkActivationGate(rt, 'ws1', stored); // throws ConflictError while the suite fails
 * ```
 */
export async function checkActivationGate(
  rt: HostRuntime,
  workspaceId: string,
  stored: StoredWorkflow,
  action: 'Activation' | 'Save' = 'Activation',
): Promise<void> {
  const suite = await testSuiteStore(rt).get(workspaceId, stored.id);
  if (!suite?.gate) return;
  const run = await runWorkflowTests(rt, workspaceId, stored.id, { workflow: stored });
  if (run.status === 'passed') return;
  const failing = (run.results as { name: string; status: string }[])
    .filter((c) => c.status !== 'passed')
    .map((c) => `"${c.name}"`);
  throw new ConflictError(
    'test-suite-failing',
    `${action} refused${action === 'Save' ? ' (the workflow is active)' : ''}: test suite version ${suite.version} fails ${run.failed} of ${run.total} case${run.total === 1 ? '' : 's'} (${failing.slice(0, 5).join(', ')}${failing.length > 5 ? ', ...' : ''})`,
    { testRunId: run.id, failed: run.failed, total: run.total },
  );
}
