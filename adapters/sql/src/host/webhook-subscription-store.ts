import type { Kysely } from 'kysely';
import type { WeftDatabase } from '../schema.js';
import { type HostDb, toJson } from './host-database.js';
import {
  type SubRow,
  toDelivery,
  toSubscription,
  type WebhookAttemptOutcome,
  type WebhookDeliveryRecord,
  type WebhookDeliveryStatus,
  type WebhookSubscriptionRecord,
} from './webhook-subscription-records.js';

export type {
  SealedWebhookSecret,
  WebhookAttempt,
  WebhookAttemptOutcome,
  WebhookDeliveryRecord,
  WebhookDeliveryStatus,
  WebhookSubscriptionRecord,
} from './webhook-subscription-records.js';

/**
 * The `webhook_subscriptions` and `webhook_subscription_deliveries` tables (migration 15):
 * outbound webhook subscriptions and their durable outbox. Any number of host processes share
 * it: {@link claimDue} takes due deliveries under a lease with a compare-and-set per row, so a
 * delivery is attempted by one process at a time, and a process that dies mid-attempt leaves a
 * lease that expires and lets another process retry.
 *
 * @example
 * ```ts
 * const store = new WebhookSubscriptionStore(runtime.h);
 * const due = await store.claimDue({ owner: 'host-1', now: Date.now(), leaseMs: 30_000, limit: 10 });
 * ```
 */
export class WebhookSubscriptionStore {
  readonly #db: Kysely<WeftDatabase>;

  constructor(h: HostDb) {
    this.#db = h.db;
  }

  async create(s: WebhookSubscriptionRecord): Promise<void> {
    await this.#db
      .insertInto('webhook_subscriptions')
      .values({
        id: s.id,
        workspace_id: s.workspaceId,
        name: s.name,
        url: s.url,
        events: toJson(s.events),
        enabled: s.enabled ? 1 : 0,
        secret_key_id: s.secret.keyId,
        secret_iv: s.secret.iv,
        secret_tag: s.secret.tag,
        secret_ciphertext: s.secret.ciphertext,
        consecutive_failures: s.consecutiveFailures,
        failing_since: s.failingSince,
        disabled_reason: s.disabledReason,
        disabled_at: s.disabledAt,
        created_at: s.createdAt,
        updated_at: s.updatedAt,
      })
      .execute();
  }

  async get(workspaceId: string, id: string): Promise<WebhookSubscriptionRecord | undefined> {
    const row = await this.#db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toSubscription(row) : undefined;
  }

  /** A workspace's subscriptions, oldest first. */
  async list(workspaceId: string): Promise<WebhookSubscriptionRecord[]> {
    const rows = await this.#db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toSubscription);
  }

