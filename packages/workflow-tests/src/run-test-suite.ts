import { InterpreterSandbox, type Workflow } from '@weft/engine';
import { type RunCaseOptions, runTestCase, type TestCaseResult } from './run-test-case.js';
import type { TestSuite } from './test-suite-schema.js';

/** How a suite run went. */
export interface TestSuiteResult {
  workflow: string;
  status: 'passed' | 'failed';
  total: number;
  passed: number;
  failed: number;
  durationMs: number;
  /** Epoch ms the run started. */
  startedAt: number;
  cases: TestCaseResult[];
}

/** Options of {@link runTestSuite}. */
export interface RunSuiteOptions extends Omit<RunCaseOptions, 'sandbox' | 'idPrefix'> {
  /** Where expressions and code run; the engine's QuickJS sandbox when omitted. Pass an isolate pool to run cases in parallel isolates. */
  sandbox?: RunCaseOptions['sandbox'];
  /** Run only these cases (by name); an unknown name is an error. */
  cases?: readonly string[];
  /** Cases run at once (default 8). */
  concurrency?: number;
}

/** A case name asked for that the suite does not have. */
export class UnknownTestCaseError extends Error {
  override readonly name = 'UnknownTestCaseError';
  constructor(readonly caseName: string) {
    super(`The suite has no test case named "${caseName}"`);
  }
}

/**
 * Runs a workflow's test suite (all cases, or the ones named), several cases at once, each in its
 * own engine with its own fixed clock, random source and ids; results come back in suite order.
 *
 * @example
 * ```ts
 * const result = await runTestSuite(workflow, suite, { registry, sandbox: new IsolateSandbox({ size: 2 }) });
 * process.exitCode = result.status === 'passed' ? 0 : 1;
 * ```
 */
export async function runTestSuite(
  workflow: Workflow,
  suite: TestSuite,
  options: RunSuiteOptions,
): Promise<TestSuiteResult> {
  const startedAt = Date.now();
  const started = performance.now();
  for (const name of options.cases ?? [])
    if (!suite.cases.some((c) => c.name === name)) throw new UnknownTestCaseError(name);
  const chosen = suite.cases
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => !options.cases || options.cases.includes(c.name));
  const ownSandbox = options.sandbox ? undefined : new InterpreterSandbox();
  const sandbox = options.sandbox ?? (ownSandbox as InterpreterSandbox);
  const results: TestCaseResult[] = new Array(chosen.length);
  let next = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const i = next++;
      const { c, index } = chosen[i] as (typeof chosen)[number];
      results[i] = await runTestCase(workflow, c, { ...options, sandbox, idPrefix: `test-case-${index + 1}` });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 8, chosen.length)) }, worker));
  } finally {
    await ownSandbox?.close();
  }
  const passed = results.filter((r) => r.status === 'passed').length;
  return {
    workflow: workflow.name,
    status: passed === results.length ? 'passed' : 'failed',
    total: results.length,
    passed,
    failed: results.length - passed,
    durationMs: performance.now() - started,
    startedAt,
    cases: results,
  };
}
