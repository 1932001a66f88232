// Table types of the service tables (metrics, analytics, AI, outbound webhooks, SSO and passkeys); `WeftDatabase` in schema.ts lists them.
import type { Generated } from 'kysely';
import type { MillisColumn } from './schema-columns.js';

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
  /** The secret before the last rotation, still signing until `previous_secret_expires_at` (migration 23). */
  previous_secret_key_id: string | null;
  previous_secret_iv: string | null;
  previous_secret_tag: string | null;
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: MillisColumn | null;
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
