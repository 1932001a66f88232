import { type JsonObject, param } from '@weft/engine';
import { Auth } from '../auth/auth-scheme.js';
import { defineConnector } from '../kit/define-connector.js';
import { defineTrigger } from '../kit/define-trigger.js';
import { Property } from '../kit/property.js';
import { svgIcon } from '../kit/svg-icon.js';
import { EVENT_NAME_PATTERN, matchesEventFilter } from './event-trigger.js';
import type { WebhookVerification } from './webhook-verification.js';

const headerSecret = Auth.custom({
  type: 'weft.webhookHeaderSecret',
  displayName: 'Webhook header secret',
  description: 'Callers send a fixed secret in a header.',
  fields: {
    header: param.string({ label: 'Header name', required: true, default: 'x-webhook-secret', expressions: false }),
    secret: param.string({ label: 'Secret', required: true, secret: true, expressions: false }),
  },
  sign: (r, data) => r.headers.set(String(data.header), String(data.secret)),
});

const hmac = Auth.custom({
  type: 'weft.webhookHmac',
  displayName: 'Webhook HMAC signature',
  description: 'Callers sign the body with HMAC-SHA256 (hex), optionally with a timestamp.',
  fields: {
    header: param.string({ label: 'Signature header', required: true, default: 'x-signature', expressions: false }),
    secret: param.string({ label: 'Secret', required: true, secret: true, expressions: false }),
    prefix: param.string({ label: 'Signature prefix', description: 'e.g. sha256=', expressions: false }),
    timestampHeader: param.string({
      label: 'Timestamp header',
      description: 'Unix seconds; enables replay protection',
      expressions: false,
    }),
    signedPayload: param.string({
      label: 'Signed payload',
      description: 'Template, default {body}; e.g. {timestamp}.{body}',
      expressions: false,
    }),
    toleranceSec: param.number({ label: 'Timestamp tolerance (s)', default: 300 }),
  },
  sign: () => {
    throw new Error('The webhook HMAC credential verifies inbound requests; use OutboundWebhookSender to sign');
  },
});

const basic = Auth.basic({ type: 'weft.webhookBasic', displayName: 'Webhook basic auth' });

function verificationFrom(data: Record<string, unknown> | undefined, type: string | undefined): WebhookVerification {
  if (!data) return { type: 'none' };
  const s = (k: string) => (typeof data[k] === 'string' && data[k] !== '' ? (data[k] as string) : undefined);
  if (type === 'weft.webhookBasic')
    return { type: 'basic', username: s('username') ?? '', password: s('password') ?? '' };
  if (type === 'weft.webhookHeaderSecret')
    return { type: 'headerSecret', header: s('header') ?? 'x-webhook-secret', secret: s('secret') ?? '' };
  const v: WebhookVerification = { type: 'hmac', header: s('header') ?? 'x-signature', secret: s('secret') ?? '' };
  if (s('prefix')) v.prefix = s('prefix');
  if (s('timestampHeader')) v.timestampHeader = s('timestampHeader');
  if (s('signedPayload')) v.signedPayload = s('signedPayload');
  if (typeof data.toleranceSec === 'number') v.toleranceSec = data.toleranceSec;
  return v;
}

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

/**
 * The `weft.webhook` trigger definition.
 *
 * @example
 * ```ts
 * findTrigger([coreTriggers], 'weft.webhook')?.trigger === webhookTrigger; // true
 * ```
 */
export const webhookTrigger = defineTrigger({
  kind: 'webhook',
  name: 'webhook',
  displayName: 'Webhook',
  aliases: ['http', 'endpoint', 'hook', 'api', 'incoming request'],
  icon: svgIcon(
    '#EA580C',
    '<circle cx="12" cy="7" r="2.5"/><circle cx="6.5" cy="17" r="2.5"/><circle cx="17.5" cy="17" r="2.5"/><path d="M10.8 9.3 8 14.8M13.2 9.3l2.8 5.5M9 17h6"/>',
  ),
  description: 'Starts the workflow when an HTTP request arrives at its URL',
  props: {
    path: Property.ShortText({ label: 'Path', required: true, pattern: '^[a-zA-Z0-9/_-]+$', expressions: false }),
    methods: Property.StaticMultiSelectDropdown({
      label: 'Methods',
      options: methods.map((m) => ({ value: m, label: m })),
      default: ['POST'],
    }),
    responseMode: Property.StaticDropdown({
      label: 'Respond',
      options: [
        { value: 'immediately', label: 'Immediately (202 with the execution id)' },
        { value: 'lastNode', label: "With the last node's output" },
        { value: 'respondNode', label: 'With a Respond to Webhook node' },
      ],
      default: 'immediately',
    }),
    rawBody: Property.Checkbox({ label: 'Include raw body (base64)', default: false }),
    maxBodyKb: Property.Number({ label: 'Largest body (KiB)', default: 1024, min: 1, integer: true }),
  },
  docs:
    'Authentication comes from the credential: none, a header secret, an HMAC signature (with optional timestamp ' +
    'tolerance) or basic auth. Comparisons are constant-time. The item holds `method`, `path`, `headers` ' +
    '(authorization, cookies and the secret or signature header read `[REDACTED]`), `query` and the parsed ' +
    '`body`; the credential secret is redacted wherever else a caller put it.',
  sample: [
    { method: 'POST', path: 'orders', headers: { 'content-type': 'application/json' }, query: {}, body: { id: 1 } },
  ],
  endpoint: (p) => ({
    methods: p.methods,
    responseMode: p.responseMode,
    rawBody: p.rawBody,
    maxBodyBytes: p.maxBodyKb * 1024,
  }),
  verification: (_props, credential) => verificationFrom(credential?.data, credential?.type),
});

