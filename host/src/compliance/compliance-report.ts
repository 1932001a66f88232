import { randomBytes } from 'node:crypto';
import type { AuditActor } from '@weft/engine';
import { SqlComplianceSettings, SqlScanRuns } from '@weft/sql';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { auditArchives } from './audit-retention.js';
import { hostAudit } from './host-audit.js';
import { scanBlockSeverity } from './workflow-scans.js';

const DAY = 86_400_000;
/** API keys older than this are counted as due for rotation. */
export const API_KEY_ROTATION_DAYS = 90;

type Severity = 'critical' | 'high' | 'medium' | 'low';

/**
 * SOC 2-style evidence about one workspace at one moment (`weft-compliance-report/1`): who has
 * access and with which role, MFA coverage, API-key ages, the audit chain's verification, the
 * latest scan of every workflow, and the retention settings.
 */
export interface ComplianceReport {
  format: 'weft-compliance-report/1';
  id: string;
  workspaceId: string;
  workspaceName: string;
  generatedAt: number;
  generatedBy: AuditActor;
  members: {
    total: number;
    byRole: Record<string, number>;
    items: { userId: string; email: string; name: string | null; role: string; mfaEnabled: boolean; since: number }[];
  };
  mfa: { enabled: number; total: number; coverage: number; without: string[] };
  apiKeys: {
    active: number;
    revoked: number;
    withoutExpiry: number;
    dueForRotation: number;
    oldestAgeDays: number | null;
    items: {
      id: string;
      name: string;
      prefix: string;
      role: string;
      createdAt: number;
      ageDays: number;
      lastUsedAt: number | null;
      expiresAt: number | null;
    }[];
  };
  auditChain: {
    ok: boolean;
    entries: number;
    checkpoints: number;
    archivedThrough: number;
    broken: { position: number; reason: string; message: string } | null;
  };
  scans: {
    workflowsScanned: number;
    latestAt: number | null;
    findings: Record<Severity, number>;
    workflows: { workflowId: string; workflowVersion: number; at: number; findings: Record<Severity, number> }[];
  };
  retention: {
    auditArchives: number;
    auditArchivedThrough: number;
    lastAuditArchiveAt: number | null;
    deliveryRetentionDays: number;
    analyticsRetentionDays: { partials: number; fiveMinute: number; hourly: number };
    scanBlockSeverity: string;
    encryptPayloads: boolean;
    subjectPaths: string[];
  };
}

/** A new report id: time-ordered (base-36 milliseconds), then random. */
export function newReportId(now: number): string {
  return `rpt_${now.toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}

/**
 * Gathers a {@link ComplianceReport} of a workspace from the host's stores (entries still being
 * written to the audit log land first, so the verification covers them).
 *
 * @example
 * ```ts
 * const report = await buildComplianceReport(runtime, 'ws_1', { type: 'user', id: 'usr_1' });
 * console.log(report.mfa.coverage, report.auditChain.ok);
 * ```
 */
export async function buildComplianceReport(
  rt: HostRuntime,
  workspaceId: string,
  generatedBy: AuditActor,
  now = Date.now(),
): Promise<ComplianceReport> {
  const workspace = await rt.identity.workspace(workspaceId);
  const members = await Promise.all(
    (await rt.identity.members(workspaceId)).map(async (m) => ({
      userId: m.userId,
      email: m.email,
      name: m.name,
      role: m.role,
      mfaEnabled: (await rt.identity.userById(m.userId))?.mfaEnabled === true,
      since: m.createdAt,
    })),
  );
  const byRole: Record<string, number> = {};
  for (const m of members) byRole[m.role] = (byRole[m.role] ?? 0) + 1;
  const withMfa = members.filter((m) => m.mfaEnabled).length;

  const keys = await rt.apiKeys.list(workspaceId);
  const active = keys
    .filter((k) => k.revokedAt === null && (k.expiresAt === null || k.expiresAt > now))
    .map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      role: k.role,
      createdAt: k.createdAt,
      ageDays: Math.floor((now - k.createdAt) / DAY),
      lastUsedAt: k.lastUsedAt,
      expiresAt: k.expiresAt,
    }))
    .sort((a, b) => a.createdAt - b.createdAt);

  await hostAudit(rt).settled();
  const verification = await hostAudit(rt).log.verify(workspaceId);
  const archives = await auditArchives(rt, workspaceId);
  const settings = await new SqlComplianceSettings(rt.h).get(workspaceId);

  return {
    format: 'weft-compliance-report/1',
    id: newReportId(now),
    workspaceId,
    workspaceName: workspace?.name ?? workspaceId,
    generatedAt: now,
    generatedBy,
    members: { total: members.length, byRole, items: members },
    mfa: {
      enabled: withMfa,
      total: members.length,
      coverage: members.length ? Math.round((withMfa / members.length) * 10_000) / 10_000 : 1,
      without: members.filter((m) => !m.mfaEnabled).map((m) => m.email),
    },
    apiKeys: {
      active: active.length,
      revoked: keys.filter((k) => k.revokedAt !== null).length,
      withoutExpiry: active.filter((k) => k.expiresAt === null).length,
      dueForRotation: active.filter((k) => k.ageDays >= API_KEY_ROTATION_DAYS).length,
      oldestAgeDays: active[0]?.ageDays ?? null,
      items: active,
    },
    auditChain: {
      ok: verification.ok,
      entries: verification.entries,
      checkpoints: verification.checkpoints,
      archivedThrough: verification.archivedThrough,
      broken: verification.broken
        ? {
            position: verification.broken.position,
            reason: verification.broken.reason,
            message: verification.broken.message,
          }
        : null,
    },
    scans: await scanSummary(rt, workspaceId),
    retention: {
      auditArchives: archives.length,
      auditArchivedThrough: archives.at(-1)?.throughPosition ?? 0,
      lastAuditArchiveAt: archives.at(-1)?.at ?? null,
      deliveryRetentionDays: rt.config.deliveryRetentionDays,
      analyticsRetentionDays: rt.config.analyticsRetentionDays,
      scanBlockSeverity: await scanBlockSeverity(rt, workspaceId),
      encryptPayloads: settings.encryptPayloads === true,
      subjectPaths: settings.subjectPaths,
    },
  };
}

/** The newest scan run of every workflow (paging through the runs, newest first). */
async function scanSummary(rt: HostRuntime, workspaceId: string): Promise<ComplianceReport['scans']> {
  const runs = new SqlScanRuns(rt.h);
  const latest = new Map<string, ComplianceReport['scans']['workflows'][number]>();
  let before: { at: number; id: string } | undefined;
  for (;;) {
    const page = await runs.list(workspaceId, { limit: 500, ...(before ? { before } : {}) });
    for (const r of page) {
      if (!latest.has(r.workflowId))
        latest.set(r.workflowId, {
          workflowId: r.workflowId,
          workflowVersion: r.workflowVersion,
          at: r.at,
          findings: { ...r.counts },
        });
    }
    const last = page.at(-1);
    if (page.length < 500 || !last) break;
    before = { at: last.at, id: last.id };
  }
  const workflows = [...latest.values()].sort((a, b) => a.workflowId.localeCompare(b.workflowId));
  const findings: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const w of workflows) for (const s of Object.keys(findings) as Severity[]) findings[s] += w.findings[s];
  return {
    workflowsScanned: workflows.length,
    latestAt: workflows.length ? Math.max(...workflows.map((w) => w.at)) : null,
    findings,
    workflows,
  };
}
