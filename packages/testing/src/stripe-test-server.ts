import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Answer, type Form, TestCheckout, type TestCheckoutSession } from './stripe-test-checkout.js';

export type { TestCheckoutSession } from './stripe-test-checkout.js';

/** A PaymentIntent as the local server keeps it (the fields Stripe returns that Weft reads). */
export interface TestPaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  currency: string;
  status: 'requires_payment_method' | 'processing' | 'succeeded' | 'canceled';
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
  sessions: Map<string, TestCheckoutSession>;
  deliveries: TestWebhookDelivery[];
  /** The buyer pays: the intent succeeds, a charge with the Connect split is made, `payment_intent.succeeded` is sent. */
  pay(intentId: string): Promise<TestWebhookDelivery>;
  /**
   * What the hosted page's Pay buttons do: `card` completes the session paid, `bank` completes it
   * unpaid until {@link settleCheckout}; sends `checkout.session.completed` and answers the delivery
   * and where the buyer's browser is sent (`success_url`, `{CHECKOUT_SESSION_ID}` filled in).
   */
  completeCheckout(
    sessionId: string,
    method?: 'card' | 'bank',
  ): Promise<{ delivery: TestWebhookDelivery; redirect: string }>;
  /** A bank transfer clears or fails: `checkout.session.async_payment_succeeded` / `_failed`. */
  settleCheckout(sessionId: string, succeeded: boolean): Promise<TestWebhookDelivery>;
  /** Signs `payload` as Stripe does: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.payload")>`. */
  sign(payload: string, timestamp?: number): string;
  close(): Promise<void>;
}

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
 * `POST /v1/refunds` (reversing the transfer and the fee), and Checkout: `POST /v1/checkout/sessions`,
 * `GET /v1/checkout/sessions[/:id]`, `POST /v1/checkout/sessions/:id/expire` and the hosted page at
 * `session.url` whose Pay button completes the session, sends `checkout.session.completed` and
 * redirects to `success_url`. It sends webhook events signed exactly as Stripe does
 * (`Stripe-Signature: t=...,v1=...`) to `webhookUrl`.
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
    sessions: new Map(),
    deliveries: [],
    pay: async (intentId) => {
      const intent = state.intents.get(intentId);
      if (!intent) throw new Error(`No PaymentIntent ${intentId}`);
      charge(intent);
      return send('payment_intent.succeeded', intent);
    },
    completeCheckout: async (sessionId, method = 'card') => {
      const { session, redirect } = checkout.complete(sessionId, method);
      return { delivery: await send('checkout.session.completed', session), redirect };
    },
    settleCheckout: async (sessionId, succeeded) => {
      const session = checkout.settle(sessionId, succeeded);
      const type = succeeded ? 'async_payment_succeeded' : 'async_payment_failed';
      return send(`checkout.session.${type}`, session);
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

  const fail = (status: number, message: string, param?: string): Answer => ({
    status,
    body: { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } },
  });

  /** Validates a Connect destination charge's fee and destination; `prefix` is where the params sit. */
  function checkSplit(amount: number, fee: number | null, destination: unknown, prefix = ''): Answer | undefined {
    const at = (p: string) => (prefix ? `${prefix}[${p.includes('[') ? p.replace('[', '][') : `${p}]`}` : p);
    if (fee !== null && (!destination || typeof destination !== 'string'))
      return fail(
        400,
        'application_fee_amount needs transfer_data[destination] or on_behalf_of',
        at('application_fee_amount'),
      );
    if (fee !== null && (!Number.isInteger(fee) || fee < 0 || fee > amount))
      return fail(400, 'application_fee_amount must be between 0 and amount', at('application_fee_amount'));
    if (typeof destination === 'string' && !destination.startsWith('acct_'))
      return fail(400, `No such destination: '${destination}'`, at('transfer_data[destination]'));
    return undefined;
  }

  function newIntent(amount: number, currency: string, data: Form): TestPaymentIntent {
    const pi = id('pi');
    const destination = (data.transfer_data as Form | undefined)?.destination;
    const intent: TestPaymentIntent = {
      id: pi,
      object: 'payment_intent',
      amount,
      currency,
      status: 'requires_payment_method',
      client_secret: `${pi}_secret_${randomBytes(8).toString('hex')}`,
      application_fee_amount: data.application_fee_amount === undefined ? null : Number(data.application_fee_amount),
      transfer_data: typeof destination === 'string' ? { destination } : null,
      description: typeof data.description === 'string' ? data.description : null,
      metadata: (data.metadata as Record<string, string> | undefined) ?? {},
      latest_charge: null,
      livemode: false,
      created: Math.floor(Date.now() / 1000),
    };
    state.intents.set(pi, intent);
    return intent;
  }

  /** The intent succeeds with a charge carrying the Connect split (fee to the platform, the rest transferred). */
  function charge(intent: TestPaymentIntent): TestCharge {
    const fee = intent.application_fee_amount;
    const made: TestCharge = {
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
    state.charges.set(made.id, made);
    intent.status = 'succeeded';
    intent.latest_charge = made.id;
    return made;
  }

  const checkout = new TestCheckout({
    url: () => state.url,
    fail,
    checkSplit,
    intent: (session, data, paid) => {
      const intent = newIntent(session.amount_total, session.currency, data);
      if (paid) charge(intent);
      else intent.status = 'processing';
      return intent.id;
    },
    expired: (session) => setImmediate(() => void send('checkout.session.expired', session).catch(() => {})),
    settle: (intentId, succeeded) => {
      const intent = state.intents.get(intentId) as TestPaymentIntent;
      if (succeeded) charge(intent);
      else intent.status = 'requires_payment_method';
    },
  });
  state.sessions = checkout.sessions;

  async function route(method: string, path: string, form: Form, query: URLSearchParams): Promise<Answer> {
    const fromCheckout = checkout.route(method, path, form, query);
    if (fromCheckout) return fromCheckout;
    if (method === 'POST' && path === '/v1/payment_intents') {
      const amount = Number(form.amount);
      if (!Number.isInteger(amount) || amount < 50) return fail(400, 'Amount must be at least 50 cents', 'amount');
      if (typeof form.currency !== 'string') return fail(400, 'Missing required param: currency.', 'currency');
      const fee = form.application_fee_amount === undefined ? null : Number(form.application_fee_amount);
      const bad = checkSplit(amount, fee, (form.transfer_data as Form | undefined)?.destination);
      if (bad) return bad;
      return { status: 200, body: newIntent(amount, form.currency, form) };
    }
    const get = /^\/v1\/payment_intents\/([A-Za-z0-9_]+)$/.exec(path);
    if (method === 'GET' && get) {
      const intent = state.intents.get(get[1] as string);
      return intent ? { status: 200, body: intent } : fail(404, `No such payment_intent: '${get[1]}'`, 'intent');
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = state.intents.get(String(form.payment_intent));
      const paid = intent?.latest_charge ? state.charges.get(intent.latest_charge) : undefined;
      if (!intent) return fail(404, `No such payment_intent: '${form.payment_intent}'`, 'payment_intent');
      if (!paid) return fail(400, 'This PaymentIntent has no successful charge to refund', 'payment_intent');
      if (paid.refunded) return fail(400, `Charge ${paid.id} has already been refunded.`, 'charge');
      paid.refunded = true;
      paid.amount_refunded = paid.amount;
      if (paid.transfer && form.reverse_transfer === 'true') paid.transfer.reversed = true;
      if (form.refund_application_fee === 'true') paid.application_fee_refunded = true;
      const refund = {
        id: id('re'),
        object: 'refund',
        amount: paid.amount,
        charge: paid.id,
        payment_intent: intent.id,
        currency: paid.currency,
        status: 'succeeded',
      };
      // Stripe answers first and sends the event afterwards.
      setImmediate(() => void send('charge.refunded', paid).catch(() => {}));
      return { status: 200, body: refund };
    }
    return fail(404, `Unrecognized request URL (${method}: ${path}).`);
  }

  /** The hosted payment page at `session.url` (no API key: it is the buyer's browser). */
  async function hostedPage(req: IncomingMessage, res: ServerResponse, sessionId: string, body: string) {
    if (req.method === 'POST') {
      const method = new URLSearchParams(body).get('method') === 'bank' ? 'bank' : 'card';
      try {
        const { redirect } = await state.completeCheckout(sessionId, method);
        res.writeHead(303, { location: redirect }).end();
        return;
      } catch {
        // Not open any more: show the page saying so.
      }
    }
    const page = checkout.page(sessionId);
    res.writeHead(page.status, { 'content-type': 'text/html; charset=utf-8' }).end(page.html);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://stripe.local');
    const pay = /^\/c\/pay\/([A-Za-z0-9_]+)$/.exec(url.pathname);
    if (pay) return hostedPage(req, res, pay[1] as string, Buffer.concat(chunks).toString());
    let answer: Answer;
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
        (await route(req.method ?? 'GET', url.pathname, parseForm(Buffer.concat(chunks).toString()), url.searchParams));
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
