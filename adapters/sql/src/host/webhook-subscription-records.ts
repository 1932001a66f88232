// Records of outbound webhook subscriptions and deliveries, and how rows map to them.
import type { WebhookSubscriptionDeliveriesTable, WebhookSubscriptionsTable } from '../schema.js';
import { millis } from '../sql-dialect.js';
import { fromJson } from './host-database.js';

/** A signing secret sealed with AES-256-GCM under the master key `keyId`. */
export interface SealedWebhookSecret {
  keyId: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/** One workspace subscription to platform events (the secret stays sealed). */
export interface WebhookSubscriptionRecord {
  id: string;
  workspaceId: string;
  name: string;
  url: string;
  /** Event types, e.g. `execution.failed`; `*` is every event. */
  events: string[];
  enabled: boolean;
  secret: SealedWebhookSecret;
  /** The secret before the last rotation and until when it still signs (null: none, or expired). */
  previousSecret: { sealed: SealedWebhookSecret; expiresAt: number } | null;
  consecutiveFailures: number;
  /** When the current streak of failed attempts began (null: the last attempt succeeded). */
  failingSince: number | null;
  /** Why the host disabled it (null when enabled, or disabled by a user). */
  disabledReason: string | null;
  disabledAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** One HTTP attempt of a delivery. */
export interface WebhookAttempt {
  at: number;
  status: number | null;
  durationMs: number;
  error?: string;
}

/** Where a delivery stands. */
export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One message to one subscription: the outbox row and its log. */
export interface WebhookDeliveryRecord {
  id: string;
  workspaceId: string;
  subscriptionId: string;
  /** The `webhook-id` header; a replay keeps it so receivers can de-duplicate. */
  messageId: string;
  event: string;
  body: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  responseStatus: number | null;
  /** The start of the last response body (truncated). */
  responseBody: string | null;
  durationMs: number | null;
  error: string | null;
  attemptLog: WebhookAttempt[];
  replayOf: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The outcome of one attempt, written by the process that holds the lease. */
export interface WebhookAttemptOutcome {
  attempt: WebhookAttempt;
  responseBody: string | null;
  /** Undefined: done (succeeded or out of attempts); a time: retry then. */
  retryAt?: number;
  ok: boolean;
}

export type SubRow = WebhookSubscriptionsTable;
export type DeliveryRow = WebhookSubscriptionDeliveriesTable;

/** A `webhook_subscriptions` row as a record. */
export function toSubscription(r: SubRow): WebhookSubscriptionRecord {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    name: r.name,
    url: r.url,
    events: fromJson<string[]>(r.events),
    enabled: Number(r.enabled) === 1,
    secret: { keyId: r.secret_key_id, iv: r.secret_iv, tag: r.secret_tag, ciphertext: r.secret_ciphertext },
    previousSecret:
      r.previous_secret_key_id &&
      r.previous_secret_iv &&
      r.previous_secret_tag &&
      r.previous_secret_ciphertext &&
      r.previous_secret_expires_at !== null
        ? {
            sealed: {
              keyId: r.previous_secret_key_id,
              iv: r.previous_secret_iv,
              tag: r.previous_secret_tag,
              ciphertext: r.previous_secret_ciphertext,
            },
            expiresAt: millis(r.previous_secret_expires_at),
          }
        : null,
    consecutiveFailures: Number(r.consecutive_failures),
    failingSince: r.failing_since === null ? null : millis(r.failing_since),
    disabledReason: r.disabled_reason,
    disabledAt: r.disabled_at === null ? null : millis(r.disabled_at),
    createdAt: millis(r.created_at),
    updatedAt: millis(r.updated_at),
  };
}

/** A `webhook_subscription_deliveries` row as a record. */
export function toDelivery(r: DeliveryRow): WebhookDeliveryRecord {
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    subscriptionId: r.subscription_id,
    messageId: r.message_id,
    event: r.event,
    body: r.body,
    status: r.status as WebhookDeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: millis(r.next_attempt_at),
    responseStatus: r.response_status === null ? null : Number(r.response_status),
    responseBody: r.response_body,
    durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
    error: r.error,
    attemptLog: fromJson<WebhookAttempt[]>(r.attempt_log),
    replayOf: r.replay_of,
    createdAt: millis(r.created_at),
    updatedAt: millis(r.updated_at),
  };
}
