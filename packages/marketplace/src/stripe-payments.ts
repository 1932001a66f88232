import Stripe from 'stripe';
import { MarketplaceError } from './marketplace-error.js';
import type { PaymentEvent, PaymentProvider, PaymentRequest, PaymentStart } from './payment-provider.js';

/** How to reach Stripe: the secret key and webhook signing secret, and for tests a local server. */
export interface StripePaymentsOptions {
  secretKey: string;
  webhookSecret: string;
  /** `https://api.stripe.com` by default; tests point it at a local server speaking the same endpoints. */
  apiUrl?: string;
  /** Seconds a webhook's timestamp may be old (Stripe's default: 300). */
  toleranceSeconds?: number;
}

/**
 * {@link PaymentProvider} on Stripe with the official `stripe` client: a Checkout Session per
 * purchase (mode `payment`, one line item for the template) whose PaymentIntent is a Connect
 * destination charge (`payment_intent_data.transfer_data.destination` is the creator's account,
 * `application_fee_amount` the platform's share); the buyer pays on Stripe's hosted page.
 * Refunds reverse the transfer and the application fee. Webhooks are verified with
 * `stripe.webhooks.constructEvent`: `checkout.session.completed` (when paid) and
 * `checkout.session.async_payment_succeeded` -> paid, `checkout.session.async_payment_failed` and
 * `checkout.session.expired` -> failed, `charge.refunded` -> refunded (its PaymentIntent's session
 * looked up through `GET /v1/checkout/sessions?payment_intent=`).
 *
 * @example
 * ```ts
 * const payments = new StripePayments({ secretKey: process.env.STRIPE_KEY!, webhookSecret: process.env.STRIPE_WHSEC! });
 * const { paymentRef, checkoutUrl } = await payments.start(request); // send the buyer to checkoutUrl
 * ```
 */
export class StripePayments implements PaymentProvider {
  private readonly stripe: Stripe;

  constructor(private readonly options: StripePaymentsOptions) {
    const url = options.apiUrl ? new URL(options.apiUrl) : undefined;
    this.stripe = new Stripe(options.secretKey, {
      maxNetworkRetries: 2,
      telemetry: false,
      ...(url
        ? {
            host: url.hostname,
            port: url.port || (url.protocol === 'http:' ? 80 : 443),
            protocol: url.protocol === 'http:' ? 'http' : 'https',
          }
        : {}),
    });
  }

  async start(r: PaymentRequest): Promise<PaymentStart> {
    const metadata = { purchaseId: r.purchaseId, templateId: r.templateId, buyerId: r.buyerId };
    try {
      const session = await this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            {
              quantity: 1,
              price_data: { currency: r.currency, unit_amount: r.amount, product_data: { name: r.description } },
            },
          ],
          payment_intent_data: {
            application_fee_amount: r.feeAmount,
            transfer_data: { destination: r.destinationAccount },
            description: r.description,
            metadata,
          },
          client_reference_id: r.purchaseId,
          metadata,
          success_url: r.successUrl,
          cancel_url: r.cancelUrl,
        },
        { idempotencyKey: `weft-purchase-${r.purchaseId}` },
      );
      if (!session.url) throw new Error(`Checkout Session ${session.id} has no payment page URL`);
      return { paymentRef: session.id, checkoutUrl: session.url };
    } catch (e) {
      throw failed('start', e);
    }
  }

  async refund(paymentRef: string): Promise<void> {
    try {
      const session = await this.stripe.checkout.sessions.retrieve(paymentRef);
      const intent = typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
      if (!intent) throw new Error(`Checkout Session ${paymentRef} was never paid`);
      await this.stripe.refunds.create(
        { payment_intent: intent, reverse_transfer: true, refund_application_fee: true },
        { idempotencyKey: `weft-refund-${paymentRef}` },
      );
    } catch (e) {
      throw failed('refund', e);
    }
  }

  async parseWebhook(rawBody: Buffer | string, signature: string | undefined): Promise<PaymentEvent> {
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signature ?? '',
        this.options.webhookSecret,
        this.options.toleranceSeconds,
      );
    } catch (e) {
      throw new MarketplaceError(
        'invalid-input',
        'invalid-signature',
        `Stripe webhook signature does not verify: ${(e as Error).message}`,
      );
    }
    const ignored: PaymentEvent = { type: 'ignored', eventId: event.id, providerType: event.type };
    switch (event.type) {
      case 'checkout.session.completed':
        // A bank transfer completes the session unpaid; its async_payment_* event decides.
        return event.data.object.payment_status === 'paid'
          ? { type: 'paid', paymentRef: event.data.object.id, eventId: event.id }
          : ignored;
      case 'checkout.session.async_payment_succeeded':
        return { type: 'paid', paymentRef: event.data.object.id, eventId: event.id };
      case 'checkout.session.async_payment_failed':
      case 'checkout.session.expired':
        return { type: 'failed', paymentRef: event.data.object.id, eventId: event.id };
      case 'charge.refunded': {
        const intent = event.data.object.payment_intent;
        const id = typeof intent === 'string' ? intent : intent?.id;
        let session: Stripe.Checkout.Session | undefined;
        try {
          if (id) session = (await this.stripe.checkout.sessions.list({ payment_intent: id, limit: 1 })).data[0];
        } catch (e) {
          throw failed('find the Checkout Session of', e);
        }
        return session ? { type: 'refunded', paymentRef: session.id, eventId: event.id } : ignored;
      }
      default:
        return ignored;
    }
  }
}

function failed(what: string, e: unknown): MarketplaceError {
  const err = e as { message?: string; statusCode?: number; code?: string };
  return new MarketplaceError(
    'upstream-failed',
    'payment-provider-failed',
    `Stripe could not ${what} the payment${err.statusCode ? ` (HTTP ${err.statusCode})` : ''}: ${err.message ?? String(e)}`,
  );
}
