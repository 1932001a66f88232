import { randomUUID } from 'node:crypto';
import { createHttpClient, type HttpClient } from '@weft/connectors';
import type { Logger } from '@weft/engine';
import type { WebhookDeliveryRecord, WebhookSubscriptionStore } from '@weft/sql';
import { Webhook } from 'standardwebhooks';
import type { OutboundWebhookSettings } from '../config/outbound-webhook-settings.js';
import { WEBHOOK_TEST_EVENT } from './webhook-event-types.js';
import type { WebhookSecrets } from './webhook-secrets.js';

/** How much of a receiver's response body the delivery log keeps. */
export const RESPONSE_BODY_LIMIT = 2048;
const BATCH = 16;
const HOUR = 3_600_000;

/** Options of {@link WebhookDispatcher}. */
export interface WebhookDispatcherOptions {
  store: WebhookSubscriptionStore;
  secrets: WebhookSecrets;
  settings: OutboundWebhookSettings;
  /** CIDR ranges or hosts the address policy lets through (the host's `WEFT_HTTP_ALLOW`). */
  httpAllow: readonly string[];
  logger: Logger;
  /** Days finished deliveries are kept (0: forever). */
  retentionDays: number;
  now?: () => number;
  random?: () => number;
}

/**
 * Delivers the outbox of outbound webhooks: polls for due deliveries, leases them (so several
 * host processes share the work and a crashed one's deliveries are retried once its lease
 * expires), POSTs each with Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64 HMAC-SHA256>`) through the host's safe HTTP client, logs the
 * outcome, schedules retries with jittered exponential backoff and disables a subscription whose
 * failures lasted too long.
 *
 * @example
 * ```ts
 * const dispatcher = new WebhookDispatcher({ store, secrets, settings, httpAllow: [], logger, retentionDays: 14 });
 * dispatcher.start();
 * dispatcher.kick(); // a delivery was just enqueued
 * await dispatcher.close();
 * ```
 */
export class WebhookDispatcher {
  readonly #o: WebhookDispatcherOptions;
  readonly #http: HttpClient;
  readonly #owner = `dispatcher-${randomUUID()}`;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;
  #prunedAt = 0;

  constructor(options: WebhookDispatcherOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    // Failing receivers are handled by retries and auto-disable, not by a breaker that would also
    // hold back the first attempt after a receiver recovers.
    this.#http = createHttpClient({
      allow: options.httpAllow,
      timeoutMs: options.settings.timeoutMs,
      maxResponseBytes: 1024 * 1024,
      circuitBreaker: { failureThreshold: Number.MAX_SAFE_INTEGER },
      userAgent: 'Weft-Webhooks/1.0',
    });
  }

  /** Polls every `settings.pollMs`. */
  start(): void {
    if (this.#timer || this.#closed) return;
    this.#timer = setInterval(() => this.kick(), this.#o.settings.pollMs);
    this.#timer.unref();
    this.kick();
  }

  /** Looks for due deliveries now (again after the current round, if one is running). */
  kick(): void {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain()
      .catch((err) => this.#o.logger.error({ err: String(err) }, 'outbound webhook dispatch failed'))
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#closed) {
          this.#again = false;
          this.kick();
        }
      });
  }

  /** Stops polling and waits for the attempts in flight. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    await this.#running;
  }

  async #drain(): Promise<void> {
    const s = this.#o.settings;
    for (;;) {
      const due = await this.#o.store.claimDue({
        owner: this.#owner,
        now: this.#now(),
        leaseMs: s.timeoutMs + 30_000,
        limit: BATCH,
      });
      if (!due.length) break;
      // A delivery whose attempt could not be recorded (database down) keeps its lease and is
      // retried by any process once the lease expires.
      await Promise.all(
        due.map((d) =>
          this.#attempt(d).catch((err) =>
            this.#o.logger.error({ deliveryId: d.id, err: String(err) }, 'outbound webhook attempt not recorded'),
          ),
        ),
      );
      if (this.#closed) return;
    }
    await this.#prune();
  }

  async #attempt(d: WebhookDeliveryRecord): Promise<void> {
    const { store, settings, logger } = this.#o;
    const sub = await store.get(d.workspaceId, d.subscriptionId);
    if (!sub || (!sub.enabled && d.event !== WEBHOOK_TEST_EVENT)) {
      await store.abandon(
        d.id,
        this.#owner,
        sub ? 'The subscription is disabled' : 'The subscription was deleted',
        this.#now(),
      );
      return;
    }
    const at = this.#now();
    const timestamp = new Date(Math.floor(at / 1000) * 1000);
    // During a rotation's overlap the previous secret signs too: a receiver that knows either
    // secret finds a matching one among the space-separated signatures.
    const secrets = [sub.secret];
    if (sub.previousSecret && sub.previousSecret.expiresAt > at) secrets.push(sub.previousSecret.sealed);
    const signature = secrets
      .map((s) => new Webhook(this.#o.secrets.open(sub.workspaceId, sub.id, s)).sign(d.messageId, timestamp, d.body))
      .join(' ');
    let status: number | null = null;
    let responseBody: string | null = null;
    let error: string | undefined;
    try {
      const res = await this.#http.request<string>({
        method: 'POST',
        url: sub.url,
        body: d.body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': d.messageId,
          'webhook-timestamp': String(timestamp.getTime() / 1000),
          'webhook-signature': signature,
        },
        responseType: 'text',
        retry: false,
        throwHttpErrors: false,
        followRedirects: false,
      });
      status = res.status;
      responseBody = res.body.slice(0, RESPONSE_BODY_LIMIT);
      if (status < 200 || status >= 300) error = `The receiver answered HTTP ${status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const ok = error === undefined;
    const durationMs = this.#now() - at;
    const attempts = d.attempts + 1;
    const retryAt =
      ok || attempts >= settings.maxAttempts
        ? undefined
        : this.#now() + backoff(attempts, settings.retryBaseMs, settings.retryCapMs, this.#o.random);
    const written = await store.recordAttempt(d, this.#owner, {
      ok,
      attempt: { at, status, durationMs, ...(error ? { error } : {}) },
      responseBody,
      ...(retryAt !== undefined ? { retryAt } : {}),
    });
    if (!written) return;
    if (ok) {
      await store.recordSuccess(sub.id);
      return;
    }
    const disabled = await store.recordFailure(sub.id, this.#now(), {
      failures: settings.disableAfterFailures,
      ms: settings.disableAfterMs,
      reason: (streak, since) =>
        `Disabled automatically after ${streak} consecutive failed delivery attempts since ${new Date(since).toISOString()}; last error: ${error}`,
    });
    if (disabled)
      logger.warn(
        { workspaceId: sub.workspaceId, subscriptionId: sub.id, reason: disabled.disabledReason },
        'outbound webhook subscription disabled',
      );
  }

  async #prune(): Promise<void> {
    const now = this.#now();
    if (!this.#o.retentionDays || now - this.#prunedAt < HOUR) return;
    this.#prunedAt = now;
    await this.#o.store.prune(now - this.#o.retentionDays * 86_400_000);
  }
}

/** Delay before attempt `attempts + 1`: base doubling per attempt, capped, with ±20 % jitter. */
function backoff(attempts: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const delay = Math.min(capMs, baseMs * 2 ** (attempts - 1));
  return Math.max(1, Math.round(delay * (0.8 + 0.4 * random())));
}
