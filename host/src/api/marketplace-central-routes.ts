import { createHmac, timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { hostMarketplace } from '../runtime/host-marketplace.js';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { TemplateParams } from './marketplace-schemas.js';

const Url = Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://' });
/** Purchases per buying host and hour (each makes a Checkout Session). */
const BUY_RATE = { limit: 60, windowMs: 3_600_000 };

/** `<purchaseId>.<HMAC>`: proof of a purchase, signed with the host's secret, that only the buyer's host holds. */
function licenceOf(secret: Uint8Array, purchaseId: string): string {
  const mac = createHmac('sha256', secret).update(`weft-marketplace-licence\n${purchaseId}`).digest('base64url');
  return `${purchaseId}.${mac}`;
}

function purchaseOfLicence(secret: Uint8Array, licence: string | undefined): string | undefined {
  const purchaseId = /^([A-Za-z0-9_-]{1,100})\.[A-Za-z0-9_-]{43}$/.exec(licence ?? '')?.[1];
  if (!purchaseId || !licence) return undefined;
  const expected = Buffer.from(licenceOf(secret, purchaseId));
  const given = Buffer.from(licence);
  return expected.length === given.length && timingSafeEqual(expected, given) ? purchaseId : undefined;
}

/**
 * What a central marketplace offers other Weft hosts (`WEFT_MARKETPLACE_URL`) beyond the public
 * catalogue: buying a paid template for one of their users (recorded here, paid on this host's
 * Stripe Checkout page, the buyer sent back to their own host) and checking a licence before an
 * install, which answers the workflow once the purchase is paid and nothing after a refund.
 *
 * @example
 * ```ts
 * mountRoutes(router, marketplaceCentralRoutes(runtime), runtime);
 * ```
 */
export function marketplaceCentralRoutes(rt: HostRuntime): AnyRoute[] {
  const mp = () => hostMarketplace(rt);
  return [
    defineRoute({
      method: 'post',
      path: '/marketplace/catalogue/:templateId/purchase',
      summary:
        "Another Weft host buys a paid template for one of its users: a purchase here and this host's Stripe Checkout page; answers a licence the buying host keeps",
      tag: 'marketplace',
      auth: 'none',
      status: 201,
      params: TemplateParams,
      body: Type.Object(
        {
          buyer: Type.Object(
            { host: Url, userId: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9._:-]+$' }) },
            { additionalProperties: false },
          ),
          successUrl: Url,
          cancelUrl: Url,
        },
        { additionalProperties: false },
      ),
      response: Type.Object({
        purchaseId: Type.String(),
        checkoutUrl: Type.String(),
        licence: Type.String({ description: 'Send it as X-Weft-Licence to the licence route' }),
        amount: Type.Integer(),
        currency: Type.String(),
      }),
      handler: async ({ params, body }) => {
        const origin = new URL(body.buyer.host).origin;
        for (const key of ['successUrl', 'cancelUrl'] as const)
          if (new URL(body[key]).origin !== origin)
            throw new ProblemError(400, 'return-url-elsewhere', `${key} must be on the buying host ${origin}`, {
              errors: [{ in: 'body', path: `/${key}`, message: `Expected a URL on ${origin}` }],
            });
        const limit = await rt.rateLimiter.consume(`marketplace:central-buy:${origin}`, BUY_RATE);
        if (!limit.allowed)
          throw new ProblemError(429, 'purchase-rate-limited', `Too many purchases from ${origin}; try again later`, {
            headers: { 'retry-after': String(Math.ceil(limit.retryAfterMs / 1000)) },
          });
        const { purchase, payment } = await mp().market.buy(
          `remote:${origin}/${body.buyer.userId}`,
          params.templateId,
          {
            successUrl: body.successUrl,
            cancelUrl: body.cancelUrl,
          },
        );
        return {
          purchaseId: purchase.id,
          checkoutUrl: payment.checkoutUrl,
          licence: licenceOf(rt.config.jwtSecret, purchase.id),
          amount: purchase.amount,
          currency: purchase.currency,
        };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/marketplace/catalogue/:templateId/licence',
      summary:
        'Whether the purchase behind a licence (X-Weft-Licence header) is paid; when it is, the latest version of the template to install',
      tag: 'marketplace',
      auth: 'none',
      params: TemplateParams,
      handler: async ({ req, res, params }) => {
        res.setHeader('cache-control', 'no-store');
        const header = req.headers['x-weft-licence'];
        const purchaseId = purchaseOfLicence(rt.config.jwtSecret, typeof header === 'string' ? header : undefined);
        const purchase = purchaseId ? await mp().market.store.getPurchase(purchaseId) : undefined;
        if (purchase?.templateId !== params.templateId)
          throw new ProblemError(403, 'invalid-licence', `X-Weft-Licence is not a licence for ${params.templateId}`);
        if (purchase.status !== 'paid') return { status: purchase.status };
        return { status: purchase.status, version: await mp().market.store.getVersion(params.templateId) };
      },
    }),
  ];
}
