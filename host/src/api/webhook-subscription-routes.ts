import { Type } from '@sinclair/typebox';
import type { WebhookDeliveryRecord } from '@weft/sql';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, KeysetCursor, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { WEBHOOK_EVENT_NAMES, WEBHOOK_EVENT_TYPES } from '../webhooks-out/webhook-event-types.js';

const EventName = Type.Union(
  WEBHOOK_EVENT_NAMES.map((e) => Type.Literal(e)),
  { description: 'A platform event type, or * for every event' },
);
const Events = Type.Array(EventName, { minItems: 1, maxItems: 20 });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL that receives the POSTs' });

const SubscriptionSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  consecutiveFailures: Type.Integer({ description: 'Failed attempts in a row' }),
  failingSince: Type.Union([Type.Integer(), Type.Null()], { description: 'Epoch ms the failure streak began' }),
  disabledReason: Type.Union([Type.String(), Type.Null()], { description: 'Why the host disabled it' }),
  disabledAt: Type.Union([Type.Integer(), Type.Null()]),
  previousSecretExpiresAt: Type.Union([Type.Integer(), Type.Null()], {
    description: 'After a rotation: until when (epoch ms) the previous secret still signs beside the new one',
  }),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
const WithSecret = Type.Object({
  subscription: SubscriptionSchema,
  secret: Type.String({ description: 'Signing secret (whsec_...): shown only now' }),
});
const AttemptSchema = Type.Object({
  at: Type.Integer(),
  status: Type.Union([Type.Integer(), Type.Null()]),
  durationMs: Type.Integer(),
  error: Type.Optional(Type.String()),
});
const DeliverySchema = Type.Object({
  id: Type.String(),
  subscriptionId: Type.String(),
  messageId: Type.String({ description: 'The webhook-id header; a replay keeps it' }),
  event: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  nextAttemptAt: Type.Union([Type.Integer(), Type.Null()], { description: 'When a pending delivery is tried next' }),
  responseStatus: Type.Union([Type.Integer(), Type.Null()]),
  responseBody: Type.Union([Type.String(), Type.Null()], { description: 'Start of the last response (2 KiB)' }),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  replayOf: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});
const DeliveryDetail = Type.Composite([
  DeliverySchema,
  Type.Object({ body: Type.String({ description: 'The JSON body sent' }), attemptLog: Type.Array(AttemptSchema) }),
]);

const SubscriptionParams = Type.Object({ workspaceId: IdString, subscriptionId: IdString });
const DeliveryParams = Type.Object({ workspaceId: IdString, subscriptionId: IdString, deliveryId: IdString });

function summary(d: WebhookDeliveryRecord) {
  const { body: _b, attemptLog: _l, workspaceId: _w, ...rest } = d;
  return { ...rest, nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null };
}
const detail = (d: WebhookDeliveryRecord) => ({ ...summary(d), body: d.body, attemptLog: d.attemptLog });

/**
 * Outbound webhook subscriptions of a workspace (admins): CRUD, secret rotation, test pings, the
 * delivery log and replays, under `/workspaces/:workspaceId/webhook-subscriptions`.
 *
 * @example
 * ```ts
 * const r = await fetch(`/api/v1/workspaces/${ws}/webhook-subscriptions`, {
 *   method: 'POST', headers, body: JSON.stringify({ name: 'CRM', url, events: ['execution.failed'] }),
 * });
 * const { secret } = await r.json(); // whsec_..., shown once
 * ```
 */
