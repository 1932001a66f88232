import { randomUUID } from 'node:crypto';
import { AddressPolicy, parseIp } from '@weft/connectors';
import type { EngineEvent, ExecutionStore, JsonObject, Logger } from '@weft/engine';
import type { WebhookDeliveryRecord, WebhookSubscriptionRecord, WebhookSubscriptionStore } from '@weft/sql';
import type { Observable, Subscription } from 'rxjs';
import { InvalidInputError, NotFoundError } from '../runtime/host-error.js';
import type { WebhookDispatcher } from './webhook-dispatcher.js';
import { WEBHOOK_TEST_EVENT, type WebhookEventType } from './webhook-event-types.js';
import type { WebhookSecrets } from './webhook-secrets.js';

/**
 * A subscription as the API shows it: never a secret; after a rotation, until when the previous
 * secret still signs beside the new one.
 */
export type WebhookSubscriptionView = Omit<WebhookSubscriptionRecord, 'secret' | 'previousSecret' | 'workspaceId'> & {
  previousSecretExpiresAt: number | null;
};

/** What a subscription is created or changed with. */
export interface WebhookSubscriptionInput {
  name: string;
  url: string;
  events: string[];
  enabled?: boolean;
}

/** Options of {@link OutboundWebhooks}. */
export interface OutboundWebhooksOptions {
  store: WebhookSubscriptionStore;
  secrets: WebhookSecrets;
  executions: ExecutionStore;
  logger: Logger;
  httpAllow: readonly string[];
  /** Present in processes that deliver; others only enqueue. */
  dispatcher?: WebhookDispatcher;
  /** How long a process trusts its cached list of a workspace's subscriptions. Default 5 s. */
  cacheMs?: number;
  /** How long a rotated-out secret keeps signing, unless a rotation says otherwise. Default 24 h. */
  secretOverlapMs?: number;
}

const SKIPPED_MODES = new Set(['test', 'debug']);

/** The public view of a subscription record. */
export function subscriptionView(s: WebhookSubscriptionRecord, now = Date.now()): WebhookSubscriptionView {
  const { secret: _secret, previousSecret, workspaceId: _ws, ...view } = s;
  const expiresAt = previousSecret && previousSecret.expiresAt > now ? previousSecret.expiresAt : null;
  return { ...view, previousSecretExpiresAt: expiresAt };
}

/**
 * Outbound webhook subscriptions of workspaces: CRUD with a signing secret shown once (on create
 * and rotate), test pings, replays, and the publishing of platform events (`execution.succeeded`,
 * `execution.failed`, `approval.required`, `workflow.activated`, `workflow.deactivated`) into the
 * durable outbox that {@link WebhookDispatcher} delivers. Executions of editor test and debug
 * runs publish nothing.
 *
 * @example
 * ```ts
 * const { subscription, secret } = await runtime.outboundWebhooks.create('ws1', {
 *   name: 'CRM', url: 'https://crm.example.com/hooks/weft', events: ['execution.failed'],
 * });
 * await runtime.outboundWebhooks.publish('ws1', 'workflow.activated', { workflowId: 'orders' });
 * ```
 */
export class OutboundWebhooks {
  readonly #o: OutboundWebhooksOptions;
  readonly #policy: AddressPolicy;
  readonly #cache = new Map<string, { until: number; subs: Promise<WebhookSubscriptionRecord[]> }>();

  constructor(options: OutboundWebhooksOptions) {
    this.#o = options;
    this.#policy = new AddressPolicy({ allow: options.httpAllow });
  }