/**
 * The `weft.schedule` trigger definition.
 *
 * @example
 * ```ts
 * scheduleTrigger.kind === 'schedule' && scheduleTrigger.schedule({ mode: 'cron', cron: '0 * * * *', timezone: 'UTC', missedTicks: 'skip' });
 * ```
 */
export const scheduleTrigger = defineTrigger({
  kind: 'schedule',
  name: 'schedule',
  aliases: ['cron', 'timer', 'interval', 'every'],
  icon: svgIcon('#7C3AED', '<circle cx="12" cy="12" r="8"/><path d="M12 7.5V12l3 2"/>'),
  displayName: 'Schedule',
  description: 'Starts the workflow on a cron schedule or a fixed interval',
  props: {
    mode: Property.StaticDropdown({
      label: 'Mode',
      options: [
        { value: 'cron', label: 'Cron expression' },
        { value: 'interval', label: 'Every N minutes' },
      ],
      default: 'cron',
    }),
    cron: Property.ShortText({
      label: 'Cron',
      placeholder: '0 9 * * 1-5',
      displayOptions: { show: { mode: ['cron'] } },
    }),
    timezone: Property.ShortText({ label: 'Time zone', default: 'UTC' }),
    everyMinutes: Property.Number({
      label: 'Every (minutes)',
      min: 1,
      integer: true,
      displayOptions: { show: { mode: ['interval'] } },
    }),
    missedTicks: Property.StaticDropdown({
      label: 'After downtime',
      options: [
        { value: 'skip', label: 'Skip missed ticks (run once for the latest)' },
        { value: 'catchUp', label: 'Catch up every missed tick' },
      ],
      default: 'skip',
    }),
  },
  sample: [{ firedAt: '2026-01-01T09:00:00.000Z' }],
  schedule: (p) => {
    if (p.mode === 'interval') {
      if (!p.everyMinutes) throw new Error('Schedule: "Every (minutes)" is required in interval mode');
      return { spec: { everyMs: p.everyMinutes * 60_000 }, policy: p.missedTicks };
    }
    if (!p.cron) throw new Error('Schedule: "Cron" is required in cron mode');
    return { spec: { cron: p.cron, timezone: p.timezone }, policy: p.missedTicks };
  },
});

/**
 * The `weft.event` trigger definition: starts the workflow on every event of the named event (and,
 * with a filter, only when the payload matches) published in its workspace.
 *
 * @example
 * ```ts
 * eventTrigger.kind === 'event' && eventTrigger.filter?.(ev, { event: 'order.created', filter: { status: 'paid' } });
 * ```
 */
export const eventTrigger = defineTrigger({
  kind: 'event',
  name: 'event',
  aliases: ['publish', 'subscribe', 'internal'],
  icon: svgIcon(
    '#0369A1',
    '<circle cx="12" cy="12" r="2"/><path d="M7.8 7.8a6 6 0 0 0 0 8.4M16.2 7.8a6 6 0 0 1 0 8.4M5 5a10 10 0 0 0 0 14M19 5a10 10 0 0 1 0 14"/>',
  ),
  displayName: 'On event',
  description: 'Starts the workflow when a named event is published in the workspace',
  props: {
    event: Property.ShortText({
      label: 'Event',
      description: 'e.g. order.created; weft.workflow.failed and weft.workflow.succeeded are published by the host',
      required: true,
      pattern: EVENT_NAME_PATTERN,
      expressions: false,
    }),
    filter: Property.Json({
      label: 'Filter',
      description:
        'Optional: { "status": "paid", "customer.tier": "gold" } fires only when these payload fields are equal',
      expressions: false,
    }),
  },
  docs:
    'Events are published with `POST /api/v1/workspaces/:workspaceId/events/:name` (the JSON body is the payload) ' +
    'or `runtime.events.publish(workspaceId, name, payload)`. Each matching active workflow gets one execution ' +
    'whose item holds `event`, `payload`, `publishedAt` and the event `id`. The filter maps dot paths inside the ' +
    'payload to the values they must equal.',
  sample: [{ event: 'order.created', payload: { orderId: 7 }, publishedAt: '2026-01-01T09:00:00.000Z', id: '0194…' }],
  event: (p) => {
    const f = p.filter;
    if (f !== undefined && f !== null && (typeof f !== 'object' || Array.isArray(f)))
      throw new Error(`Filter must be a JSON object of payload paths and values, got ${JSON.stringify(f)}`);
    return p.event;
  },
  filter: (ev, p) => matchesEventFilter(ev.payload, (p.filter ?? undefined) as JsonObject | undefined),
});

/**
 * The built-in `weft` triggers: `weft.webhook` (with header-secret, HMAC and basic credentials),
 * `weft.schedule` (cron with time zones, or intervals; skip or catch up after downtime) and
 * `weft.event` (a named event published in the workspace, optionally filtered by its payload).
 * Register with `connectorNodeTypes(coreTriggers)` next to `respondToWebhookNode`.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(coreTriggers), respondToWebhookNode);
 * ```
 */
export const coreTriggers = defineConnector({
  name: 'weft',
  displayName: 'Weft triggers',
  description: 'Webhook, schedule and event triggers.',
  version: '1.0.0',
  icon: svgIcon('#EA580C', '<path d="M13 3 6 13h5l-1 8 7-10h-5z"/>'),
  auth: [Auth.none(), headerSecret, hmac, basic],
  actions: [],
  triggers: [webhookTrigger, scheduleTrigger, eventTrigger],
});