export function webhookSubscriptionRoutes(rt: HostRuntime): AnyRoute[] {
  const base = '/workspaces/:workspaceId/webhook-subscriptions';
  const one = `${base}/:subscriptionId`;
  const svc = () => rt.outboundWebhooks;
  const common = { tag: 'webhook-subscriptions', scope: 'webhooks', auth: 'admin' } as const;
  return [
    defineRoute({
      ...common,
      method: 'get',
      path: base,
      summary: 'Outbound webhook subscriptions, with the event types one can subscribe to',
      params: WorkspaceParams,
      response: Type.Object({
        items: Type.Array(SubscriptionSchema),
        eventTypes: Type.Array(Type.Object({ type: Type.String(), description: Type.String() })),
      }),
      handler: async ({ params }) => ({ items: await svc().list(params.workspaceId), eventTypes: WEBHOOK_EVENT_TYPES }),
    }),
    defineRoute({
      ...common,
      method: 'post',
      path: base,
      summary: 'Subscribe a URL to platform events; the signing secret is in this answer only',
      status: 201,
      params: WorkspaceParams,
      body: Type.Object(
        { name: Name, url: Url, events: Events, enabled: Type.Optional(Type.Boolean()) },
        { additionalProperties: false },
      ),
      response: WithSecret,
      handler: ({ params, body }) => svc().create(params.workspaceId, body),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: one,
      summary: 'One subscription (never its secret)',
      params: SubscriptionParams,
      response: SubscriptionSchema,
      handler: ({ params }) => svc().get(params.workspaceId, params.subscriptionId),
    }),
    defineRoute({
      ...common,
      method: 'patch',
      path: one,
      summary: 'Change a subscription; enabling it again clears its failure streak',
      params: SubscriptionParams,
      body: Type.Object(
        {
          name: Type.Optional(Name),
          url: Type.Optional(Url),
          events: Type.Optional(Events),
          enabled: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      response: SubscriptionSchema,
      handler: ({ params, body }) => svc().update(params.workspaceId, params.subscriptionId, body),
    }),
    defineRoute({
      ...common,
      method: 'delete',
      path: one,
      summary: 'Delete a subscription and its delivery log',
      status: 204,
      params: SubscriptionParams,
      handler: async ({ params }) => {
        await svc().remove(params.workspaceId, params.subscriptionId);
      },
    }),
    defineRoute({
      ...common,
      method: 'post',
      path: `${one}/rotate-secret`,
      summary:
        'Rotate the signing secret: the new one is in this answer only; the previous one also signs (a second v1 signature) until the overlap ends',
      params: SubscriptionParams,
      body: Type.Object(
        {
          overlapHours: Type.Optional(
            Type.Number({
              minimum: 0,
              maximum: 720,
              description:
                'How long the previous secret keeps signing (default WEFT_WEBHOOK_OUT_SECRET_OVERLAP_HOURS, 24); 0 retires it now',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      response: WithSecret,
      handler: ({ params, body }) =>
        svc().rotateSecret(
          params.workspaceId,
          params.subscriptionId,
          body.overlapHours === undefined ? {} : { overlapMs: Math.round(body.overlapHours * 3_600_000) },
        ),
    }),
    defineRoute({
      ...common,
      method: 'post',
      path: `${one}/test`,
      summary: 'Send a webhook.test event (also to a disabled subscription)',
      status: 202,
      params: SubscriptionParams,
      response: DeliverySchema,
      handler: async ({ params }) => summary(await svc().test(params.workspaceId, params.subscriptionId)),
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: `${one}/deliveries`,
      summary: 'Delivery log of a subscription, newest first',
      params: SubscriptionParams,
      query: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        cursor: Type.Optional(KeysetCursor),
        status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')])),
      }),
      response: Type.Object({ items: Type.Array(DeliverySchema), nextCursor: Type.Optional(Type.String()) }),
      handler: async ({ params, query }) => {
        const limit = query.limit ?? 50;
        const cursor = query.cursor;
        const rows = await svc().deliveries(params.workspaceId, params.subscriptionId, {
          limit: limit + 1,
          ...(query.status ? { status: query.status } : {}),
          ...(cursor
            ? {
                before: { at: Number(cursor.slice(0, cursor.indexOf(':'))), id: cursor.slice(cursor.indexOf(':') + 1) },
              }
            : {}),
        });
        const items = rows.slice(0, limit);
        const last = items.at(-1);
        return {
          items: items.map(summary),
          ...(rows.length > limit && last ? { nextCursor: `${last.createdAt}:${last.id}` } : {}),
        };
      },
    }),
    defineRoute({
      ...common,
      method: 'get',
      path: `${one}/deliveries/:deliveryId`,
      summary: 'One delivery with the body sent and every attempt',
      params: DeliveryParams,
      response: DeliveryDetail,
      handler: async ({ params }) =>
        detail(await svc().delivery(params.workspaceId, params.subscriptionId, params.deliveryId)),
    }),
    defineRoute({
      ...common,
      method: 'post',
      path: `${one}/deliveries/:deliveryId/replay`,
      summary: 'Send a delivery again (same body and webhook-id)',
      status: 202,
      params: DeliveryParams,
      response: DeliverySchema,
      handler: async ({ params }) =>
        summary(await svc().replay(params.workspaceId, params.subscriptionId, params.deliveryId)),
    }),
  ];
}
