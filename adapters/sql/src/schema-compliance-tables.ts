// Table types of the audit log and compliance tables (migrations 9, 13 and 18); `WeftDatabase` in schema.ts lists them.
import type { Generated } from 'kysely';
import type { MillisColumn } from './schema-columns.js';

/** Append-only, hash-chained audit entries (migration 9; see `SqlAuditStore`). */
export interface AuditLogTable {
  seq: Generated<MillisColumn>;
  workspace_id: string;
  position: MillisColumn;
  at: MillisColumn;
  actor_type: string;
  actor_id: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  changes: string | null;
  prev_hash: string;
  hash: string;
}

/** Each workspace's audit chain head; an append locks its row (migration 9). */
export interface AuditHeadsTable {
  workspace_id: string;
  position: MillisColumn;
  hash: string;
}

/** Signed statements of audit chain heads, append-only (migration 9). */
export interface AuditCheckpointsTable {
  workspace_id: string;
  position: MillisColumn;
  hash: string;
  at: MillisColumn;
  key_id: string;
  signature: string;
}

/** Security scans of workflow versions with their findings (migration 13; `SqlScanRunStore`). */
export interface ScanRunsTable {
  id: string;
  workspace_id: string;
  workflow_id: string;
  workflow_version: number;
  at: MillisColumn;
  /** `save`, `request` or `cli`. */
  source: string;
  critical: number;
  high: number;
  medium: number;
  low: number;
  /** JSON array of findings (never secrets). */
  findings: string;
}

/** Per-workspace compliance settings (migration 13). */
export interface ComplianceSettingsTable {
  workspace_id: string;
  /** Activation is refused for findings at or above this severity; null: the host's default. */
  scan_block_severity: string | null;
  /** JSON array of trigger-input dot paths that name a data subject. */
  subject_paths: string | null;
  /** 1: every execution payload of the workspace is encrypted at rest (migration 18). */
  encrypt_payloads: number | null;
  updated_at: MillisColumn;
}

/** One wrapped AES-256 data key per data subject; deleting it crypto-shreds their data (migration 13). */
export interface SubjectKeysTable {
  key_id: string;
  workspace_id: string;
  /** Keyed hash (HMAC-SHA-256) of the normalised identifier: never the identifier. */
  subject_hash: string;
  master_key_id: string;
  wrapped_key: string;
  created_at: MillisColumn;
}

/** Which subject key an execution's payloads are sealed with (migration 13). */
export interface ExecutionSubjectsTable {
  execution_id: string;
  workspace_id: string;
  key_id: string;
  created_at: MillisColumn;
}

/** GDPR export and erasure requests with their deadlines (migration 13). */
export interface GdprRequestsTable {
  id: string;
  workspace_id: string;
  kind: string;
  subject_hash: string;
  status: string;
  received_at: MillisColumn;
  due_at: MillisColumn;
  completed_at: MillisColumn | null;
  result: string | null;
}

/** Signed statements that audit entries up to a position were archived, append-only (migration 13). */
export interface AuditArchivesTable {
  workspace_id: string;
  from_position: MillisColumn;
  through_position: MillisColumn;
  through_hash: string;
  location: string;
  sha256: string;
  at: MillisColumn;
  key_id: string;
  signature: string;
}

/** The control database's workspace -> region map for data residency (migration 21). */
export interface WorkspaceRegionsTable {
  workspace_id: string;
  region: string;
  created_at: MillisColumn;
}

/** The control database's webhook path -> region registry for data residency (migration 26). */
export interface WebhookPathsTable {
  method: string;
  path: string;
  region: string;
  workspace_id: string;
  workflow_id: string;
  created_at: MillisColumn;
}

/** One counted audit entry of a breach rule's slot, kept until its window passed (migration 22). */
export interface BreachHitsTable {
  id: string;
  /** `rule\nkey`, e.g. `failed-login-burst-ip\nip:203.0.113.7`. */
  slot: string;
  at: MillisColumn;
  expires_at: MillisColumn;
}

/** Until when a slot that raised an alert stays quiet (migration 22). */
export interface BreachQuietTable {
  slot: string;
  quiet_until: MillisColumn;
}
