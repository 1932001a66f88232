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
  /** Where the provider's payment page sends the buyer after paying (Stripe fills in `{CHECKOUT_SESSION_ID}`). */
  successUrl: string;
  /** Where it sends a buyer who goes back without paying. */
  cancelUrl: string;
}

/** A started payment: the provider's reference, and the payment page to send the buyer's browser to. */
export interface PaymentStart {
  /** For Stripe: the Checkout Session id (`cs_...`). */
  paymentRef: string;
  /** The hosted payment page (Stripe Checkout's `session.url`). */
  checkoutUrl: string;
}

/** A verified provider event the marketplace acts on; anything else is `ignored`. */
export type PaymentEvent =
  | { type: 'paid'; paymentRef: string; eventId: string }
  | { type: 'refunded'; paymentRef: string; eventId: string }
  | { type: 'failed'; paymentRef: string; eventId: string }
  | { type: 'ignored'; eventId: string; providerType: string };

/**
 * The marketplace's payments port: start a payment that splits between the platform and the
 * creator (the buyer pays on the provider's hosted page), refund one, and turn a provider webhook
 * into a {@link PaymentEvent} after verifying its signature (rejecting with `MarketplaceError`
 * `invalid-signature` when it does not verify).
 * {@link StripePayments} implements it on Stripe Connect destination charges.
 *
 * @example
 * ```ts
 * const start = await payments.start({ purchaseId, templateId, buyerId, amount: 1500, currency: 'usd',
 *   feeAmount: 300, destinationAccount: 'acct_123', description: 'Template: Slack alerts',
 *   successUrl: 'https://weft.example/marketplace/tpl_1?purchase=success', cancelUrl: 'https://weft.example/marketplace/tpl_1' });
 * location.href = start.checkoutUrl; // in the buyer's browser
 * ```
 */
export interface PaymentProvider {
  start(request: PaymentRequest): Promise<PaymentStart>;
  refund(paymentRef: string): Promise<void>;
  parseWebhook(rawBody: Buffer | string, signature: string | undefined): Promise<PaymentEvent>;
}
