import type { Generated } from 'kysely';

/**
 * A JSON column: text holding JSON on SQLite, `jsonb` on Postgres. Written as a JSON string;
 * read back with {@link decodeJson}, which parses it on SQLite and passes Postgres' value through.
 */
export type JsonColumn = unknown;

/** An epoch-milliseconds column (`bigint` on Postgres, which the pg driver returns as a string). */
export type MillisColumn = number | string;

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

/** Pre-aggregated execution metrics per time bucket. */
export interface MetricRollupsTable {
  workspace_id: string;
  workflow_id: string;
  metric: string;
  bucket_start: MillisColumn;
  bucket_ms: number;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
}

/** Cached model answers by hashed normalised prompt and context (migration 17). */
export interface AiResponseCacheTable {
  key: string;
  value: string;
  expires_at: MillisColumn;
}

/** Tokens and cost of one model call, charged to a workspace (migration 17). */
export interface AiUsageTable {
  id: Generated<MillisColumn>;
  workspace_id: string;
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
  at: MillisColumn;
}

/** Outbound webhook subscriptions of a workspace, secret sealed with a master key (migration 15). */
export interface WebhookSubscriptionsTable {
  id: string;
  workspace_id: string;
  name: string;
  url: string;
  /** JSON array of event types. */
  events: unknown;
  /** 1 or 0. */
  enabled: number;
  secret_key_id: string;
  secret_iv: string;
  secret_tag: string;
  secret_ciphertext: string;
  consecutive_failures: number;
  failing_since: MillisColumn | null;
  disabled_reason: string | null;
  disabled_at: MillisColumn | null;
  created_at: MillisColumn;
  updated_at: MillisColumn;
}

/** The outbox and log of outbound webhook deliveries (migration 15). */
export interface WebhookSubscriptionDeliveriesTable {
  id: string;
  workspace_id: string;
  subscription_id: string;
  message_id: string;
  event: string;
  body: string;
  /** pending, succeeded or failed. */
  status: string;
  attempts: number;
  next_attempt_at: MillisColumn;
  lease_owner: string | null;
  lease_until: MillisColumn | null;
  response_status: number | null;
  response_body: string | null;
  duration_ms: number | null;
  error: string | null;
  /** JSON array of attempts. */
  attempt_log: unknown;
  replay_of: string | null;
  created_at: MillisColumn;
  updated_at: MillisColumn;
}

/** An OpenID Connect provider's subject linked to a user (migration 16). */
export interface ExternalIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  /** The email the provider last vouched for. */
  email: string;
  created_at: MillisColumn;
  last_login_at: MillisColumn;
}

/** A started OIDC authorization-code login, bound to one browser's cookie (migration 16). */
export interface OidcLoginsTable {
  state_hash: string;
  browser_hash: string;
  nonce: string;
  code_verifier: string;
  return_to: string;
  expires_at: MillisColumn;
}

/** Workspaces whose members must sign in through SSO (migration 16). */
export interface WorkspaceSsoTable {
  workspace_id: string;
  /** 1 or 0. */
  sso_only: number;
  updated_at: MillisColumn;
}

/** A user's WebAuthn passkey (migration 16). */
export interface WebauthnCredentialsTable {
  /** The credential id, base64url. */
  id: string;
  user_id: string;
  name: string;
  /** COSE public key, base64url. */
  public_key: string;
  counter: MillisColumn;
  /** JSON array of authenticator transports. */
  transports: unknown;
  /** `singleDevice` or `multiDevice`. */
  device_type: string;
  /** 1 or 0. */
  backed_up: number;
  created_at: MillisColumn;
  last_used_at: MillisColumn | null;
}

/** A one-time WebAuthn challenge of a ceremony in flight (migration 16). */
export interface WebauthnChallengesTable {
  id: string;
  user_id: string | null;
  /** `register` or `authenticate`. */
  purpose: string;
  challenge: string;
  expires_at: MillisColumn;
}

