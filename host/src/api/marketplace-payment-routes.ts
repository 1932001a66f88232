import { Type } from '@sinclair/typebox';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString } from '../http/schemas.js';
import { hostMarketplace } from '../runtime/host-marketplace.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { TemplateParams } from './marketplace-schemas.js';

const PurchaseSchema = Type.Object({
  id: Type.String(),
  templateId: Type.String(),
  userId: Type.String(),
  creatorId: Type.String(),
  amount: Type.Integer(),
  feeAmount: Type.Integer(),
  currency: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('paid'), Type.Literal('refunded')]),
  paymentRef: Type.String(),
  createdAt: Type.Integer(),
  updatedAt: Type.Integer(),
});

/** Buying paid templates through Stripe, the buyer's purchases, refunds, Stripe's webhook and the creator's revenue. */
export function marketplacePaymentRoutes(rt: HostRuntime): AnyRoute[] {
  const mp = () => hostMarketplace(rt);
  return [
    defineRoute({
      method: 'post',
      path: '/marketplace/templates/:templateId/purchase',
      summary:
        "Start buying a paid template: a Stripe Checkout Session; send the buyer to checkoutUrl, Stripe's payment page, which returns to the template page",
      tag: 'marketplace',
      auth: 'user',
      status: 201,
      params: TemplateParams,
      response: Type.Object({
        purchase: PurchaseSchema,
        checkoutUrl: Type.String({ description: "Stripe Checkout's hosted payment page" }),
      }),
      handler: async ({ params, principal }) => {
        const page = `${rt.config.publicUrl}/marketplace/${encodeURIComponent(params.templateId)}`;
        const urls = {
          successUrl: `${page}?purchase=success&session_id={CHECKOUT_SESSION_ID}`,
          cancelUrl: `${page}?purchase=cancelled`,
        };
        // A central marketplace's template is bought there, on its Checkout page, which returns here.
        const { central, market } = mp();
        if (central && (await central.serves(params.templateId)))
          return central.buy(principal.userId, params.templateId, urls);
        const { purchase, payment } = await market.buy(principal.userId, params.templateId, urls);
        return { purchase, checkoutUrl: payment.checkoutUrl };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/marketplace/purchases',
      summary: "The caller's purchases, newest first",
      tag: 'marketplace',
      auth: 'user',
      response: Type.Object({ items: Type.Array(PurchaseSchema) }),
      handler: async ({ principal }) => ({ items: await mp().market.store.listPurchases(principal.userId) }),
    }),
    defineRoute({
      method: 'post',
      path: '/marketplace/purchases/:purchaseId/refund',
      summary: "Refund a purchase (the template's creator or a marketplace admin); the buyer loses access",
      tag: 'marketplace',
      auth: 'user',
      params: Type.Object({ purchaseId: IdString }),
      response: PurchaseSchema,
      handler: async ({ params, principal }) => {
        const { market, isAdmin } = mp();
        return market.refund(params.purchaseId, { userId: principal.userId, admin: await isAdmin(principal.userId) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/marketplace/stripe/webhook',
      summary: 'Stripe webhook endpoint: events verified by their Stripe-Signature (payments, refunds)',
      tag: 'marketplace',
      auth: 'none',
      body: Type.Record(Type.String(), Type.Unknown(), { description: 'A Stripe event, as Stripe signed it' }),
      handler: async ({ req }) => {
        const raw = (req as { rawBody?: Buffer }).rawBody;
        const signature = req.headers['stripe-signature'];
        const event = await mp().market.paymentWebhook(
          raw ?? '',
          typeof signature === 'string' ? signature : undefined,
        );
        return { received: true, outcome: event.type };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/marketplace/revenue',
      summary: "The caller's sales as a creator, per currency: gross, platform fees, refunds, net",
      tag: 'marketplace',
      auth: 'user',
      handler: async ({ principal }) => ({ items: await mp().market.store.revenue(principal.userId) }),
    }),
  ];
}