  async list(workspaceId: string): Promise<WebhookSubscriptionView[]> {
    return (await this.#o.store.list(workspaceId)).map((s) => subscriptionView(s));
  }

  async get(workspaceId: string, id: string): Promise<WebhookSubscriptionView> {
    return subscriptionView(await this.#required(workspaceId, id));
  }

  /** Creates a subscription; the returned `secret` is not shown again. */
  async create(
    workspaceId: string,
    input: WebhookSubscriptionInput,
  ): Promise<{ subscription: WebhookSubscriptionView; secret: string }> {
    this.#checkUrl(input.url);
    const id = `whsub_${randomUUID().replaceAll('-', '')}`;
    const secret = this.#o.secrets.generate();
    const now = Date.now();
    const record: WebhookSubscriptionRecord = {
      id,
      workspaceId,
      name: input.name,
      url: input.url,
      events: [...new Set(input.events)],
      enabled: input.enabled ?? true,
      secret: this.#o.secrets.seal(workspaceId, id, secret),
      previousSecret: null,
      consecutiveFailures: 0,
      failingSince: null,
      disabledReason: null,
      disabledAt: input.enabled === false ? now : null,
      createdAt: now,
      updatedAt: now,
    };
    await this.#o.store.create(record);
    this.#cache.delete(workspaceId);
    return { subscription: subscriptionView(record), secret };
  }

  /** Changes a subscription; enabling it again clears its failure streak and disabled reason. */
  async update(
    workspaceId: string,
    id: string,
    patch: Partial<WebhookSubscriptionInput>,
  ): Promise<WebhookSubscriptionView> {
    if (patch.url !== undefined) this.#checkUrl(patch.url);
    const current = await this.#required(workspaceId, id);
    const changed = await this.#o.store.update(
      workspaceId,
      id,
      {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.url !== undefined ? { url: patch.url } : {}),
        ...(patch.events !== undefined ? { events: [...new Set(patch.events)] } : {}),
        ...(patch.enabled !== undefined && patch.enabled !== current.enabled ? { enabled: patch.enabled } : {}),
      },
      Date.now(),
    );
    this.#cache.delete(workspaceId);
    return subscriptionView(changed ?? current);
  }