/** Applied schema migrations. */
/** Measures shared by analytics partial and rollup rows (counts come back as strings from Postgres int8 sums). */
interface AnalyticsMeasures {
  count: number | string;
  sum_ms: number;
  min_ms: number;
  max_ms: number;
  retries: number | string;
  /** The serialised duration sketch. */
  sketch: string;
}

/** Per-process running totals per 5-minute bucket, written by each host's analytics ingest (migration 11). */
export interface AnalyticsPartialsTable extends AnalyticsMeasures {
  bucket_start: MillisColumn;
  workspace_id: string;
  workflow_id: string;
  node_id: string;
  status: string;
  writer_id: string;
}

/** Merged totals per tier (`bucket_ms`: 5 minutes, an hour, a day). */
export interface AnalyticsRollupsTable extends AnalyticsMeasures {
  workspace_id: string;
  bucket_ms: number;
  workflow_id: string;
  node_id: string;
  bucket_start: MillisColumn;
  status: string;
}

/** How far each rollup tier is complete. */
export interface AnalyticsWatermarksTable {
  tier: string;
  done_until: MillisColumn;
}

/** Stored analytics settings of a workflow (`workflow_id` empty: the workspace default; migration 19). */
export interface AnalyticsSettingsTable {
  workspace_id: string;
  workflow_id: string;
  /** JSON object of the fields set. */
  settings: string;
  updated_at: MillisColumn;
}

/** Whether an alert of a workflow is firing; `version` moves with each transition (migration 19). */
export interface AnalyticsAlertStateTable {
  workspace_id: string;
  workflow_id: string;
  /** `slo_burn` or `anomaly`. */
  kind: string;
  active: number;
  version: number;
  since: MillisColumn;
  /** JSON detail of the last transition. */
  detail: string | null;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: MillisColumn;
}

/**
 * Every table Weft keeps in a SQL database, as kysely sees it. The same schema serves SQLite and
 * Postgres; {@link weftMigrations} creates it.
 *
 * @example
 * ```ts
 * const db = new Kysely<WeftDatabase>({ dialect: new SqliteDialect({ database }) });
 * const rows = await db.selectFrom('executions').select(['id', 'status']).execute();
 * ```
 */
export interface WeftDatabase {
  workspaces: WorkspacesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  workflows: WorkflowsTable;
  workflow_versions: WorkflowVersionsTable;
  executions: ExecutionsTable;
  node_runs: NodeRunsTable;
  queue_jobs: QueueJobsTable;
  dead_letters: DeadLettersTable;
  credentials: CredentialsTable;
  data_keys: DataKeysTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  signup_tokens: SignupTokensTable;
  webhooks: WebhooksTable;
  schedules: SchedulesTable;
  trigger_state: TriggerStateTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadsTable;
  audit_checkpoints: AuditCheckpointsTable;
  audit_archives: AuditArchivesTable;
  scan_runs: ScanRunsTable;
  compliance_settings: ComplianceSettingsTable;
  subject_keys: SubjectKeysTable;
  execution_subjects: ExecutionSubjectsTable;
  gdpr_requests: GdprRequestsTable;
  metric_rollups: MetricRollupsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_subscription_deliveries: WebhookSubscriptionDeliveriesTable;
  external_identities: ExternalIdentitiesTable;
  oidc_logins: OidcLoginsTable;
  workspace_sso: WorkspaceSsoTable;
  webauthn_credentials: WebauthnCredentialsTable;
  webauthn_challenges: WebauthnChallengesTable;
  ai_response_cache: AiResponseCacheTable;
  ai_usage: AiUsageTable;
  analytics_partials: AnalyticsPartialsTable;
  analytics_rollups: AnalyticsRollupsTable;
  analytics_watermarks: AnalyticsWatermarksTable;
  analytics_settings: AnalyticsSettingsTable;
  analytics_alert_state: AnalyticsAlertStateTable;
  weft_migrations: MigrationsTable;
}
