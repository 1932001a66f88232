import { Type } from '@sinclair/typebox';
import { parseScanThreshold, type ScanFinding, sarifReport } from '@weft/compliance';
import { SqlComplianceSettings, SqlScanRuns } from '@weft/sql';
import { subjectSealing } from '../compliance/subject-sealing.js';
import { recordScan, scanBlockSeverity } from '../compliance/workflow-scans.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, KeysetCursor, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const Severity = Type.Union([
  Type.Literal('critical'),
  Type.Literal('high'),
  Type.Literal('medium'),
  Type.Literal('low'),
]);

const Finding = Type.Object({
  ruleId: Type.String(),
  severity: Severity,
  pointer: Type.String({ description: 'RFC 6901 JSON pointer into the workflow document' }),
  nodeId: Type.Optional(Type.String()),
  message: Type.String(),
  fix: Type.String(),
});

const ScanRunSchema = Type.Object({
  id: Type.String(),
  workflowId: Type.String(),
  workflowVersion: Type.Integer(),
  at: Type.Integer({ description: 'Epoch ms' }),
  source: Type.String({ description: '`save`, `request` or `cli`' }),
  counts: Type.Object({ critical: Type.Integer(), high: Type.Integer(), medium: Type.Integer(), low: Type.Integer() }),
  findings: Type.Array(Finding),
});

const Threshold = Type.Union([Severity, Type.Literal('off')]);
const SubjectPath = Type.String({ pattern: '^[A-Za-z0-9_$-]{1,100}(\\.[A-Za-z0-9_$-]{1,100}){0,9}$' });

/**
 * Security scans of workflows: scan a stored workflow (findings or SARIF 2.1.0, stored as a run),
 * the stored runs (every save is scanned), and the workspace's compliance settings (the severity
 * that refuses activation, the trigger-input paths that name a data subject).
 *
 * @example
 * ```ts
 * mountRoutes(router, scanRoutes(runtime), runtime);
 * ```
 */
export function scanRoutes(rt: HostRuntime): AnyRoute[] {
  const runs = new SqlScanRuns(rt.h);
  const settings = new SqlComplianceSettings(rt.h);
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
        runId: Type.String(),
        workflowId: Type.String(),
        version: Type.Integer(),
        findings: Type.Array(Finding),
        sarif: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
      handler: async ({ params, body }) => {
        const stored = await rt.engine.workflows.get(params.workspaceId, body.workflowId);
        if (!stored) throw new ProblemError(404, 'workflow-not-found', `Workflow "${body.workflowId}" not found`);
        const run = await recordScan(rt, stored, 'request');
        return {
          runId: run.id,
          workflowId: stored.id,
          version: stored.version,
          findings: run.findings,
          ...(body.format === 'sarif' ? { sarif: sarifReport(run.findings, `workflows/${stored.id}.json`) } : {}),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/scan-runs',
      summary: 'Stored scan runs (one per save and per requested scan), newest first',
      tag: 'compliance',
      auth: 'read',
      scope: 'workflows',
      params: WorkspaceParams,
      query: Type.Object({
        workflowId: Type.Optional(IdString),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
        cursor: Type.Optional(KeysetCursor),
      }),
      response: Type.Object({ items: Type.Array(ScanRunSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
      handler: async ({ params, query }) => {
        const limit = query.limit ?? 20;
        const sep = query.cursor?.indexOf(':') ?? -1;
        const before = query.cursor
          ? { at: Number(query.cursor.slice(0, sep)), id: query.cursor.slice(sep + 1) }
          : undefined;
        const items = await runs.list(params.workspaceId, {
          limit,
          ...(query.workflowId !== undefined ? { workflowId: query.workflowId } : {}),
          ...(before ? { before } : {}),
        });
        const last = items.at(-1);
        return {
          items: items.map(({ workspaceId: _w, ...r }) => r),
          nextCursor: items.length === limit && last ? `${last.at}:${last.id}` : null,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/scan-runs/:runId',
      summary: 'One stored scan run with its findings; `?format=sarif` adds the SARIF 2.1.0 log',
      tag: 'compliance',
      auth: 'read',
      scope: 'workflows',
      params: Type.Object({ workspaceId: IdString, runId: IdString }),
      query: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('sarif')])) }),
      response: Type.Intersect([
        ScanRunSchema,
        Type.Object({ sarif: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }),
      ]),
      handler: async ({ params, query }) => {
        const run = await runs.get<ScanFinding>(params.workspaceId, params.runId);
        if (!run) throw new ProblemError(404, 'scan-run-not-found', `Scan run "${params.runId}" not found`);
        const { workspaceId: _w, ...rest } = run;
        return {
          ...rest,
          ...(query.format === 'sarif' ? { sarif: sarifReport(run.findings, `workflows/${run.workflowId}.json`) } : {}),
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/workspaces/:workspaceId/compliance-settings',
      summary: 'Compliance settings: the scan severity that refuses activation and the data-subject paths',
      tag: 'compliance',
      auth: 'read',
      scope: 'workflows',
      params: WorkspaceParams,
      response: Type.Object({
        scanBlockSeverity: Type.Union([Threshold, Type.Null()]),
        effectiveScanBlockSeverity: Threshold,
        subjectPaths: Type.Array(Type.String()),
        encryptPayloads: Type.Boolean(),
      }),
      handler: async ({ params }) => ({
        ...(await settings.get(params.workspaceId)),
        effectiveScanBlockSeverity: await scanBlockSeverity(rt, params.workspaceId),
      }),
    }),
    defineRoute({
      method: 'put',
      path: '/workspaces/:workspaceId/compliance-settings',
      summary:
        'Set the scan severity that refuses activation (null: the host default), the data-subject paths and payload encryption at rest',
      tag: 'compliance',
      auth: 'admin',
      scope: 'workflows',
      params: WorkspaceParams,
      body: Type.Object(
        {
          scanBlockSeverity: Type.Union([Threshold, Type.Null()]),
          subjectPaths: Type.Array(SubjectPath, {
            maxItems: 20,
            description:
              'Dot paths into the first trigger item whose value names the data subject, e.g. `customer.email`',
          }),
          encryptPayloads: Type.Optional(
            Type.Boolean({
              description:
                'Encrypt every execution payload at rest with the workspace data key (HIPAA-style); unset keeps the current value',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      response: Type.Object({
        scanBlockSeverity: Type.Union([Threshold, Type.Null()]),
        effectiveScanBlockSeverity: Threshold,
        subjectPaths: Type.Array(Type.String()),
        encryptPayloads: Type.Boolean(),
      }),
      handler: async ({ params, body }) => {
        const scanBlockSeverity_ =
          body.scanBlockSeverity === null ? null : parseScanThreshold(body.scanBlockSeverity, 'scanBlockSeverity');
        await settings.put(params.workspaceId, {
          scanBlockSeverity: scanBlockSeverity_,
          subjectPaths: body.subjectPaths,
          ...(body.encryptPayloads === undefined ? {} : { encryptPayloads: body.encryptPayloads }),
        });
        subjectSealing(rt.h).refresh(params.workspaceId);
        return {
          scanBlockSeverity: scanBlockSeverity_,
          subjectPaths: body.subjectPaths,
          encryptPayloads: (await settings.get(params.workspaceId)).encryptPayloads === true,
          effectiveScanBlockSeverity: await scanBlockSeverity(rt, params.workspaceId),
        };
      },
    }),
  ];
}
