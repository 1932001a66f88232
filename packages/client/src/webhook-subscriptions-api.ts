import type { HttpTransport } from './http-transport.js';

const enc = encodeURIComponent;

/** An outbound webhook subscription (never its secret). */
export interface WebhookSubscription {
  id: string;
  name: string;
  url: string;
  /** Event types, e.g. `execution.failed`; `*` is every event. */
  events: string[];
  enabled: boolean;
  consecutiveFailures: number;
  failingSince: number | null;
  /** Why the host disabled it after sustained failure. */
  disabledReason: string | null;
  disabledAt: number | null;
  /** After a rotation: until when (epoch ms) the previous secret still signs beside the new one. */
  previousSecretExpiresAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** A subscription with its signing secret (`whsec_…`), answered only on create and rotate. */
export interface WebhookSubscriptionWithSecret {
  subscription: WebhookSubscription;
  secret: string;
}

/** One delivery of one event to a subscription (its log entry). */
export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  /** The `webhook-id` header; a replay keeps it. */
  messageId: string;
  event: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  nextAttemptAt: number | null;
  responseStatus: number | null;
  responseBody: string | null;
  durationMs: number | null;
  error: string | null;
  replayOf: string | null;
  createdAt: number;
  updatedAt: number;
}

/** A delivery with the body sent and every attempt. */
export interface WebhookDeliveryDetail extends WebhookDelivery {
  body: string;
  attemptLog: { at: number; status: number | null; durationMs: number; error?: string }[];
}

/**
 * Outbound webhook subscriptions of a workspace (admin): platform events delivered with Standard
 * Webhooks signatures, the delivery log, replays and secret rotation.
 *
 * @example
 * ```ts
 * const { subscription, secret } = await client.webhookSubscriptions.create(ws, {
 *   name: 'CRM', url: 'https://crm.example.com/hooks/weft', events: ['execution.failed'],
 * });
 * const rotated = await client.webhookSubscriptions.rotateSecret(ws, subscription.id, { overlapHours: 1 });
 * ```
 */
export class WebhookSubscriptionsApi {
  constructor(private readonly t: HttpTransport) {}

  private path(ws: string, rest = ''): string {
    return `/workspaces/${enc(ws)}/webhook-subscriptions${rest}`;
  }

  /** The workspace's subscriptions and the event types one can subscribe to. */
  list(ws: string): Promise<{ items: WebhookSubscription[]; eventTypes: { type: string; description: string }[] }> {
    return this.t.request('GET', this.path(ws));
  }

  /** Subscribes a URL; the signing secret is in this answer only. */
  create(
    ws: string,
    input: { name: string; url: string; events: string[]; enabled?: boolean },
  ): Promise<WebhookSubscriptionWithSecret> {
    return this.t.request('POST', this.path(ws), { body: input });
  }

  get(ws: string, id: string): Promise<WebhookSubscription> {
    return this.t.request('GET', this.path(ws, `/${enc(id)}`));
  }

  /** Changes a subscription; enabling it again clears its failure streak. */
  update(
    ws: string,
    id: string,
    patch: { name?: string; url?: string; events?: string[]; enabled?: boolean },
  ): Promise<WebhookSubscription> {
    return this.t.request('PATCH', this.path(ws, `/${enc(id)}`), { body: patch });
  }

  /** Deletes a subscription and its delivery log. */
  remove(ws: string, id: string): Promise<void> {
    return this.t.request('DELETE', this.path(ws, `/${enc(id)}`));
  }

  /**
   * Rotates the signing secret: the new one is in this answer only; the previous one keeps
   * signing beside it for `overlapHours` (default: the host's setting, 24 h; 0 retires it now).
   */
  rotateSecret(
    ws: string,
    id: string,
    options: { overlapHours?: number } = {},
  ): Promise<WebhookSubscriptionWithSecret> {
    return this.t.request('POST', this.path(ws, `/${enc(id)}/rotate-secret`), { body: options });
  }

  /** Queues a `webhook.test` event to the subscription (also when it is disabled). */
  test(ws: string, id: string): Promise<WebhookDelivery> {
    return this.t.request('POST', this.path(ws, `/${enc(id)}/test`));
  }

  /** The delivery log, newest first; pass `nextCursor` back as `cursor` for the next page. */
  deliveries(
    ws: string,
    id: string,
    query: { limit?: number; cursor?: string; status?: WebhookDelivery['status'] } = {},
  ): Promise<{ items: WebhookDelivery[]; nextCursor?: string }> {
    return this.t.request('GET', this.path(ws, `/${enc(id)}/deliveries`), { query });
  }

  delivery(ws: string, id: string, deliveryId: string): Promise<WebhookDeliveryDetail> {
    return this.t.request('GET', this.path(ws, `/${enc(id)}/deliveries/${enc(deliveryId)}`));
  }

  /** Sends a delivery again with the same body and `webhook-id`. */
  replay(ws: string, id: string, deliveryId: string): Promise<WebhookDelivery> {
    return this.t.request('POST', this.path(ws, `/${enc(id)}/deliveries/${enc(deliveryId)}/replay`));
  }
}
