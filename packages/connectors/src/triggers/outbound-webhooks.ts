import { randomUUID } from 'node:crypto';
import { type Clock, type DeliveryLog, type JsonValue, systemClock } from '@weft/engine';
import { backoffDelay, parseRetryAfter } from '../http/backoff.js';
import { HttpError } from '../http/http-error.js';
import type { HttpClient } from '../http/http-types.js';
import { signWebhookPayload } from './webhook-verification.js';

/**
 * Where and how to send one event.
 *
 * @example
 * ```ts
 * await sender.deliver({ id: 'sub_1', url: 'https://example.com/hook', secret: 'whsec_...' }, 'execution.failed', payload);
 * ```
 */
export interface WebhookSubscription {
  id: string;
  url: string;
  /** HMAC-SHA256 key; signatures go in `x-weft-signature`. */
  secret: string;
}

/**
 * Options of {@link OutboundWebhookSender}.
 *
 * @example
 * ```ts
 * new OutboundWebhookSender({ http: createHttpClient(), log, attempts: 8, capMs: 3_600_000 });
 * ```
 */
export interface OutboundWebhookOptions {
  /** The safe client (blocks private addresses unless allowed). */
  http: HttpClient;
  log: DeliveryLog;
  clock?: Clock;
  /** Total attempts. Default 5. */
  attempts?: number;
  /** Default 1 s, doubling, with jitter. */
  baseMs?: number;
  /** Default 5 minutes. */
  capMs?: number;
  timeoutMs?: number;
  random?: () => number;
}

/**
 * The outcome of one delivery.
 *
 * @example
 * ```ts
 * const { ok, attempts } = await sender.deliver(subscription, 'execution.failed', payload);
 * ```
 */
export interface DeliveryResult {
  deliveryId: string;
  ok: boolean;
  attempts: number;
  status: number | null;
}

/**
 * Sends events to subscribers' URLs: JSON body, HMAC-SHA256 signature over `{timestamp}.{body}`
 * in `x-weft-signature: t=<unix>,v1=<hex>`, `x-weft-event` and `x-weft-delivery` headers;
 * retries network errors, 408, 429 and 5xx with jittered exponential backoff (honouring
 * `Retry-After`), and logs every attempt. Receivers verify with `verifyWebhook` or by hand.
 *
 * @example
 * ```ts
 * const sender = new OutboundWebhookSender({ http: createHttpClient(), log: new MemoryDeliveryLog() });
 * await sender.deliver({ id: 'sub_1', url: 'https://example.com/hook', secret }, 'execution.failed', { executionId });
 * ```
 */
export class OutboundWebhookSender {
  readonly #o: OutboundWebhookOptions;
  readonly #clock: Clock;

  constructor(options: OutboundWebhookOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
  }

  async deliver(subscription: WebhookSubscription, event: string, payload: JsonValue): Promise<DeliveryResult> {
    const deliveryId = randomUUID();
    const body = JSON.stringify({
      id: deliveryId,
      event,
      createdAt: new Date(this.#clock.now()).toISOString(),
      data: payload,
    });
    const attempts = this.#o.attempts ?? 5;
    let status: number | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const started = this.#clock.now();
      const timestamp = String(Math.floor(started / 1000));
      const signature = signWebhookPayload(subscription.secret, body, {
        timestamp,
        signedPayload: '{timestamp}.{body}',
      });
      let error: string | undefined;
      let retryAfter: number | undefined;
      try {
        const res = await this.#o.http.request({
          method: 'POST',
          url: subscription.url,
          body,
          headers: {
            'content-type': 'application/json',
            'x-weft-event': event,
            'x-weft-delivery': deliveryId,
            'x-weft-signature': `t=${timestamp},v1=${signature}`,
          },
          retry: false,
          throwHttpErrors: false,
          responseType: 'text',
          ...(this.#o.timeoutMs ? { timeoutMs: this.#o.timeoutMs } : {}),
        });
        status = res.status;
        retryAfter = parseRetryAfter(res.headers['retry-after'], this.#clock.now());
        if (status >= 400) error = `HTTP ${status}`;
      } catch (err) {
        status = err instanceof HttpError ? err.status : null;
        error = (err as Error).message;
      }
      const ok = error === undefined;
      await this.#o.log.record({
        id: `${deliveryId}#${attempt}`,
        direction: 'outbound',
        endpoint: subscription.id,
        event,
        attempt,
        status,
        ok,
        ...(error ? { error } : {}),
        durationMs: this.#clock.now() - started,
        at: started,
      });
      if (ok) return { deliveryId, ok: true, attempts: attempt, status };
      const retryable = status === null || status === 408 || status === 429 || status >= 500;
      if (!retryable || attempt === attempts) return { deliveryId, ok: false, attempts: attempt, status };
      const delay =
        retryAfter ?? backoffDelay(attempt - 1, this.#o.baseMs ?? 1000, this.#o.capMs ?? 300_000, this.#o.random);
      await this.#clock.sleep(delay);
    }
    return { deliveryId, ok: false, attempts, status };
  }
}
