/** What to charge for one purchase: the buyer pays `amount`; `feeAmount` stays with the platform. */
export interface PaymentRequest {
  purchaseId: string;
  templateId: string;
  buyerId: string;
  /** Minor units (cents). */
  amount: number;
  currency: string;
  feeAmount: number;
  /** The creator's connected account that receives `amount - feeAmount`. */
  destinationAccount: string;
  description: string;
}

/** A started payment: the provider's reference, and what the buyer's browser needs to pay. */
export interface PaymentStart {
  paymentRef: string;
  /** For Stripe: the PaymentIntent's client secret, confirmed in the browser with Stripe.js. */
  clientSecret: string | null;
}

/** A verified provider event the marketplace acts on; anything else is `ignored`. */
export type PaymentEvent =
  | { type: 'paid'; paymentRef: string; eventId: string }
  | { type: 'refunded'; paymentRef: string; eventId: string }
  | { type: 'failed'; paymentRef: string; eventId: string }
  | { type: 'ignored'; eventId: string; providerType: string };

/**
 * The marketplace's payments port: start a payment that splits between the platform and the
 * creator, refund one, and turn a provider webhook into a {@link PaymentEvent} after verifying its
 * signature (throwing `MarketplaceError` `invalid-signature` when it does not verify).
 * {@link StripePayments} implements it on Stripe Connect destination charges.
 *
 * @example
 * ```ts
 * const start = await payments.start({ purchaseId, templateId, buyerId, amount: 1500, currency: 'usd',
 *   feeAmount: 300, destinationAccount: 'acct_123', description: 'Template: Slack alerts' });
 * ```
 */
export interface PaymentProvider {
  start(request: PaymentRequest): Promise<PaymentStart>;
  refund(paymentRef: string): Promise<void>;
  parseWebhook(rawBody: Buffer | string, signature: string | undefined): PaymentEvent;
}