  /**
   * Changes name, url, events, the secret (and the previous one, during a rotation) or the enabled flag. Enabling clears the failure
   * streak and the disabled reason; disabling by a user records no reason.
   */
  async update(
    workspaceId: string,
    id: string,
    patch: Partial<
      Pick<WebhookSubscriptionRecord, 'name' | 'url' | 'events' | 'enabled' | 'secret' | 'previousSecret'>
    >,
    now: number,
  ): Promise<WebhookSubscriptionRecord | undefined> {
    const set: Partial<SubRow> = { updated_at: now };
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.url !== undefined) set.url = patch.url;
    if (patch.events !== undefined) set.events = toJson(patch.events);
    if (patch.secret) {
      set.secret_key_id = patch.secret.keyId;
      set.secret_iv = patch.secret.iv;
      set.secret_tag = patch.secret.tag;
      set.secret_ciphertext = patch.secret.ciphertext;
    }
    if (patch.previousSecret !== undefined) {
      const p = patch.previousSecret;
      set.previous_secret_key_id = p?.sealed.keyId ?? null;
      set.previous_secret_iv = p?.sealed.iv ?? null;
      set.previous_secret_tag = p?.sealed.tag ?? null;
      set.previous_secret_ciphertext = p?.sealed.ciphertext ?? null;
      set.previous_secret_expires_at = p?.expiresAt ?? null;
    }
    if (patch.enabled !== undefined) {
      set.enabled = patch.enabled ? 1 : 0;
      set.disabled_reason = null;
      set.disabled_at = patch.enabled ? null : now;
      if (patch.enabled) {
        set.consecutive_failures = 0;
        set.failing_since = null;
      }
    }
    const r = await this.#db
      .updateTable('webhook_subscriptions')
      .set(set)
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0 ? this.get(workspaceId, id) : undefined;
  }

  /** Deletes a subscription and its deliveries; whether it existed. */
  async remove(workspaceId: string, id: string): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      await trx
        .deleteFrom('webhook_subscription_deliveries')
        .where('workspace_id', '=', workspaceId)
        .where('subscription_id', '=', id)
        .execute();
      const r = await trx
        .deleteFrom('webhook_subscriptions')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }

  /** Every enabled subscription of a workspace (callers filter by event). */
  async enabledIn(workspaceId: string): Promise<WebhookSubscriptionRecord[]> {
    const rows = await this.#db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('enabled', '=', 1)
      .execute();
    return rows.map(toSubscription);
  }

  /** Adds deliveries to the outbox (pending, due at `nextAttemptAt`). */
  async enqueue(deliveries: WebhookDeliveryRecord[]): Promise<void> {
    if (!deliveries.length) return;
    await this.#db
      .insertInto('webhook_subscription_deliveries')
      .values(
        deliveries.map((d) => ({
          id: d.id,
          workspace_id: d.workspaceId,
          subscription_id: d.subscriptionId,
          message_id: d.messageId,
          event: d.event,
          body: d.body,
          status: d.status,
          attempts: d.attempts,
          next_attempt_at: d.nextAttemptAt,
          lease_owner: null,
          lease_until: null,
          response_status: d.responseStatus,
          response_body: d.responseBody,
          duration_ms: d.durationMs,
          error: d.error,
          attempt_log: toJson(d.attemptLog),
          replay_of: d.replayOf,
          created_at: d.createdAt,
          updated_at: d.updatedAt,
        })),
      )
      .execute();
  }

  /**
   * Leases up to `limit` pending deliveries that are due and not leased by a live process, for
   * `leaseMs`. Each row is taken with a conditional update, so two processes never hold the
   * same delivery.
   */
  async claimDue(o: { owner: string; now: number; leaseMs: number; limit: number }): Promise<WebhookDeliveryRecord[]> {
    const candidates = await this.#db
      .selectFrom('webhook_subscription_deliveries')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', o.now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', o.now)]))
      .orderBy('next_attempt_at')
      .limit(o.limit)
      .execute();
    const claimed: WebhookDeliveryRecord[] = [];
    for (const row of candidates) {
      // The row as read is what this process leases: the update only succeeds while no one else
      // leased or attempted it since (an attempt always changes updated_at).
      const r = await this.#db
        .updateTable('webhook_subscription_deliveries')
        .set({ lease_owner: o.owner, lease_until: o.now + o.leaseMs })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .where('updated_at', '=', row.updated_at)
        .where('attempts', '=', row.attempts)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', o.now)]))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) > 0) claimed.push(toDelivery(row));
    }
    return claimed;
  }

  /**
   * Records an attempt of a leased delivery and releases the lease; false when the lease was lost
   * (it expired and another process took the delivery), in which case nothing is written.
   */
  async recordAttempt(d: WebhookDeliveryRecord, owner: string, outcome: WebhookAttemptOutcome): Promise<boolean> {
    const log = [...d.attemptLog, outcome.attempt].slice(-50);
    const status: WebhookDeliveryStatus = outcome.ok
      ? 'succeeded'
      : outcome.retryAt === undefined
        ? 'failed'
        : 'pending';
    const r = await this.#db
      .updateTable('webhook_subscription_deliveries')
      .set({
        status,
        attempts: d.attempts + 1,
        next_attempt_at: outcome.retryAt ?? outcome.attempt.at,
        lease_owner: null,
        lease_until: null,
        response_status: outcome.attempt.status,
        response_body: outcome.responseBody,
        duration_ms: outcome.attempt.durationMs,
        error: outcome.attempt.error ?? null,
        attempt_log: toJson(log),
        updated_at: outcome.attempt.at + outcome.attempt.durationMs,
      })
      .where('id', '=', d.id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Ends a leased delivery without an attempt (its subscription is gone or disabled). */
  async abandon(id: string, owner: string, reason: string, now: number): Promise<void> {
    await this.#db
      .updateTable('webhook_subscription_deliveries')
      .set({ status: 'failed', error: reason, lease_owner: null, lease_until: null, updated_at: now })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }

  /** Clears a subscription's failure streak after a successful attempt. */
  async recordSuccess(subscriptionId: string): Promise<void> {
    await this.#db
      .updateTable('webhook_subscriptions')
      .set({ consecutive_failures: 0, failing_since: null })
      .where('id', '=', subscriptionId)
      .where('consecutive_failures', '>', 0)
      .execute();
  }

  /**
   * Counts a failed attempt and disables the subscription when the streak reached
   * `disableAfter.failures` attempts spanning at least `disableAfter.ms`; returns the
   * subscription when this call disabled it.
   */
  async recordFailure(
    subscriptionId: string,
    now: number,
    disableAfter: { failures: number; ms: number; reason: (streak: number, since: number) => string },
  ): Promise<WebhookSubscriptionRecord | undefined> {
    await this.#db
      .updateTable('webhook_subscriptions')
      .set((eb) => ({
        consecutive_failures: eb('consecutive_failures', '+', 1),
        failing_since: eb.fn.coalesce('failing_since', eb.val(now)),
      }))
      .where('id', '=', subscriptionId)
      .execute();
    const row = await this.#db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('id', '=', subscriptionId)
      .executeTakeFirst();
    if (!row || Number(row.enabled) !== 1) return undefined;
    const s = toSubscription(row);
    const since = s.failingSince ?? now;
    if (s.consecutiveFailures < disableAfter.failures || now - since < disableAfter.ms) return undefined;
    const r = await this.#db
      .updateTable('webhook_subscriptions')
      .set({ enabled: 0, disabled_reason: disableAfter.reason(s.consecutiveFailures, since), disabled_at: now })
      .where('id', '=', subscriptionId)
      .where('enabled', '=', 1)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0 ? this.get(s.workspaceId, s.id) : undefined;
  }

  /** A subscription's deliveries, newest first, before the `(createdAt, id)` cursor. */
  async listDeliveries(
    workspaceId: string,
    subscriptionId: string,
    o: { limit: number; before?: { at: number; id: string }; status?: WebhookDeliveryStatus },
  ): Promise<WebhookDeliveryRecord[]> {
    let q = this.#db
      .selectFrom('webhook_subscription_deliveries')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('subscription_id', '=', subscriptionId);
    if (o.status) q = q.where('status', '=', o.status);
    const before = o.before;
    if (before)
      q = q.where((eb) =>
        eb.or([eb('created_at', '<', before.at), eb.and([eb('created_at', '=', before.at), eb('id', '<', before.id)])]),
      );
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(o.limit).execute();
    return rows.map(toDelivery);
  }

  async getDelivery(
    workspaceId: string,
    subscriptionId: string,
    id: string,
  ): Promise<WebhookDeliveryRecord | undefined> {
    const row = await this.#db
      .selectFrom('webhook_subscription_deliveries')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('subscription_id', '=', subscriptionId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toDelivery(row) : undefined;
  }

  /** Deletes finished deliveries last updated before `before`; how many. */
  async prune(before: number): Promise<number> {
    const r = await this.#db
      .deleteFrom('webhook_subscription_deliveries')
      .where('status', '!=', 'pending')
      .where('updated_at', '<', before)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
