import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { NodeRegistry } from '@weft/engine';
import { IsolateSandbox } from '@weft/sandbox';
import {
  checkTestSuite,
  failureLines,
  formatReport,
  InvalidTestSuiteError,
  runTestSuite,
  type TestCaseResult,
  type TestReporter,
  type TestSuiteResult,
} from '@weft/workflow-tests';
import { HostError } from '../runtime/host-error.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { runWorkflowTests } from '../workflows/workflow-tests.js';
import { CliError } from './cli-error.js';
import { withRuntime } from './maintenance-commands.js';
import { readDocument } from './read-document.js';
import { loadValidWorkflow } from './validate-command.js';

/** Options of `weft test`. */
export interface TestCommandOptions {
  /** A workflow file (JSON/YAML), or the id of a workflow stored in the host's database. */
  target: string;
  /** The suite file for a workflow file (default: `<name>.tests.yaml|yml|json` beside it). */
  suite?: string | undefined;
  reporter?: string | undefined;
  /** Workspace of a stored workflow (needed when the host has several). */
  workspace?: string | undefined;
  registry: NodeRegistry;
  out: (line: string) => void;
  env?: Record<string, string | undefined>;
}

const REPORTERS = ['junit', 'tap', 'json'];

function suitePathFor(file: string): string {
  const stem = file.replace(/\.(json|ya?ml)$/i, '');
  const found = ['.tests.yaml', '.tests.yml', '.tests.json'].map((ext) => stem + ext).find((p) => existsSync(p));
  if (!found)
    throw new CliError(`No test suite for ${file}: pass --suite <file> or put ${stem}.tests.yaml next to it`, 2);
  return found;
}

async function runFile(options: TestCommandOptions): Promise<TestSuiteResult> {
  const workflow = await loadValidWorkflow(options.target, options.registry);
  const suitePath = options.suite ?? suitePathFor(options.target);
  let suite: ReturnType<typeof checkTestSuite>;
  try {
    suite = checkTestSuite(await readDocument(suitePath, 'test suite'), workflow);
  } catch (e) {
    if (!(e instanceof InvalidTestSuiteError)) throw e;
    throw new CliError(e.problems.map((p) => `${suitePath}#${p.path}: ${p.message}`).join('\n'), 2);
  }
  const sandbox = new IsolateSandbox({ size: Math.max(1, Math.min(4, availableParallelism())) });
  try {
    return await runTestSuite(workflow, suite, { registry: options.registry, sandbox });
  } finally {
    await sandbox.close();
  }
}

async function workspaceOf(rt: HostRuntime, given: string | undefined): Promise<string> {
  if (given) return given;
  const ids = await rt.identity.listWorkspaceIds();
  if (ids.length !== 1) throw new CliError(`Pass --workspace <id> (this host has ${ids.length} workspaces)`, 2);
  return ids[0] as string;
}

async function runStored(options: TestCommandOptions): Promise<TestSuiteResult> {
  return withRuntime(options.env ?? process.env, async (rt) => {
    const ws = await workspaceOf(rt, options.workspace);
    try {
      const stored = await rt.engine.workflows.get(ws, options.target);
      const run = await runWorkflowTests(rt, ws, options.target);
      return {
        workflow: stored?.workflow.name ?? options.target,
        status: run.status,
        total: run.total,
        passed: run.passed,
        failed: run.failed,
        durationMs: run.durationMs,
        startedAt: run.createdAt,
        cases: run.results as unknown as TestCaseResult[],
      };
    } catch (e) {
      if (e instanceof HostError) throw new CliError(e.message, e.kind === 'invalid-input' ? 2 : 1);
      throw e;
    }
  });
}

function summary(result: TestSuiteResult): string[] {
  const lines = [`▶ ${result.workflow}`];
  for (const c of result.cases) {
    lines.push(`  ${c.status === 'passed' ? '✓' : '✗'} ${c.name} (${c.durationMs.toFixed(1)} ms)`);
    for (const l of failureLines(c)) lines.push(`      ${l}`);
  }
  lines.push(
    `${result.passed} passed, ${result.failed} failed, ${result.total} total in ${result.durationMs.toFixed(0)} ms`,
  );
  return lines;
}

/**
 * `weft test <workflow file or id>`: runs the workflow's test suite — for a file, the suite file
 * next to it (or `--suite`), in this process on an isolate pool; for an id, the stored suite of the
 * stored workflow, with the run stored like the API's — and prints a summary or a JUnit, TAP or
 * JSON report. Exit code 1 when any case fails, 2 for bad input.
 *
 * @example
 * ```ts
 * const code = await testCommand({ target: 'orders.yaml', reporter: 'junit', registry, out: console.log });
 * ```
 */
export async function testCommand(options: TestCommandOptions): Promise<number> {
  if (options.reporter !== undefined && !REPORTERS.includes(options.reporter))
    throw new CliError(`Unknown reporter "${options.reporter}": use ${REPORTERS.join(', ')}`, 2);
  const looksLikeFile = /\.(json|ya?ml)$/i.test(options.target) || options.target.includes('/');
  const result = looksLikeFile || existsSync(options.target) ? await runFile(options) : await runStored(options);
  if (options.reporter) options.out(formatReport([result], options.reporter as TestReporter).trimEnd());
  else for (const line of summary(result)) options.out(line);
  return result.status === 'passed' ? 0 : 1;
}
