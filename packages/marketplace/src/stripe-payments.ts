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
 * {@link PaymentProvider} on Stripe with the official `stripe` client: a PaymentIntent per purchase
 * as a Connect destination charge (`transfer_data.destination` is the creator's account,
 * `application_fee_amount` the platform's share), refunds that reverse the transfer and the
 * application fee, and webhooks verified with `stripe.webhooks.constructEvent`
 * (`payment_intent.succeeded` -> paid, `payment_intent.payment_failed` -> failed,
 * `charge.refunded` -> refunded).
 *
 * @example
 * ```ts
 * const payments = new StripePayments({ secretKey: process.env.STRIPE_KEY!, webhookSecret: process.env.STRIPE_WHSEC! });
 * const { paymentRef, clientSecret } = await payments.start(request);
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
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: r.amount,
          currency: r.currency,
          application_fee_amount: r.feeAmount,
          transfer_data: { destination: r.destinationAccount },
          automatic_payment_methods: { enabled: true },
          description: r.description,
          metadata: { purchaseId: r.purchaseId, templateId: r.templateId, buyerId: r.buyerId },
        },
        { idempotencyKey: `weft-purchase-${r.purchaseId}` },
      );
      return { paymentRef: intent.id, clientSecret: intent.client_secret };
    } catch (e) {
      throw failed('start', e);
    }
  }

  async refund(paymentRef: string): Promise<void> {
    try {
      await this.stripe.refunds.create(
        { payment_intent: paymentRef, reverse_transfer: true, refund_application_fee: true },
        { idempotencyKey: `weft-refund-${paymentRef}` },
      );
    } catch (e) {
      throw failed('refund', e);
    }
  }

  parseWebhook(rawBody: Buffer | string, signature: string | undefined): PaymentEvent {
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
    switch (event.type) {
      case 'payment_intent.succeeded':
        return { type: 'paid', paymentRef: event.data.object.id, eventId: event.id };
      case 'payment_intent.payment_failed':
        return { type: 'failed', paymentRef: event.data.object.id, eventId: event.id };
      case 'charge.refunded': {
        const intent = event.data.object.payment_intent;
        const ref = typeof intent === 'string' ? intent : intent?.id;
        return ref
          ? { type: 'refunded', paymentRef: ref, eventId: event.id }
          : { type: 'ignored', eventId: event.id, providerType: event.type };
      }
      default:
        return { type: 'ignored', eventId: event.id, providerType: event.type };
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
