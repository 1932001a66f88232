import { appState } from '../app/app-state.js';

/** One audit log entry as `GET …/audit-log` answers it. */
export interface AuditRow {
  seq: number;
  position: number;
  at: number;
  actor: { type: string; id: string };
  action: string;
  resource: { type: string; id: string | null };
  outcome: 'success' | 'failure' | 'denied';
  ip: string | null;
  requestId: string | null;
}

/** What `GET …/audit-log/verify` answers. */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  checkpoints: number;
  archivedThrough: number;
  broken?: { seq: number | null; position: number; reason: string; message: string };
}

/** A security-scan finding. */
export interface ScanFindingRow {
  ruleId: string;
  severity: 'critical' | 'high' | 'medium' | 'low';
  pointer: string;
  nodeId?: string;
  message: string;
  fix: string;
}

/** A stored scan run. */
export interface ScanRunRow {
  id: string;
  workflowId: string;
  workflowVersion: number;
  at: number;
  source: string;
  counts: Record<ScanFindingRow['severity'], number>;
  findings: ScanFindingRow[];
}

/** A GDPR request record. */
export interface GdprRequestRow {
  id: string;
  kind: string;
  subjectHash: string;
  status: string;
  receivedAt: number;
  dueAt: number;
  completedAt: number | null;
  result: Record<string, unknown> | null;
  /** An export's bundle in blob storage: its download link while available. */
  bundle: { state: 'available' | 'expired' | 'erased'; url: string | null; expiresAt: number; size: number } | null;
}

/** A stored compliance report in the list. */
export interface ReportRow {
  id: string;
  generatedAt: number;
  generatedBy: string;
  auditChainOk: boolean;
}

/**
 * `/api/v1/workspaces/<current workspace><path>` through the signed-in client.
 *
 * @example
 * ```ts
 * const v = await complianceApi<AuditVerification>('GET', '/audit-log/verify');
 * ```
 */
export function complianceApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const ws = encodeURIComponent(appState.workspaceId as string);
  return appState.client.transport.request<T>(method, `/workspaces/${ws}${path}`, body === undefined ? {} : { body });
}

/** The raw response of a workspace route (downloads). */
export function complianceRaw(method: string, path: string, body?: unknown): Promise<Response> {
  const ws = encodeURIComponent(appState.workspaceId as string);
  return appState.client.transport.raw(method, `/workspaces/${ws}${path}`, body === undefined ? {} : { body });
}

/** Saves bytes as a file through a temporary object URL. */
export function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
