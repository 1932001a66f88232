import { randomBytes } from 'node:crypto';

/** A Checkout Session as the local server keeps it (the fields of Stripe's object that Weft reads). */
export interface TestCheckoutSession {
  id: string;
  object: 'checkout.session';
  mode: 'payment';
  status: 'open' | 'complete' | 'expired';
  payment_status: 'unpaid' | 'paid';
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  /** The hosted payment page; null once the session is complete or expired (as Stripe answers). */
  url: string | null;
  success_url: string;
  cancel_url: string | null;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  /** Set when the buyer pays (Stripe creates the PaymentIntent at confirmation). */
  payment_intent: string | null;
  expires_at: number;
  created: number;
  livemode: false;
}

export type Form = { [key: string]: string | Form };
export type Answer = { status: number; body: unknown };

/** What the checkout part needs from the core server: failing, ids, the PaymentIntent and charge a payment makes. */
export interface CheckoutCore {
  url(): string;
  fail(status: number, message: string, param?: string): Answer;
  /** Validates `application_fee_amount`/`transfer_data` as `POST /v1/payment_intents` does; an answer when invalid. */
  checkSplit(amount: number, fee: number | null, destination: unknown, prefix: string): Answer | undefined;
  /** A PaymentIntent for a confirmed session; `paid` also makes the charge with the Connect split. */
  intent(session: TestCheckoutSession, data: Form, paid: boolean): string;
  /** Stripe sends `checkout.session.expired` after answering the expire call. */
  expired(session: TestCheckoutSession): void;
  /** Makes the charge of an intent that was processing (async payment methods settle later). */
  settle(intentId: string, succeeded: boolean): void;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const money = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;

/**
 * The Checkout half of the local Stripe: `POST /v1/checkout/sessions` (mode `payment`,
 * `line_items[][price_data]`, `payment_intent_data` with a Connect destination and application
 * fee), `GET /v1/checkout/sessions/:id`, `GET /v1/checkout/sessions?payment_intent=`,
 * `POST /v1/checkout/sessions/:id/expire`, and the hosted page at `session.url`.
 */
export class TestCheckout {
  readonly sessions = new Map<string, TestCheckoutSession>();
  private readonly extra = new Map<string, { name: string; intentData: Form }>();

  constructor(private readonly core: CheckoutCore) {}

  /** Answers a `/v1/checkout/sessions` API call, or undefined for other paths. */
  route(method: string, path: string, form: Form, query: URLSearchParams): Answer | undefined {
    const { fail } = this.core;
    if (path === '/v1/checkout/sessions' && method === 'POST') return this.create(form);
    if (path === '/v1/checkout/sessions' && method === 'GET') {
      const pi = query.get('payment_intent');
      const data = [...this.sessions.values()].filter((s) => !pi || s.payment_intent === pi).reverse();
      return { status: 200, body: { object: 'list', data, has_more: false, url: '/v1/checkout/sessions' } };
    }
    const one = /^\/v1\/checkout\/sessions\/([A-Za-z0-9_]+)(\/expire)?$/.exec(path);
    if (!one) return undefined;
    const session = this.sessions.get(one[1] as string);
    if (!session) return fail(404, `No such checkout.session: '${one[1]}'`, 'session');
    if (method === 'GET' && !one[2]) return { status: 200, body: session };
    if (method === 'POST' && one[2]) {
      if (session.status !== 'open')
        return fail(
          400,
          `Only Checkout Sessions with a status in ["open"] can be expired, this one is ${session.status}`,
        );
      session.status = 'expired';
      session.url = null;
      this.core.expired(session);
      return { status: 200, body: session };
    }
    return fail(404, `Unrecognized request URL (${method}: ${path}).`);
  }

