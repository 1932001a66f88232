import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A PaymentIntent as the local server keeps it (the fields Stripe returns that Weft reads). */
export interface TestPaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: 'requires_payment_method' | 'succeeded' | 'canceled';
  client_secret: string;
  application_fee_amount: number | null;
  transfer_data: { destination: string } | null;
  description: string | null;
  metadata: Record<string, string>;
  latest_charge: string | null;
  livemode: false;
  created: number;
}

/** A charge with what Connect moved: the fee kept by the platform and the transfer to the creator. */
export interface TestCharge {
  id: string;
  object: 'charge';
  amount: number;
  amount_refunded: number;
  currency: string;
  payment_intent: string;
  refunded: boolean;
  application_fee_amount: number | null;
  /** Amount transferred to `destination` (amount minus the application fee), reversed on refund. */
  transfer: { destination: string; amount: number; reversed: boolean } | null;
  application_fee_refunded: boolean;
}

/** One webhook delivery attempt: the event and the status the receiver answered. */
export interface TestWebhookDelivery {
  event: { id: string; type: string };
  status: number;
}

/** The local Stripe: its URL, state, the buyer's side (`pay`) and webhook deliveries. */
export interface StripeTestServer {
  url: string;
  secretKey: string;
  webhookSecret: string;
  /** Where events are POSTed; unset: events are recorded as undelivered (status 0). */
  webhookUrl: string | undefined;
  intents: Map<string, TestPaymentIntent>;
  charges: Map<string, TestCharge>;
  deliveries: TestWebhookDelivery[];
  /** The buyer pays: the intent succeeds, a charge with the Connect split is made, `payment_intent.succeeded` is sent. */
  pay(intentId: string): Promise<TestWebhookDelivery>;
  /** Signs `payload` as Stripe does: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.payload")>`. */
  sign(payload: string, timestamp?: number): string;
  close(): Promise<void>;
}

type Form = { [key: string]: string | Form };

/** Parses Stripe's form encoding (`transfer_data[destination]=acct_1&metadata[a]=b`) into nested objects. */
function parseForm(body: string): Form {
  const out: Form = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter(Boolean);
    let at = out;
    for (const [i, p] of path.entries()) {
      if (i === path.length - 1) at[p] = value;
      else {
        at[p] ??= {};
        at = at[p] as Form;
      }
    }
  }
  return out;
}

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

/**
 * Starts a `node:http` server on 127.0.0.1 that speaks the Stripe endpoints Weft's marketplace
 * uses, in Stripe's wire format (form-encoded requests, JSON answers, `{ error: { type, message,
 * param } }` errors, bearer secret keys, idempotency keys): `POST /v1/payment_intents` (Connect
 * destination charges with `application_fee_amount`), `GET /v1/payment_intents/:id`,
 * `POST /v1/refunds` (reversing the transfer and the fee). It sends webhook events signed exactly
 * as Stripe does (`Stripe-Signature: t=...,v1=...`) to `webhookUrl`.
 *
 * @example
 * ```ts
 * const stripe = await startStripeTestServer();
 * const payments = new StripePayments({ secretKey: stripe.secretKey, webhookSecret: stripe.webhookSecret, apiUrl: stripe.url });
 * ```
 */
