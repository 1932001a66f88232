import type { ComplianceReport } from './compliance-report.js';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
const date = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toISOString().replace('.000Z', 'Z'));
const pct = (ratio: number): string => `${Math.round(ratio * 1000) / 10}%`;

function table(head: string[], rows: unknown[][]): string {
  if (!rows.length) return '<p class="none">None.</p>';
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * The printable HTML of a {@link ComplianceReport}: one self-contained page (inline styles, no
 * scripts), every value escaped.
 *
 * @example
 * ```ts
 * await bucket.put(`reports/${r.workspaceId}/${r.id}.html`, new TextEncoder().encode(renderReportHtml(r)));
 * ```
 */
export function renderReportHtml(r: ComplianceReport): string {
  const chain = r.auditChain;
  const chainText = chain.ok
    ? `Verified: ${chain.entries} entries, ${chain.checkpoints} signed checkpoints, archived through position ${chain.archivedThrough}.`
    : `BROKEN at position ${chain.broken?.position} (${chain.broken?.reason}): ${chain.broken?.message}`;
  const s = r.scans.findings;
  const ret = r.retention;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Compliance report — ${esc(r.workspaceName)}</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1c2430;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.25rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #d4dae3}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e5e9ef}
th{background:#f3f5f8}.ok{color:#0a7a3d;font-weight:600}.bad{color:#b3261e;font-weight:600}.none{color:#5d6b7e}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{color:#5d6b7e}
</style></head><body>
<h1>Compliance report — ${esc(r.workspaceName)}</h1>
<p>Workspace ${esc(r.workspaceId)} · report ${esc(r.id)} · generated ${esc(date(r.generatedAt))} by ${esc(r.generatedBy.type)} ${esc(r.generatedBy.id)}</p>

<h2>Audit chain</h2>
<p id="audit-chain" class="${chain.ok ? 'ok' : 'bad'}">${esc(chainText)}</p>

<h2>Members and roles</h2>
<p>${r.members.total} members: ${esc(
    Object.entries(r.members.byRole)
      .map(([role, n]) => `${n} ${role}`)
      .join(', '),
  )}.</p>
${table(
  ['Email', 'Name', 'Role', 'MFA', 'Member since'],
  r.members.items.map((m) => [m.email, m.name ?? '', m.role, m.mfaEnabled ? 'on' : 'OFF', date(m.since)]),
)}

<h2>MFA coverage</h2>
<p id="mfa-coverage">${pct(r.mfa.coverage)} (${r.mfa.enabled} of ${r.mfa.total} members).${
    r.mfa.without.length ? ` Without MFA: ${esc(r.mfa.without.join(', '))}.` : ''
  }</p>

<h2>API keys</h2>
<p>${r.apiKeys.active} active, ${r.apiKeys.revoked} revoked; ${r.apiKeys.dueForRotation} active keys are 90 days or older, ${r.apiKeys.withoutExpiry} never expire.</p>
${table(
  ['Name', 'Prefix', 'Role', 'Created', 'Age (days)', 'Last used', 'Expires'],
  r.apiKeys.items.map((k) => [
    k.name,
    k.prefix,
    k.role,
    date(k.createdAt),
    k.ageDays,
    date(k.lastUsedAt),
    date(k.expiresAt),
  ]),
)}

<h2>Security scans</h2>
<p>${r.scans.workflowsScanned} workflows scanned; latest scans find ${s.critical} critical, ${s.high} high, ${s.medium} medium, ${s.low} low.</p>
${table(
  ['Workflow', 'Version', 'Scanned', 'Critical', 'High', 'Medium', 'Low'],
  r.scans.workflows.map((w) => [
    w.workflowId,
    w.workflowVersion,
    date(w.at),
    w.findings.critical,
    w.findings.high,
    w.findings.medium,
    w.findings.low,
  ]),
)}

<h2>Retention and data protection</h2>
<dl>
<dt>Audit archives</dt><dd>${ret.auditArchives} (through position ${ret.auditArchivedThrough}, last ${esc(date(ret.lastAuditArchiveAt))})</dd>
<dt>Webhook delivery log</dt><dd>${ret.deliveryRetentionDays ? `${ret.deliveryRetentionDays} days` : 'until pruned'}</dd>
<dt>Analytics</dt><dd>partials ${ret.analyticsRetentionDays.partials} days, 5-minute ${ret.analyticsRetentionDays.fiveMinute} days, hourly and daily ${ret.analyticsRetentionDays.hourly} days</dd>
<dt>Activation blocked at</dt><dd>${esc(ret.scanBlockSeverity)}</dd>
<dt>Payloads encrypted at rest</dt><dd>${ret.encryptPayloads ? 'yes' : 'no'}</dd>
<dt>Data-subject paths</dt><dd>${esc(ret.subjectPaths.join(', ') || '—')}</dd>
</dl>
</body></html>
`;
}
