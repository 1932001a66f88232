import { Type } from '@sinclair/typebox';
import type { AuditActor } from '@weft/engine';
import { buildComplianceReport } from '../compliance/compliance-report.js';
import { listReports, readReport, saveReport } from '../compliance/report-archive.js';
import type { Principal } from '../http/principal.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

const ReportParams = Type.Object({ workspaceId: IdString, reportId: IdString });
/** Report ids the host makes; anything else is answered 404 without touching storage. */
const REPORT_ID = /^rpt_[a-z0-9]{1,40}$/;

const Counts = Type.Object({
  critical: Type.Integer(),
  high: Type.Integer(),
  medium: Type.Integer(),
  low: Type.Integer(),
});
const Millis = Type.Integer({ description: 'Epoch ms' });
const OrNull = <T extends ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

const ReportSchema = Type.Object({
  format: Type.Literal('weft-compliance-report/1'),
  id: Type.String(),
  workspaceId: Type.String(),
  workspaceName: Type.String(),
  generatedAt: Millis,
  generatedBy: Type.Object({ type: Type.String(), id: Type.String() }),
  members: Type.Object({
    total: Type.Integer(),
    byRole: Type.Record(Type.String(), Type.Integer()),
    items: Type.Array(
      Type.Object({
        userId: Type.String(),
        email: Type.String(),
        name: Type.Union([Type.String(), Type.Null()]),
        role: Type.String(),
        mfaEnabled: Type.Boolean(),
        since: Millis,
      }),
    ),
  }),
  mfa: Type.Object({
    enabled: Type.Integer(),
    total: Type.Integer(),
    coverage: Type.Number({ description: 'Share of members with MFA on, 0 to 1' }),
    without: Type.Array(Type.String()),
  }),
  apiKeys: Type.Object({
    active: Type.Integer(),
    revoked: Type.Integer(),
    withoutExpiry: Type.Integer(),
    dueForRotation: Type.Integer({ description: 'Active keys 90 days old or older' }),
    oldestAgeDays: OrNull(Type.Integer()),
    items: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        prefix: Type.String(),
        role: Type.String(),
        createdAt: Millis,
        ageDays: Type.Integer(),
        lastUsedAt: OrNull(Millis),
        expiresAt: OrNull(Millis),
      }),
    ),
  }),
  auditChain: Type.Object({
    ok: Type.Boolean(),
    entries: Type.Integer(),
    checkpoints: Type.Integer(),
    archivedThrough: Type.Integer(),
    broken: Type.Union([
      Type.Object({ position: Type.Integer(), reason: Type.String(), message: Type.String() }),
      Type.Null(),
    ]),
  }),
  scans: Type.Object({
    workflowsScanned: Type.Integer(),
    latestAt: OrNull(Millis),
    findings: Counts,
    workflows: Type.Array(
      Type.Object({ workflowId: Type.String(), workflowVersion: Type.Integer(), at: Millis, findings: Counts }),
    ),
  }),
  retention: Type.Object({
    auditArchives: Type.Integer(),
    auditArchivedThrough: Type.Integer(),
    lastAuditArchiveAt: OrNull(Millis),
    deliveryRetentionDays: Type.Integer(),
    analyticsRetentionDays: Type.Object({
      partials: Type.Integer(),
      fiveMinute: Type.Integer(),
      hourly: Type.Integer(),
    }),
    scanBlockSeverity: Type.String(),
    encryptPayloads: Type.Boolean(),
    subjectPaths: Type.Array(Type.String()),
  }),
});

const actorOf = (p: Principal): AuditActor =>
  p.kind === 'apiKey' ? { type: 'api-key', id: p.key.id } : { type: p.scope ? 'embed-user' : 'user', id: p.userId };

/**
 * SOC 2-style compliance reports (issue 13), for admins and owners: generate one (members and
 * roles, MFA coverage, API-key ages, audit-chain verification, scan summary, retention), stored as
 * JSON and HTML in the `compliance-docs` blob bucket; list them; read one in either format.
 *
 * @example
 * ```ts
 * mountRoutes(router, reportRoutes(runtime), runtime);
 * ```
 */
export function reportRoutes(rt: HostRuntime): AnyRoute[] {
  const base = '/workspaces/:workspaceId/reports';
  const notFound = (id: string) => new ProblemError(404, 'report-not-found', `Report "${id}" not found`);
  return [
    defineRoute({
      method: 'get',
      path: base,
      summary: 'Stored compliance reports, newest first',
      tag: 'compliance',
      auth: 'admin',
      scope: 'audit',
      params: WorkspaceParams,
      response: Type.Object({
        items: Type.Array(
          Type.Object({
            id: Type.String(),
            generatedAt: Millis,
            generatedBy: Type.String({ description: '`<actor type>:<id>`' }),
            auditChainOk: Type.Boolean(),
          }),
        ),
      }),
      handler: async ({ params }) => ({ items: await listReports(rt, params.workspaceId) }),
    }),
    defineRoute({
      method: 'post',
      path: base,
      summary:
        'Generate a compliance report (members and roles, MFA coverage, API-key ages, audit-chain verification, scan summary, retention) and store it as JSON and HTML',
      tag: 'compliance',
      auth: 'admin',
      scope: 'audit',
      params: WorkspaceParams,
      status: 201,
      response: ReportSchema,
      handler: async ({ params, principal, res }) => {
        const report = await buildComplianceReport(rt, params.workspaceId, actorOf(principal));
        await saveReport(rt, report);
        res.status(201);
        return report;
      },
    }),
    defineRoute({
      method: 'get',
      path: `${base}/:reportId`,
      summary: 'A stored compliance report as JSON',
      tag: 'compliance',
      auth: 'admin',
      scope: 'audit',
      params: ReportParams,
      response: ReportSchema,
      handler: async ({ params }) => {
        const bytes = REPORT_ID.test(params.reportId)
          ? await readReport(rt, params.workspaceId, params.reportId, 'json')
          : undefined;
        if (!bytes) throw notFound(params.reportId);
        return JSON.parse(new TextDecoder().decode(bytes));
      },
    }),
    defineRoute({
      method: 'get',
      path: `${base}/:reportId/html`,
      summary: 'A stored compliance report as a printable HTML page',
      tag: 'compliance',
      auth: 'admin',
      scope: 'audit',
      params: ReportParams,
      produces: 'text/html',
      handler: async ({ params, res }) => {
        const bytes = REPORT_ID.test(params.reportId)
          ? await readReport(rt, params.workspaceId, params.reportId, 'html')
          : undefined;
        if (!bytes) throw notFound(params.reportId);
        res.status(200);
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.setHeader('content-disposition', `inline; filename="${params.reportId}.html"`);
        res.end(Buffer.from(bytes));
      },
    }),
  ];
}
