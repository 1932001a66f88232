import { Type } from '@sinclair/typebox';
import { sarifReport, scanWorkflow } from '@weft/compliance';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const Finding = Type.Object({
  ruleId: Type.String(),
  severity: Type.Union([Type.Literal('critical'), Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]),
  pointer: Type.String({ description: 'RFC 6901 JSON pointer into the workflow document' }),
  nodeId: Type.Optional(Type.String()),
  message: Type.String(),
  fix: Type.String(),
});

/**
 * Security scan of a stored workflow: hard-coded secrets, unauthenticated webhooks, plain http and
 * expression-built hosts, risky code, missing error handling; as findings or SARIF 2.1.0.
 *
 * @example
 * ```ts
 * mountRoutes(router, scanRoutes(runtime), runtime);
 * ```
 */
export function scanRoutes(rt: HostRuntime): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/scan',
      summary:
        'Scan a workflow for hard-coded secrets, SSRF-prone URLs, open webhooks, risky code and missing error handling',
      tag: 'compliance',
      auth: 'read',
      scope: 'workflows',
      params: WorkspaceParams,
      body: Type.Object(
        {
          workflowId: IdString,
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('sarif')], { default: 'json' })),
        },
        { additionalProperties: false },
      ),
      response: Type.Object({
        workflowId: Type.String(),
        version: Type.Integer(),
        findings: Type.Array(Finding),
        sarif: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
      handler: async ({ params, body }) => {
        const stored = await rt.engine.workflows.get(params.workspaceId, body.workflowId);
        if (!stored) throw new ProblemError(404, 'workflow-not-found', `Workflow "${body.workflowId}" not found`);
        const findings = scanWorkflow(stored.workflow);
        return {
          workflowId: stored.id,
          version: stored.version,
          findings,
          ...(body.format === 'sarif' ? { sarif: sarifReport(findings, `workflows/${stored.id}.json`) } : {}),
        };
      },
    }),
  ];
}
