// Table types of the engine's and the host's core tables (migrations 1-7); `WeftDatabase` in schema.ts lists them.
import type { Generated } from 'kysely';
import type { JsonColumn, MillisColumn } from './schema-columns.js';

/** Tenants: every other row belongs to exactly one workspace. */
export interface WorkspacesTable {
  id: string;
  name: string;
  created_at: MillisColumn;
}

/** People who sign in; `password_hash` only, never a password. */
export interface UsersTable {
  id: string;
  email: string;
  name: string | null;
  password_hash: string | null;
  created_at: MillisColumn;
  /** TOTP MFA (migration 2): the secret is encrypted by the host. */
  totp_secret: string | null;
  totp_enabled: number;
  recovery_codes: JsonColumn;
}

/** Which user belongs to which workspace, with what role. */
export interface MembershipsTable {
  workspace_id: string;
  user_id: string;
  role: string;
  created_at: MillisColumn;
}

/** One row per workflow: its latest version number and active flag. */
export interface WorkflowsTable {
  workspace_id: string;
  id: string;
  name: string;
  latest_version: number;
  /** `seq` of the latest row in workflow_versions: orders "newest first". */
  latest_seq: MillisColumn;
  active: number;
  created_at: MillisColumn;
  updated_at: MillisColumn;
}

/** Immutable workflow documents, one row per saved version. */
export interface WorkflowVersionsTable {
  seq: Generated<MillisColumn>;
  workspace_id: string;
  workflow_id: string;
  version: number;
  definition: JsonColumn;
  created_at: MillisColumn;
}

/** One row per execution; `wait_kind`/`resume_at` mirror `wait` for the due-timer index. */
export interface ExecutionsTable {
  id: string;
  workspace_id: string;
  workflow_id: string;
  workflow_version: number;
  status: string;
  mode: string;
  input: JsonColumn;
  output: JsonColumn | null;
  error: JsonColumn | null;
  wait: JsonColumn | null;
  wait_kind: string | null;
  resume_at: MillisColumn | null;
  started_at: MillisColumn;
  finished_at: MillisColumn | null;
  parent_execution_id: string | null;
  idempotency_key: string | null;
  depth: number;
  start_node_id: string | null;
}

/** The checkpoint log: one row per node attempt, keyed by (execution, seq). */
export interface NodeRunsTable {
  execution_id: string;
  seq: number;
  node_id: string;
  node_name: string;
  run_index: number;
  status: string;
  attempts: number;
  /** `{ input, output, error, state }` as JSON, or null when it lives in the blob store. */
  payload: JsonColumn | null;
  blob_key: string | null;
  started_at: MillisColumn;
  finished_at: MillisColumn;
}

/** Queued and running jobs; a job is claimable when `available_at <= now`. */
export interface QueueJobsTable {
  seq: Generated<MillisColumn>;
  id: string;
  workspace_id: string;
  execution_id: string;
  kind: string;
  payload: JsonColumn | null;
  priority: number;
  run_at: MillisColumn;
  /** When the job can next be claimed: `run_at`, or `lease_until` while leased. */
  available_at: MillisColumn;
  enqueued_at: MillisColumn;
  attempt: number;
  dedupe_key: string | null;
  lease_token: string | null;
  lease_until: MillisColumn | null;
  worker_id: string | null;
  last_error: string | null;
}

/** Jobs that exhausted their attempts, kept with the job to replay it. */
export interface DeadLettersTable {
  id: string;
  workspace_id: string;
  execution_id: string;
  job: JsonColumn;
  attempts: number;
  error: string;
  failed_at: MillisColumn;
}

/** Encrypted credentials; only ciphertext is stored. */
export interface CredentialsTable {
  id: string;
  workspace_id: string;
  name: string;
  type: string;
  /** AES-256-GCM ciphertext (base64); the plaintext is never stored. */
  ciphertext: string;
  key_id: string;
  /** AES-GCM envelope and the credential's health (migration 2). */
  iv: string;
  tag: string;
  status: string;
  status_reason: string | null;
  created_at: MillisColumn;
  updated_at: MillisColumn;
}

/** Per-workspace data keys, wrapped by a master key (migration 2). */
export interface DataKeysTable {
  id: string;
  workspace_id: string;
  master_key_id: string;
  iv: string;
  tag: string;
  wrapped_key: string;
  created_at: MillisColumn;
}

/** API keys: SHA-256 hashes only (migration 2). */
export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  user_id: string;
  name: string;
  prefix: string;
  hash: string;
  role: string;
  scopes: JsonColumn;
  expires_at: MillisColumn | null;
  last_used_at: MillisColumn | null;
  revoked_at: MillisColumn | null;
  created_at: MillisColumn;
}

/** Refresh-token sessions (migration 2). */
export interface SessionsTable {
  id: string;
  user_id: string;
  refresh_hash: string;
  expires_at: MillisColumn;
  revoked_at: MillisColumn | null;
  created_at: MillisColumn;
}

/** One-time sign-up tokens (migration 2). */
export interface SignupTokensTable {
  hash: string;
  workspace_id: string | null;
  email: string | null;
  role: string;
  expires_at: MillisColumn;
  used_at: MillisColumn | null;
  created_at: MillisColumn;
}

/** Registered webhook routes of active workflows. */
export interface WebhooksTable {
  id: string;
  workspace_id: string;
  workflow_id: string;
  node_id: string;
  method: string;
  path: string;
  created_at: MillisColumn;
}

/** Cron schedules of active workflows and when they fire next. */
export interface SchedulesTable {
  id: string;
  workspace_id: string;
  workflow_id: string;
  node_id: string;
  cron: string;
  timezone: string | null;
  next_run_at: MillisColumn | null;
  last_run_at: MillisColumn | null;
  active: number;
}

/** State polling triggers keep between runs (cursors, last ids). */
export interface TriggerStateTable {
  workspace_id: string;
  workflow_id: string;
  node_id: string;
  state: JsonColumn;
  updated_at: MillisColumn;
}
