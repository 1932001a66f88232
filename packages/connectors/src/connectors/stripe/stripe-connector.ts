import type { JsonObject } from '@weft/engine';
import { Auth } from '../../auth/auth-scheme.js';
import { HttpError } from '../../http/http-error.js';
import type { HttpClient, HttpRequest } from '../../http/http-types.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { defineTrigger } from '../../kit/define-trigger.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';

const OBJECTS = ['customers', 'charges', 'invoices', 'payment_intents', 'subscriptions', 'products', 'prices'] as const;

/**
 * A Stripe API error with its `type`, `code` and `param`.
 *
 * @example
 * ```ts
 * if (err instanceof StripeError && err.code === 'resource_missing') return [];
 * ```
 */
export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | undefined,
    readonly param: string | undefined,
    message: string,
  ) {
    super(`Stripe ${type}${code ? ` (${code})` : ''}${param ? ` on "${param}"` : ''}: ${message}`);
    this.name = 'StripeError';
  }
}

async function stripe<T>(http: HttpClient, request: HttpRequest): Promise<T> {
  try {
    return (await http.request<T>({ ...request, headers: { 'stripe-version': '2024-06-20', ...request.headers } }))
      .body;
  } catch (err) {
    const e = err instanceof HttpError ? (err.body as { error?: Record<string, string> })?.error : undefined;
    if (err instanceof HttpError && e)
      throw new StripeError(err.status, e.type ?? 'api_error', e.code, e.param, e.message ?? '');
    throw err;
  }
}

/**
 * Creates the Stripe connector against an API base URL (default `https://api.stripe.com`).
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(createStripeConnector(), runtime));
 * ```
 */
export function createStripeConnector(options: { baseUrl?: string } = {}) {
  const base = `${(options.baseUrl ?? 'https://api.stripe.com').replace(/\/$/, '')}/v1`;
  const secretKey = Auth.bearer({
    type: 'stripe.secretKey',
    displayName: 'Stripe secret key',
    description: 'A restricted or secret key (sk_live_..., rk_live_...).',
    fields: { webhookSecret: Property.SecretText({ label: 'Webhook signing secret (whsec_...)', expressions: false }) },
    test: async ({ http, signal }) => {
      await stripe(http, { url: `${base}/balance`, signal });
    },
  });
  const objectType = Property.StaticDropdown({
    label: 'Object',
    options: OBJECTS.map((o) => ({ value: o, label: o.replace('_', ' ') })),
    default: 'customers',
  });

  const getObject = defineAction({
    name: 'getObject',
    displayName: 'Get object',
    description: 'Retrieves one object by id',
    sideEffects: 'none',
    props: { object: objectType, id: Property.ShortText({ label: 'ID', required: true, pattern: '^[A-Za-z0-9_]+$' }) },
    run: (ctx) => {
      if (!/^[A-Za-z0-9_]+$/.test(ctx.props.id)) throw new Error(`Stripe: "${ctx.props.id}" is not a Stripe id`);
      return stripe<JsonObject>(ctx.http, { url: `${base}/${ctx.props.object}/${ctx.props.id}`, signal: ctx.signal });
    },
  });

  const listObjects = defineAction({
    name: 'listObjects',
    displayName: 'List objects',
    description: 'Lists objects newest first, following `starting_after` pagination',
    sideEffects: 'none',
    props: {
      object: objectType,
      limit: Property.Number({ label: 'Most objects', default: 100, integer: true, min: 1, max: 10_000 }),
      createdAfter: Property.DateTime({ label: 'Created after' }),
    },
    run: async (ctx) => {
      const out: JsonObject[] = [];
      let after: string | undefined;
      const gte = ctx.props.createdAfter ? Math.floor(new Date(ctx.props.createdAfter).getTime() / 1000) : undefined;
      if (gte !== undefined && Number.isNaN(gte))
        throw new Error(`Stripe: "Created after" ${ctx.props.createdAfter} is not a date`);
      for (;;) {
        const page = await stripe<{ data: JsonObject[]; has_more: boolean }>(ctx.http, {
          url: `${base}/${ctx.props.object}`,
          query: { limit: Math.min(100, ctx.props.limit - out.length), starting_after: after, 'created[gte]': gte },
          signal: ctx.signal,
        });
        out.push(...page.data);
        if (!page.has_more || out.length >= ctx.props.limit || page.data.length === 0) break;
        after = String(page.data.at(-1)?.id);
      }
      return out;
    },
  });

  const createCustomer = defineAction({
    name: 'createCustomer',
    displayName: 'Create customer',
    description: 'Creates a customer; retries are safe (an idempotency key per execution and item)',
    sideEffects: 'once',
    props: {
      email: Property.ShortText({ label: 'Email', required: true }),
      name: Property.ShortText({ label: 'Name' }),
      description: Property.ShortText({ label: 'Description' }),
      metadata: Property.Array({
        label: 'Metadata',
        fields: {
          key: Property.ShortText({ label: 'Key', required: true }),
          value: Property.ShortText({ label: 'Value' }),
        },
      }),
    },
    run: (ctx) => {
      const p = ctx.props;
      const form: Record<string, string> = { email: p.email };
      if (p.name) form.name = p.name;
      if (p.description) form.description = p.description;
      for (const m of p.metadata ?? []) form[`metadata[${m.key}]`] = m.value ?? '';
      return stripe<JsonObject>(ctx.http, {
        method: 'POST',
        url: `${base}/customers`,
        form,
        headers: { 'idempotency-key': `weft-${ctx.execution.id}-createCustomer-${ctx.index}` },
        signal: ctx.signal,
      });
    },
  });

  const event = defineTrigger({
    kind: 'webhook',
    name: 'event',
    displayName: 'Webhook event',
    description: 'Fires for each Stripe event sent to the endpoint (payment_intent.succeeded, ...)',
    props: { types: Property.ShortText({ label: 'Event types', description: 'Comma-separated; empty for all' }) },
    docs: "Verified with the credential's webhook signing secret (`Stripe-Signature`, 5-minute tolerance).",
    verification: (_p, credential) => ({
      type: 'hmac',
      header: 'stripe-signature',
      prefix: 'v1=',
      secret: String(credential?.data.webhookSecret ?? ''),
      timestampHeader: 'stripe-signature',
      signedPayload: '{timestamp}.{body}',
      toleranceSec: 300,
    }),
    handle: (request, ctx) => {
      const evt = JSON.parse(new TextDecoder().decode(request.rawBody)) as JsonObject;
      const wanted = (ctx.props.types ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (wanted.length && !wanted.includes(String(evt.type))) return [];
      return [
        {
          id: evt.id ?? null,
          type: evt.type ?? null,
          created: evt.created ?? null,
          object: ((evt.data as JsonObject)?.object ?? null) as JsonObject,
        },
      ];
    },
  });

  return defineConnector({
    name: 'stripe',
    displayName: 'Stripe',
    description: 'Read Stripe objects, create customers and receive verified webhook events.',
    version: '1.0.0',
    icon: svgIcon(
      '#635BFF',
      '<path d="M16 8.5C15 7 13.7 6.5 12 6.5c-2 0-3.5 1-3.5 2.6 0 3.8 7.5 2.3 7.5 6.2 0 1.7-1.6 2.7-3.8 2.7-1.8 0-3.3-.7-4.2-2"/>',
    ),
    auth: secretKey,
    actions: [getObject, listObjects, createCustomer],
    triggers: [event],
  });
}

/**
 * The Stripe connector against api.stripe.com.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(stripeConnector, runtime));
 * ```
 */
export const stripeConnector = createStripeConnector();
