import type { HostRuntime } from '../runtime/host-runtime.js';
import type { ComplianceReport } from './compliance-report.js';
import { renderReportHtml } from './compliance-report-html.js';

/** What a report list shows of each stored report. */
export interface StoredReportInfo {
  id: string;
  generatedAt: number;
  generatedBy: string;
  auditChainOk: boolean;
}

const encoder = new TextEncoder();
const prefix = (workspaceId: string) => `reports/${workspaceId}/`;

/**
 * Stores a report in the `compliance-docs` blob bucket as JSON and HTML
 * (`reports/<workspace>/<id>.json|.html`; encrypted client-side on S3 by default).
 *
 * @example
 * ```ts
 * await saveReport(runtime, await buildComplianceReport(runtime, 'ws_1', actor));
 * ```
 */
export async function saveReport(rt: HostRuntime, report: ComplianceReport): Promise<void> {
  const bucket = rt.blob.storage.bucket('compliance-docs');
  const metadata = {
    'generated-at': String(report.generatedAt),
    'generated-by': `${report.generatedBy.type}:${report.generatedBy.id}`,
    'audit-chain-ok': String(report.auditChain.ok),
  };
  const key = `${prefix(report.workspaceId)}${report.id}`;
  await bucket.put(`${key}.json`, encoder.encode(JSON.stringify(report)), {
    contentType: 'application/json',
    metadata,
  });
  await bucket.put(`${key}.html`, encoder.encode(renderReportHtml(report)), {
    contentType: 'text/html; charset=utf-8',
    metadata,
  });
}

/**
 * The workspace's stored reports, newest first.
 *
 * @example
 * ```ts
 * for (const r of await listReports(runtime, 'ws_1')) console.log(r.id, r.auditChainOk);
 * ```
 */
export async function listReports(rt: HostRuntime, workspaceId: string, limit = 100): Promise<StoredReportInfo[]> {
  const bucket = rt.blob.storage.bucket('compliance-docs');
  const out: StoredReportInfo[] = [];
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: prefix(workspaceId), limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const b of page.items) {
      if (!b.key.endsWith('.json')) continue;
      out.push({
        id: b.key.slice(prefix(workspaceId).length, -'.json'.length),
        generatedAt: Number(b.metadata['generated-at'] ?? b.lastModified.getTime()),
        generatedBy: b.metadata['generated-by'] ?? '',
        auditChainOk: b.metadata['audit-chain-ok'] === 'true',
      });
    }
    cursor = page.cursor;
  } while (cursor);
  return out.sort((a, b) => b.generatedAt - a.generatedAt || b.id.localeCompare(a.id)).slice(0, limit);
}

/**
 * A stored report's bytes in one of its formats, or undefined when there is none.
 *
 * @example
 * ```ts
 * const html = await readReport(runtime, 'ws_1', 'rpt_…', 'html');
 * ```
 */
export function readReport(
  rt: HostRuntime,
  workspaceId: string,
  id: string,
  format: 'json' | 'html',
): Promise<Uint8Array | undefined> {
  return rt.blob.storage.bucket('compliance-docs').get(`${prefix(workspaceId)}${id}.${format}`);
}
