import { Value } from '@sinclair/typebox/value';
import type { Workflow } from '@weft/engine';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { type TestSuite, TestSuiteSchema } from './test-suite-schema.js';

/** One thing wrong with a suite document: a JSON pointer into it and what is wrong there. */
export interface TestSuiteProblem {
  path: string;
  message: string;
}

/** A suite document that cannot be used, with every problem found. */
export class InvalidTestSuiteError extends Error {
  override readonly name = 'InvalidTestSuiteError';
  constructor(readonly problems: TestSuiteProblem[]) {
    const first = problems[0];
    super(
      `Invalid test suite: ${first ? `${first.path || '/'} ${first.message}` : 'unknown problem'}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
    );
  }
}

const targets = (a: Record<string, unknown>): string[] =>
  [a.node, ...(Array.isArray(a.nodes) ? a.nodes : [])].filter((n): n is string => typeof n === 'string');

/**
 * Every problem of a suite document: against the schema, then against the workflow when given
 * (mocked and asserted nodes must exist, case names must be unique, `now` must be a date).
 *
 * @example
 * ```ts
 * const problems = testSuiteProblems(doc, workflow);
 * for (const p of problems) console.log(`${p.path}: ${p.message}`);
 * ```
 */
export function testSuiteProblems(doc: unknown, workflow?: Workflow): TestSuiteProblem[] {
  const schema = [...Value.Errors(TestSuiteSchema, doc)].slice(0, 20).map((e) => ({
    path: e.path,
    message: e.message,
  }));
  if (schema.length) return schema;
  const suite = doc as TestSuite;
  const problems: TestSuiteProblem[] = [];
  const names = new Set(workflow?.nodes.map((n) => n.name));
  const seen = new Set<string>();
  suite.cases.forEach((c, i) => {
    if (seen.has(c.name)) problems.push({ path: `/cases/${i}/name`, message: `"${c.name}" names two cases` });
    seen.add(c.name);
    if (c.now !== undefined && Number.isNaN(Date.parse(c.now)))
      problems.push({ path: `/cases/${i}/now`, message: `"${c.now}" is not an ISO date-time` });
    if (!workflow) return;
    for (const node of Object.keys(c.mocks ?? {}))
      if (!names.has(node))
        problems.push({
          path: `/cases/${i}/mocks/${node}`,
          message: `mocks a node "${node}" the workflow does not have`,
        });
    c.assertions.forEach((a, j) => {
      for (const node of targets(a))
        if (!names.has(node))
          problems.push({
            path: `/cases/${i}/assertions/${j}`,
            message: `names a node "${node}" the workflow does not have`,
          });
    });
    if (c.startNode && !workflow.nodes.some((n) => n.id === c.startNode || n.name === c.startNode))
      problems.push({ path: `/cases/${i}/startNode`, message: `no node "${c.startNode}" in the workflow` });
  });
  return problems;
}

/**
 * Checks a suite document and returns it typed; throws {@link InvalidTestSuiteError} naming
 * every problem.
 *
 * @example
 * ```ts
 * const suite = checkTestSuite(JSON.parse(text), workflow);
 * ```
 */
export function checkTestSuite(doc: unknown, workflow?: Workflow): TestSuite {
  const problems = testSuiteProblems(doc, workflow);
  if (problems.length) throw new InvalidTestSuiteError(problems);
  return doc as TestSuite;
}

/**
 * Reads a suite from JSON or YAML text (YAML is a superset of JSON, so either parses) and checks it.
 *
 * @example
 * ```ts
 * const suite = parseTestSuite(readFileSync('orders.tests.yaml', 'utf8'), workflow);
 * ```
 */
export function parseTestSuite(text: string, workflow?: Workflow): TestSuite {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new InvalidTestSuiteError([
      { path: '', message: `is not valid JSON or YAML: ${(e as Error).message.split('\n')[0]}` },
    ]);
  }
  return checkTestSuite(doc, workflow);
}

/**
 * Writes a suite as YAML (for hand editing) or pretty JSON.
 *
 * @example
 * ```ts
 * writeFileSync('orders.tests.yaml', stringifyTestSuite(suite, 'yaml'));
 * ```
 */
export function stringifyTestSuite(suite: TestSuite, format: 'json' | 'yaml'): string {
  return format === 'yaml' ? toYaml(suite) : `${JSON.stringify(suite, null, 2)}\n`;
}