  private create(form: Form): Answer {
    const { fail } = this.core;
    if (form.mode !== 'payment') return fail(400, 'This server supports mode=payment only.', 'mode');
    if (typeof form.success_url !== 'string' || !/^https?:\/\//.test(form.success_url))
      return fail(400, 'Not a valid URL', 'success_url');
    const items = Object.values((form.line_items as Form | undefined) ?? {}) as Form[];
    if (!items.length) return fail(400, 'line_items is required in payment mode.', 'line_items');
    let total = 0;
    let currency: string | undefined;
    let name = '';
    for (const [i, item] of items.entries()) {
      const price = item.price_data as Form | undefined;
      const unit = Number(price?.unit_amount);
      const quantity = Number(item.quantity ?? 1);
      const product = price?.product_data as Form | undefined;
      if (!price || !Number.isInteger(unit) || unit < 0)
        return fail(400, 'Missing required param: unit_amount.', `line_items[${i}][price_data][unit_amount]`);
      if (typeof product?.name !== 'string' || !product.name)
        return fail(
          400,
          'Missing required param: product_data[name].',
          `line_items[${i}][price_data][product_data][name]`,
        );
      if (typeof price.currency !== 'string' || (currency && price.currency !== currency))
        return fail(400, 'All line items must use one currency.', `line_items[${i}][price_data][currency]`);
      if (!Number.isInteger(quantity) || quantity < 1)
        return fail(400, 'Invalid integer', `line_items[${i}][quantity]`);
      currency = price.currency;
      total += unit * quantity;
      name ||= product.name;
    }
    if (total < 50) return fail(400, 'The Checkout Session total must be at least 50 cents.', 'line_items');
    const intentData = (form.payment_intent_data as Form | undefined) ?? {};
    const fee = intentData.application_fee_amount === undefined ? null : Number(intentData.application_fee_amount);
    const bad = this.core.checkSplit(
      total,
      fee,
      (intentData.transfer_data as Form | undefined)?.destination,
      'payment_intent_data',
    );
    if (bad) return bad;
    const id = `cs_test_${randomBytes(20).toString('hex')}`;
    const now = Math.floor(Date.now() / 1000);
    const session: TestCheckoutSession = {
      id,
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_subtotal: total,
      amount_total: total,
      currency: currency as string,
      url: `${this.core.url()}/c/pay/${id}`,
      success_url: form.success_url,
      cancel_url: typeof form.cancel_url === 'string' ? form.cancel_url : null,
      client_reference_id: typeof form.client_reference_id === 'string' ? form.client_reference_id : null,
      metadata: (form.metadata as Record<string, string> | undefined) ?? {},
      payment_intent: null,
      expires_at: Number(form.expires_at ?? now + 86_400),
      created: now,
      livemode: false,
    };
    this.sessions.set(id, session);
    this.extra.set(id, { name, intentData });
    return { status: 200, body: session };
  }

  /**
   * The buyer confirms on the hosted page: by card the session completes paid; by bank transfer it
   * completes `unpaid` and settles later ({@link settle}). Answers where the browser goes next.
   */
  complete(sessionId: string, method: 'card' | 'bank'): { session: TestCheckoutSession; redirect: string } {
    const session = this.open(sessionId);
    session.payment_intent = this.core.intent(session, this.extra.get(sessionId)?.intentData ?? {}, method === 'card');
    session.status = 'complete';
    session.payment_status = method === 'card' ? 'paid' : 'unpaid';
    session.url = null;
    return { session, redirect: session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id) };
  }

  /** An async payment of a completed session clears (`paid`) or fails. */
  settle(sessionId: string, succeeded: boolean): TestCheckoutSession {
    const session = this.sessions.get(sessionId);
    if (session?.status !== 'complete' || session.payment_status !== 'unpaid' || !session.payment_intent)
      throw new Error(`Checkout Session ${sessionId} has no payment waiting to settle`);
    this.core.settle(session.payment_intent, succeeded);
    if (succeeded) session.payment_status = 'paid';
    return session;
  }

  /** An open session, or an error naming why it cannot be paid. */
  open(sessionId: string): TestCheckoutSession {
    const session = this.sessions.get(sessionId);
    if (!session) throw new Error(`No such checkout.session: '${sessionId}'`);
    if (session.status !== 'open') throw new Error(`Checkout Session ${sessionId} is ${session.status}`);
    return session;
  }

  /** The hosted payment page: what is bought, for how much, Pay by card or bank transfer, and back. */
  page(sessionId: string): { status: number; html: string } {
    const session = this.sessions.get(sessionId);
    const name = this.extra.get(sessionId)?.name ?? '';
    const body =
      session?.status === 'open'
        ? `<h1>${escapeHtml(name)}</h1>
<p class="amount">${money(session.amount_total, session.currency)}</p>
<form method="post"><input type="hidden" name="method" value="card"><button type="submit">Pay ${money(session.amount_total, session.currency)}</button></form>
<form method="post"><input type="hidden" name="method" value="bank"><button type="submit">Pay by bank transfer</button></form>
${session.cancel_url ? `<p><a href="${escapeHtml(session.cancel_url)}">Back</a></p>` : ''}`
        : `<h1>This checkout is no longer available</h1><p>${session ? `It is ${session.status}.` : 'No such session.'}</p>`;
    return {
      status: session?.status === 'open' ? 200 : 410,
      html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout (local Stripe)</title></head><body><main>${body}</main></body></html>`,
    };
  }
}
