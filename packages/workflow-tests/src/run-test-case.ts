import {
  type CodeSandbox,
  type ExecutionResult,
  type Item,
  MemoryExecutionStore,
  type NodeRegistry,
  type NodeRunRecord,
  type PortItems,
  type SandboxLimits,
  type Workflow,
  WorkflowEngine,
} from '@weft/engine';
import { CaseClock, seededRandom } from './case-clock.js';
import { type AssertionResult, checkAssertion } from './check-assertion.js';
import { SeededSandbox } from './seeded-sandbox.js';
import { SideEffectGuard, type UnmockedNode } from './side-effect-guard.js';
import type { TestCase } from './test-suite-schema.js';

/** `$now` of a case that names none. */
export const DEFAULT_CASE_NOW = '2026-01-01T00:00:00.000Z';

/** How one case went. */
export interface TestCaseResult {
  name: string;
  status: 'passed' | 'failed';
  durationMs: number;
  /** How the execution ended. */
  executionStatus: ExecutionResult['status'];
  /** The execution's error, when it failed. */
  error?: { code: string; message: string; node?: string };
  /** Nodes, in the order they ran. */
  path: string[];
  /** Side-effecting nodes that would have run without a mock (the case fails). */
  unmocked: UnmockedNode[];
  assertions: AssertionResult[];
}

/** What running a case needs. */
export interface RunCaseOptions {
  registry: NodeRegistry;
  sandbox: CodeSandbox;
  sandboxLimits?: Partial<SandboxLimits>;
  /** Names the case's execution ids (`$execution.id`): `<idPrefix>-1`, ... */
  idPrefix?: string;
  workflowId?: string;
  workspaceId?: string;
  /** Allow-listed variables for `$env` (none by default: a case sees what it pins). */
  env?: Record<string, string>;
}

const MAX_TIMER_RESUMES = 100;

function startNodeId(workflow: Workflow, startNode: string | undefined): string | undefined {
  if (!startNode) return undefined;
  return workflow.nodes.find((n) => n.id === startNode || n.name === startNode)?.id ?? startNode;
}

/**
 * Runs one test case in its own engine: the trigger gets the case's input, mocked nodes output
 * their pinned items instead of running, side-effecting nodes without a mock fail the case, the
 * clock starts at the case's `now` and only moves when something sleeps or a timer is due, and the
 * random source (retry jitter and `Math.random()` in expressions and code) and execution ids are
 * fixed per case, so a case gives the same result every run.
 *
 * @example
 * ```ts
 * const result = await runTestCase(workflow, { name: 'small order', input: [{ json: { body: { lines: [] } } }],
 *   assertions: [{ kind: 'equals', node: 'Tag small', item: 0, path: 'tier', value: 'small' }] },
 *   { registry, sandbox });
 * console.log(result.status);
 * ```
 */
export async function runTestCase(
  workflow: Workflow,
  testCase: TestCase,
  options: RunCaseOptions,
): Promise<TestCaseResult> {
  const started = performance.now();
  const now = Date.parse(testCase.now ?? DEFAULT_CASE_NOW);
  const clock = new CaseClock(now);
  const unmocked: UnmockedNode[] = [];
  const executions = new MemoryExecutionStore();
  let ids = 0;
  const prefix = options.idPrefix ?? 'test';
  const limits: SandboxLimits = { timeoutMs: 1000, memoryMb: 64, ...options.sandboxLimits };
  const engine = new WorkflowEngine({
    registry: new SideEffectGuard(options.registry, unmocked),
    sandbox: new SeededSandbox(options.sandbox, testCase.seed ?? 1),
    sandboxLimits: limits,
    executions,
    clock,
    random: seededRandom(testCase.seed ?? 1),
    newId: () => `${prefix}-${++ids}`,
    env: options.env ?? {},
  });
  const workspaceId = options.workspaceId ?? 'test';
  const run = { workflow: { ...workflow, id: options.workflowId ?? workflow.id ?? 'workflow' } };
  const start = startNodeId(workflow, testCase.startNode);
  let result = await engine.execute(run.workflow, {
    workspaceId,
    mode: 'test',
    input: (testCase.input ?? [{ json: {} }]) as Item[],
    pinData: (testCase.mocks ?? {}) as Record<string, Item[]>,
    ...(start ? { startNodeId: start } : {}),
  });
  for (let i = 0; result.status === 'waiting' && result.wait?.kind === 'timer' && i < MAX_TIMER_RESUMES; i++) {
    clock.advanceTo(result.wait.resumeAt ?? clock.now());
    result = await engine.resume(result.executionId, {
      workflow: run.workflow,
      workspaceId,
      pinData: (testCase.mocks ?? {}) as Record<string, Item[]>,
    });
  }
  const runs = (await executions.listNodeRuns(result.executionId)).filter((r) => r.status !== 'running');
  const outputs = lastOutputs(runs);
  const outcome = {
    result,
    runs,
    outputs,
    sandbox: options.sandbox,
    sandboxLimits: limits,
    expressionData: {
      nodes: Object.fromEntries([...outputs].map(([name, ports]) => [name, ports.main ?? []])),
      execution: { id: result.executionId, mode: 'test' },
      workflow: { id: run.workflow.id, name: workflow.name },
      env: options.env ?? {},
      now: clock.now(),
    },
  };
  const assertions: AssertionResult[] = [];
  for (const a of testCase.assertions) assertions.push(await checkAssertion(a, outcome));
  const expectsError = testCase.assertions.some((a) => a.kind === 'error');
  if (result.status !== 'succeeded' && !expectsError && !unmocked.length) assertions.push(unexpectedEnd(result));
  const error = result.error
    ? {
        code: result.error.code,
        message: result.error.message,
        ...(result.error.nodeName ? { node: result.error.nodeName } : {}),
      }
    : undefined;
  const passed = unmocked.length === 0 && assertions.every((a) => a.passed);
  return {
    name: testCase.name,
    status: passed ? 'passed' : 'failed',
    durationMs: performance.now() - started,
    executionStatus: result.status,
    ...(error ? { error } : {}),
    path: runs.map((r) => r.nodeName),
    unmocked,
    assertions,
  };
}

function lastOutputs(runs: NodeRunRecord[]): Map<string, PortItems> {
  const outputs = new Map<string, PortItems>();
  for (const r of runs) if (r.output) outputs.set(r.nodeName, r.output);
  return outputs;
}

function unexpectedEnd(result: ExecutionResult): AssertionResult {
  const why = result.error
    ? `${result.error.code}${result.error.nodeName ? ` at "${result.error.nodeName}"` : ''}: ${result.error.message}`
    : `waiting (${result.wait?.kind ?? 'unknown'}) at node ${result.wait?.nodeId ?? '?'}: mock the node it waits on`;
  return {
    kind: 'error',
    label: 'the execution succeeds',
    passed: false,
    message: `the execution ${result.status}: ${why}`,
    diff: [`$.status: expected "succeeded", received "${result.status}"`],
  };
}