  async remove(workspaceId: string, id: string): Promise<void> {
    if (!(await this.#o.store.remove(workspaceId, id))) throw notFound(id);
    this.#cache.delete(workspaceId);
  }

  /**
   * Rotates the signing secret: the new one signs from now on and is returned once; the current
   * one keeps signing beside it for `overlapMs` (default: the configured overlap, 24 h), so
   * receivers can switch at their own pace (Standard Webhooks sends both signatures). An overlap
   * of 0 retires it at once, as for a leaked secret. A rotation during an overlap retires the
   * older secret: at most two sign.
   */
  async rotateSecret(
    workspaceId: string,
    id: string,
    options: { overlapMs?: number } = {},
  ): Promise<{ subscription: WebhookSubscriptionView; secret: string }> {
    const current = await this.#required(workspaceId, id);
    const now = Date.now();
    const overlapMs = options.overlapMs ?? this.#o.secretOverlapMs ?? 24 * 3_600_000;
    const secret = this.#o.secrets.generate();
    const changed = await this.#o.store.update(
      workspaceId,
      id,
      {
        secret: this.#o.secrets.seal(workspaceId, id, secret),
        previousSecret: overlapMs > 0 ? { sealed: current.secret, expiresAt: now + overlapMs } : null,
      },
      now,
    );
    if (!changed) throw notFound(id);
    return { subscription: subscriptionView(changed), secret };
  }

  /** Queues a `webhook.test` ping to one subscription (sent even while it is disabled). */
  async test(workspaceId: string, id: string): Promise<WebhookDeliveryRecord> {
    const sub = await this.#required(workspaceId, id);
    const [delivery] = await this.#enqueue(workspaceId, [sub], WEBHOOK_TEST_EVENT, {
      subscriptionId: id,
      message: 'A test event sent from the webhook settings',
    });
    return delivery as WebhookDeliveryRecord;
  }

  /** Queues a delivery again with the same body and `webhook-id` (receivers can de-duplicate). */
  async replay(workspaceId: string, id: string, deliveryId: string): Promise<WebhookDeliveryRecord> {
    await this.#required(workspaceId, id);
    const original = await this.delivery(workspaceId, id, deliveryId);
    const now = Date.now();
    const copy = newDelivery(workspaceId, id, original.event, original.body, now, original.messageId, original.id);
    await this.#o.store.enqueue([copy]);
    this.#o.dispatcher?.kick();
    return copy;
  }

  async deliveries(
    workspaceId: string,
    id: string,
    o: { limit: number; before?: { at: number; id: string }; status?: WebhookDeliveryRecord['status'] },
  ): Promise<WebhookDeliveryRecord[]> {
    await this.#required(workspaceId, id);
    return this.#o.store.listDeliveries(workspaceId, id, o);
  }

  async delivery(workspaceId: string, id: string, deliveryId: string): Promise<WebhookDeliveryRecord> {
    const d = await this.#o.store.getDelivery(workspaceId, id, deliveryId);
    if (!d) throw new NotFoundError('webhook-delivery-not-found', `Delivery "${deliveryId}" not found`);
    return d;
  }

  /** Queues `type` for every enabled subscription of the workspace that asked for it; how many. */
  async publish(workspaceId: string, type: WebhookEventType, data: JsonObject): Promise<number> {
    const subs = (await this.#subscribers(workspaceId)).filter(
      (s) => s.events.includes(type) || s.events.includes('*'),
    );
    if (!subs.length) return 0;
    return (await this.#enqueue(workspaceId, subs, type, data)).length;
  }

  /** Publishes the execution events this process emits; returns the subscription to end it. */
  attach(events$: Observable<EngineEvent>): Subscription {
    return events$.subscribe((e) => {
      if (e.type !== 'workflow:completed' && e.type !== 'workflow:failed' && e.type !== 'approval:required') return;
      void this.#fromEngine(e).catch((err) =>
        this.#o.logger.error({ executionId: e.executionId, err: String(err) }, 'outbound webhook not queued'),
      );
    });
  }

  async #fromEngine(
    e: Extract<EngineEvent, { type: 'workflow:completed' | 'workflow:failed' | 'approval:required' }>,
  ): Promise<void> {
    const type: WebhookEventType =
      e.type === 'workflow:completed'
        ? 'execution.succeeded'
        : e.type === 'workflow:failed'
          ? 'execution.failed'
          : 'approval.required';
    const subs = (await this.#subscribers(e.workspaceId)).filter(
      (s) => s.events.includes(type) || s.events.includes('*'),
    );
    if (!subs.length) return;
    const record = await this.#o.executions.get(e.workspaceId, e.executionId);
    if (!record || SKIPPED_MODES.has(record.mode)) return;
    const data: JsonObject = { workflowId: e.workflowId, executionId: e.executionId, mode: record.mode };
    if (e.type === 'workflow:completed' || e.type === 'workflow:failed') {
      data.status = e.type === 'workflow:failed' ? 'failed' : 'succeeded';
      data.durationMs = e.durationMs;
    }
    if (e.type === 'workflow:failed') data.error = { message: e.error.message, code: e.error.code ?? null };
    if (e.type === 'approval:required') {
      data.nodeId = e.nodeId;
      data.nodeName = e.nodeName;
      if (e.message !== undefined) data.message = e.message;
    }
    await this.#enqueue(e.workspaceId, subs, type, data);
  }

  async #enqueue(
    workspaceId: string,
    subs: WebhookSubscriptionRecord[],
    type: string,
    data: JsonObject,
  ): Promise<WebhookDeliveryRecord[]> {
    const now = Date.now();
    const body = JSON.stringify({ type, timestamp: new Date(now).toISOString(), data: { workspaceId, ...data } });
    const rows = subs.map((s) => newDelivery(workspaceId, s.id, type, body, now));
    await this.#o.store.enqueue(rows);
    this.#o.dispatcher?.kick();
    return rows;
  }

  #subscribers(workspaceId: string): Promise<WebhookSubscriptionRecord[]> {
    const now = Date.now();
    const hit = this.#cache.get(workspaceId);
    if (hit && hit.until > now) return hit.subs;
    const subs = this.#o.store.enabledIn(workspaceId);
    this.#cache.set(workspaceId, { until: now + (this.#o.cacheMs ?? 5000), subs });
    subs.catch(() => this.#cache.delete(workspaceId));
    return subs;
  }

  async #required(workspaceId: string, id: string): Promise<WebhookSubscriptionRecord> {
    const s = await this.#o.store.get(workspaceId, id);
    if (!s) throw notFound(id);
    return s;
  }

  #checkUrl(url: string): void {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw badUrl('is not an absolute URL');
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw badUrl('must use http or https');
    const host = u.hostname.replace(/^\[|\]$/g, '');
    const reason = this.#policy.checkHost(host) ?? (parseIp(host) ? this.#policy.check(host, host) : undefined);
    if (reason)
      throw badUrl(
        `points at a ${reason} address, which outbound requests may not reach (the host's WEFT_HTTP_ALLOW can permit it)`,
      );
  }
}

function newDelivery(
  workspaceId: string,
  subscriptionId: string,
  event: string,
  body: string,
  now: number,
  messageId = `msg_${randomUUID().replaceAll('-', '')}`,
  replayOf: string | null = null,
): WebhookDeliveryRecord {
  return {
    id: `whdel_${randomUUID().replaceAll('-', '')}`,
    workspaceId,
    subscriptionId,
    messageId,
    event,
    body,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    responseStatus: null,
    responseBody: null,
    durationMs: null,
    error: null,
    attemptLog: [],
    replayOf,
    createdAt: now,
    updatedAt: now,
  };
}

const notFound = (id: string) =>
  new NotFoundError('webhook-subscription-not-found', `Webhook subscription "${id}" not found`);

const badUrl = (why: string) =>
  new InvalidInputError('invalid-webhook-url', `The webhook URL ${why}`, {
    errors: [{ in: 'body', path: '/url', message: `The URL ${why}` }],
  });
