import { Type } from '@sinclair/typebox';
import type { StoredTestSuite, TestRunRecord } from '@weft/engine';
import { stringifyTestSuite, type TestSuite, TestSuiteSchema } from '@weft/workflow-tests';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, KeysetCursor, VersionNumber, WorkflowParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import {
  requiredTestSuite,
  runWorkflowTests,
  saveExecutionAsCase,
  saveTestSuite,
  testSuiteStore,
  workflowOf,
} from '../workflows/workflow-tests.js';

const StoredSuite = Type.Object({
  workflowId: Type.String(),
  version: Type.Integer({ description: 'Suite version (one more per save)' }),
  workflowVersion: Type.Integer({ description: 'Workflow version current when this suite version was saved' }),
  gate: Type.Boolean({ description: 'Activation is refused while the suite fails' }),
  createdAt: Type.Integer(),
  suite: TestSuiteSchema,
  yaml: Type.Optional(Type.String({ description: 'The suite as YAML (format=yaml)' })),
});
const TestRun = Type.Object({
  id: Type.String(),
  workflowId: Type.String(),
  workflowVersion: Type.Integer(),
  suiteVersion: Type.Integer(),
  status: Type.Union([Type.Literal('passed'), Type.Literal('failed')]),
  total: Type.Integer(),
  passed: Type.Integer(),
  failed: Type.Integer(),
  durationMs: Type.Number(),
  createdAt: Type.Integer(),
  results: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    description: 'Per case: status, path, error, unmocked nodes, and each assertion with its diff',
  }),
});
const CaseName = Type.String({ minLength: 1, maxLength: 200 });

const suiteAnswer = (s: StoredTestSuite, yaml = false) => ({
  workflowId: s.workflowId,
  version: s.version,
  workflowVersion: s.workflowVersion,
  gate: s.gate,
  createdAt: s.createdAt,
  suite: s.suite,
  ...(yaml ? { yaml: stringifyTestSuite(s.suite as unknown as TestSuite, 'yaml') } : {}),
});
const runAnswer = ({ workspaceId: _ws, ...run }: TestRunRecord) => run;

/**
 * Workflow test suites: read and save the suite (JSON or YAML; each save a new version), save an
 * execution as a case, run all or chosen cases (results stored with per-assertion diffs), list runs.
 *
 * @example
 * ```ts
 * mountRoutes(router, testSuiteRoutes(runtime), runtime);
 * ```
 */
export function testSuiteRoutes(rt: HostRuntime): AnyRoute[] {
  const one = '/workspaces/:workspaceId/workflows/:workflowId';
  return [
    defineRoute({
      method: 'get',
      path: `${one}/test-suite`,
      summary: "The workflow's test suite (latest version, or ?version=), optionally with its YAML text",
      tag: 'test-suites',
      scope: 'workflows',
      auth: 'read',
      params: WorkflowParams,
      query: Type.Object({
        version: Type.Optional(VersionNumber),
        format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('yaml')])),
      }),
      response: StoredSuite,
      handler: async ({ params, query }) =>
        suiteAnswer(
          await requiredTestSuite(rt, params.workspaceId, params.workflowId, query.version),
          query.format === 'yaml',
        ),
    }),
    defineRoute({
      method: 'put',
      path: `${one}/test-suite`,
      summary:
        'Save the test suite as a new version: `suite` (JSON) or `yaml` (text); `gate` refuses activation while it fails',
      tag: 'test-suites',
      scope: 'workflows',
      auth: 'write',
      params: WorkflowParams,
      body: Type.Object(
        { suite: Type.Optional(TestSuiteSchema), yaml: Type.Optional(Type.String({ maxLength: 1_000_000 })) },
        { additionalProperties: false },
      ),
      response: StoredSuite,
      handler: async ({ params, body }) =>
        suiteAnswer(await saveTestSuite(rt, params.workspaceId, params.workflowId, body)),
    }),
    defineRoute({
      method: 'post',
      path: `${one}/test-suite/cases/from-execution`,
      summary:
        'Save an execution of the workflow as a test case: its input, mocks for side-effecting nodes, assertions on the path and final outputs',
      tag: 'test-suites',
      scope: 'workflows',
      auth: 'write',
      status: 201,
      params: WorkflowParams,
      body: Type.Object({ executionId: IdString, name: CaseName }, { additionalProperties: false }),
      response: Type.Object({ suite: StoredSuite, case: Type.Record(Type.String(), Type.Unknown()) }),
      handler: async ({ params, body }) => {
        const saved = await saveExecutionAsCase(rt, params.workspaceId, params.workflowId, body);
        return { suite: suiteAnswer(saved.suite), case: saved.testCase };
      },
    }),
    defineRoute({
      method: 'post',
      path: `${one}/test-suites/run`,
      summary:
        'Run the test suite (all cases, or `cases` by name) against the latest workflow version; the run is stored',
      tag: 'test-suites',
      scope: 'workflows',
      auth: 'execute',
      params: WorkflowParams,
      body: Type.Object(
        { cases: Type.Optional(Type.Array(CaseName, { minItems: 1, maxItems: 1000 })) },
        { additionalProperties: false },
      ),
      response: TestRun,
      handler: async ({ params, body }) =>
        runAnswer(
          await runWorkflowTests(rt, params.workspaceId, params.workflowId, body.cases ? { cases: body.cases } : {}),
        ),
    }),
    defineRoute({
      method: 'get',
      path: `${one}/test-suites/runs`,
      summary: "The workflow's test runs, newest first",
      tag: 'test-suites',
      scope: 'workflows',
      auth: 'read',
      params: WorkflowParams,
      query: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
        cursor: Type.Optional(KeysetCursor),
      }),
      response: Type.Object({ items: Type.Array(TestRun), nextCursor: Type.Optional(Type.String()) }),
      handler: async ({ params, query }) => {
        await workflowOf(rt, params.workspaceId, params.workflowId);
        const page = await testSuiteStore(rt).listRuns(params.workspaceId, params.workflowId, {
          limit: query.limit ?? 20,
          ...(query.cursor ? { cursor: query.cursor } : {}),
        });
        return { items: page.items.map(runAnswer), ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
      },
    }),
    defineRoute({
      method: 'get',
      path: `${one}/test-suites/runs/:runId`,
      summary: 'One test run with every case result and per-assertion diff',
      tag: 'test-suites',
      scope: 'workflows',
      auth: 'read',
      params: Type.Object({ ...WorkflowParams.properties, runId: IdString }),
      response: TestRun,
      handler: async ({ params }) => {
        const run = await testSuiteStore(rt).getRun(params.workspaceId, params.runId);
        if (!run || run.workflowId !== params.workflowId)
          throw new ProblemError(404, 'test-run-not-found', `Test run "${params.runId}" not found`);
        return runAnswer(run);
      },
    }),
  ];
}