export async function startStripeTestServer(): Promise<StripeTestServer> {
  const idempotent = new Map<string, { status: number; body: unknown }>();
  const state: StripeTestServer = {
    url: '',
    secretKey: `sk_test_${randomBytes(16).toString('hex')}`,
    webhookSecret: `whsec_${randomBytes(16).toString('hex')}`,
    webhookUrl: undefined,
    intents: new Map(),
    charges: new Map(),
    deliveries: [],
    pay: async (intentId) => {
      const intent = state.intents.get(intentId);
      if (!intent) throw new Error(`No PaymentIntent ${intentId}`);
      const fee = intent.application_fee_amount;
      const charge: TestCharge = {
        id: id('ch'),
        object: 'charge',
        amount: intent.amount,
        amount_refunded: 0,
        currency: intent.currency,
        payment_intent: intent.id,
        refunded: false,
        application_fee_amount: fee,
        transfer: intent.transfer_data
          ? { destination: intent.transfer_data.destination, amount: intent.amount - (fee ?? 0), reversed: false }
          : null,
        application_fee_refunded: false,
      };
      state.charges.set(charge.id, charge);
      intent.status = 'succeeded';
      intent.latest_charge = charge.id;
      return send('payment_intent.succeeded', intent);
    },
    sign: (payload, timestamp = Math.floor(Date.now() / 1000)) =>
      `t=${timestamp},v1=${createHmac('sha256', state.webhookSecret).update(`${timestamp}.${payload}`).digest('hex')}`,
    close: async () => {},
  };

  async function send(type: string, object: unknown): Promise<TestWebhookDelivery> {
    const event = {
      id: id('evt'),
      object: 'event',
      api_version: '2025-01-27',
      created: Math.floor(Date.now() / 1000),
      type,
      livemode: false,
      pending_webhooks: 1,
      data: { object },
    };
    const payload = JSON.stringify(event, null, 2);
    let status = 0;
    if (state.webhookUrl) {
      const res = await fetch(state.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': state.sign(payload) },
        body: payload,
      });
      await res.arrayBuffer();
      status = res.status;
    }
    const delivery = { event: { id: event.id, type }, status };
    state.deliveries.push(delivery);
    return delivery;
  }

  const fail = (status: number, message: string, param?: string) => ({
    status,
    body: { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } },
  });

  async function route(method: string, path: string, form: Form): Promise<{ status: number; body: unknown }> {
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = Number(form.amount);
      if (!Number.isInteger(amount) || amount < 50) return fail(400, 'Amount must be at least 50 cents', 'amount');
      if (typeof form.currency !== 'string') return fail(400, 'Missing required param: currency.', 'currency');
      const fee = form.application_fee_amount === undefined ? null : Number(form.application_fee_amount);
      const destination = (form.transfer_data as Form | undefined)?.destination;
      if (fee !== null && (!destination || typeof destination !== 'string'))
        return fail(
          400,
          'application_fee_amount needs transfer_data[destination] or on_behalf_of',
          'application_fee_amount',
        );
      if (fee !== null && (!Number.isInteger(fee) || fee < 0 || fee > amount))
        return fail(400, 'application_fee_amount must be between 0 and amount', 'application_fee_amount');
      if (typeof destination === 'string' && !destination.startsWith('acct_'))
        return fail(400, `No such destination: '${destination}'`, 'transfer_data[destination]');
      const pi = id('pi');
      const intent: TestPaymentIntent = {
        id: pi,
        object: 'payment_intent',
        amount,
        currency: form.currency,
        status: 'requires_payment_method',
        client_secret: `${pi}_secret_${randomBytes(8).toString('hex')}`,
        application_fee_amount: fee,
        transfer_data: typeof destination === 'string' ? { destination } : null,
        description: typeof form.description === 'string' ? form.description : null,
        metadata: (form.metadata as Record<string, string> | undefined) ?? {},
        latest_charge: null,
        livemode: false,
        created: Math.floor(Date.now() / 1000),
      };
      state.intents.set(pi, intent);
      return { status: 200, body: intent };
    }
    const get = /^\/v1\/payment_intents\/([A-Za-z0-9_]+)$/.exec(path);
    if (method === 'GET' && get) {
      const intent = state.intents.get(get[1] as string);
      return intent ? { status: 200, body: intent } : fail(404, `No such payment_intent: '${get[1]}'`, 'intent');
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = state.intents.get(String(form.payment_intent));
      const charge = intent?.latest_charge ? state.charges.get(intent.latest_charge) : undefined;
      if (!intent) return fail(404, `No such payment_intent: '${form.payment_intent}'`, 'payment_intent');
      if (!charge) return fail(400, 'This PaymentIntent has no successful charge to refund', 'payment_intent');
      if (charge.refunded) return fail(400, `Charge ${charge.id} has already been refunded.`, 'charge');
      charge.refunded = true;
      charge.amount_refunded = charge.amount;
      if (charge.transfer && form.reverse_transfer === 'true') charge.transfer.reversed = true;
      if (form.refund_application_fee === 'true') charge.application_fee_refunded = true;
      const refund = {
        id: id('re'),
        object: 'refund',
        amount: charge.amount,
        charge: charge.id,
        payment_intent: intent.id,
        currency: charge.currency,
        status: 'succeeded',
      };
      // Stripe answers first and sends the event afterwards.
      setImmediate(() => void send('charge.refunded', charge).catch(() => {}));
      return { status: 200, body: refund };
    }
    return fail(404, `Unrecognized request URL (${method}: ${path}).`);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let answer: { status: number; body: unknown };
    if (req.headers.authorization !== `Bearer ${state.secretKey}`) {
      answer = {
        status: 401,
        body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } },
      };
    } else {
      const key = req.headers['idempotency-key'];
      const cacheKey = typeof key === 'string' ? `${req.method} ${req.url} ${key}` : undefined;
      const cached = cacheKey ? idempotent.get(cacheKey) : undefined;
      answer =
        cached ??
        (await route(
          req.method ?? 'GET',
          (req.url ?? '/').split('?')[0] as string,
          parseForm(Buffer.concat(chunks).toString()),
        ));
      if (cacheKey && !cached) idempotent.set(cacheKey, answer);
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', 'request-id': id('req') });
    res.end(JSON.stringify(answer.body));
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { type: 'api_error', message: String(err) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
