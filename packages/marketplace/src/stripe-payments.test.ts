import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock, MemoryMarketplaceStore, MemoryRateLimiter } from '@weft/engine';
import { type StripeTestServer, startStripeTestServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Marketplace } from './marketplace.js';
import type { MarketplaceError } from './marketplace-error.js';
import { StripePayments } from './stripe-payments.js';

describe('StripePayments against a local server speaking the Stripe API', () => {
  let stripe: StripeTestServer;
  let receiver: Server;
  let market: Marketplace;
  let payments: StripePayments;
  const answered: Array<{ status: number; body: unknown }> = [];

  beforeAll(async () => {
    stripe = await startStripeTestServer();
    payments = new StripePayments({
      secretKey: stripe.secretKey,
      webhookSecret: stripe.webhookSecret,
      apiUrl: stripe.url,
    });
    const clock = new ManualClock(1_700_000_000_000);
    market = new Marketplace({
      store: new MemoryMarketplaceStore(),
      clock,
      rateLimiter: new MemoryRateLimiter({ clock }),
      payments,
      feePercent: 15,
    });
    receiver = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const header = req.headers['stripe-signature'];
      try {
        const result = await market.paymentWebhook(
          Buffer.concat(chunks),
          typeof header === 'string' ? header : undefined,
        );
        answered.push({ status: 200, body: result });
        res.writeHead(200).end();
      } catch (e) {
        answered.push({ status: 400, body: (e as MarketplaceError).code });
        res.writeHead(400).end();
      }
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    stripe.webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await stripe.close();
    await new Promise((r) => receiver.close(r));
  });

  const publishPaid = () =>
    market.publish({
      creatorId: 'creator',
      workflow: {
        name: 'x',
        nodes: [{ id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} }],
        connections: [],
      },
      credentialType: () => undefined,
      name: 'Paid flow',
      summary: 's',
      description: 'd',
      categories: ['sales'],
      tags: [],
      changelog: 'First',
      priceAmount: 1999,
      currency: 'EUR',
      payoutAccountId: 'acct_creator1',
    });

  const urls = {
    successUrl: 'https://weft.test/marketplace/t?purchase=success&session_id={CHECKOUT_SESSION_ID}',
    cancelUrl: 'https://weft.test/marketplace/t?purchase=cancelled',
  };

  it('buys on the Checkout page as a destination charge with the platform fee, grants access on the signed webhook, and refunds revoke it', async () => {
    const { template } = await publishPaid();
    const { purchase, payment } = await market.buy('buyer', template.id, urls);
    expect(purchase).toMatchObject({ status: 'pending', amount: 1999, feeAmount: 300, currency: 'eur' });
    expect(payment.paymentRef).toMatch(/^cs_test_/);
    expect(payment.checkoutUrl).toBe(`${stripe.url}/c/pay/${payment.paymentRef}`);
    expect(stripe.sessions.get(payment.paymentRef)).toMatchObject({
      mode: 'payment',
      amount_total: 1999,
      currency: 'eur',
      status: 'open',
      client_reference_id: purchase.id,
      success_url: urls.successUrl,
      cancel_url: urls.cancelUrl,
    });
    expect(await market.canInstall('buyer', template)).toBe(false);

    // The buyer's browser: the hosted page names the template and price; Pay redirects to success_url.
    const page = await fetch(payment.checkoutUrl);
    expect(await page.text()).toContain('Pay 19.99 EUR');
    const paid = await fetch(payment.checkoutUrl, { method: 'POST', body: 'method=card', redirect: 'manual' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(urls.successUrl.replace('{CHECKOUT_SESSION_ID}', payment.paymentRef));
    expect(stripe.deliveries.at(-1)).toMatchObject({ event: { type: 'checkout.session.completed' }, status: 200 });
    expect(answered.at(-1)).toMatchObject({
      status: 200,
      body: { type: 'paid', paymentRef: payment.paymentRef, purchaseId: purchase.id },
    });
    expect(await market.canInstall('buyer', template)).toBe(true);
    const session = stripe.sessions.get(payment.paymentRef);
    const intent = stripe.intents.get(session?.payment_intent as string);
    expect(intent).toMatchObject({
      amount: 1999,
      application_fee_amount: 300,
      transfer_data: { destination: 'acct_creator1' },
      metadata: { purchaseId: purchase.id, templateId: template.id, buyerId: 'buyer' },
    });
    const charge = [...stripe.charges.values()].find((c) => c.payment_intent === intent?.id);
    expect(charge?.transfer).toEqual({ destination: 'acct_creator1', amount: 1699, reversed: false });
    expect(await market.store.revenue('creator')).toEqual([
      { currency: 'eur', sales: 1, gross: 1999, fees: 300, refunds: 0, refundedAmount: 0, net: 1699 },
    ]);
    // The page of a paid session is gone.
    expect((await fetch(payment.checkoutUrl)).status).toBe(410);

    await expect(market.refund(purchase.id, { userId: 'someone', admin: false })).rejects.toThrow(
      /creator or an admin/,
    );
    const refunded = await market.refund(purchase.id, { userId: 'creator', admin: false });
    expect(refunded.status).toBe('refunded');
    expect(await market.canInstall('buyer', template)).toBe(false);
    expect(charge).toMatchObject({ refunded: true, application_fee_refunded: true, transfer: { reversed: true } });
    await expect.poll(() => stripe.deliveries.at(-1)?.event.type).toBe('charge.refunded');
    await expect.poll(() => (answered.at(-1)?.body as { type?: string })?.type).toBe('refunded');
    expect(answered.at(-1)?.body).toMatchObject({ paymentRef: payment.paymentRef, purchaseId: purchase.id });
    expect(await market.store.revenue('creator')).toEqual([
      { currency: 'eur', sales: 0, gross: 0, fees: 0, refunds: 1, refundedAmount: 1999, net: 0 },
    ]);
    // A replayed completion after the refund does not give access back.
    const replay = JSON.stringify({
      id: 'evt_replay',
      object: 'event',
      type: 'checkout.session.completed',
      data: { object: session },
    });
    await market.paymentWebhook(replay, stripe.sign(replay));
    expect(await market.canInstall('buyer', template)).toBe(false);
  });

  it('a bank transfer opens access only when its async payment succeeds; a failed or expired one never does', async () => {
    const { template } = await publishPaid();
    const slow = await market.buy('slow-buyer', template.id, urls);
    const { delivery } = await stripe.completeCheckout(slow.payment.paymentRef, 'bank');
    expect(delivery.status).toBe(200);
    expect(answered.at(-1)?.body).toMatchObject({ type: 'ignored', providerType: 'checkout.session.completed' });
    expect(await market.canInstall('slow-buyer', template)).toBe(false);
    await stripe.settleCheckout(slow.payment.paymentRef, true);
    expect(answered.at(-1)?.body).toMatchObject({ type: 'paid', purchaseId: slow.purchase.id });
    expect(await market.canInstall('slow-buyer', template)).toBe(true);

    const failing = await market.buy('unlucky-buyer', template.id, urls);
    await stripe.completeCheckout(failing.payment.paymentRef, 'bank');
    await stripe.settleCheckout(failing.payment.paymentRef, false);
    expect(answered.at(-1)?.body).toMatchObject({ type: 'failed', purchaseId: failing.purchase.id });
    expect(await market.canInstall('unlucky-buyer', template)).toBe(false);

    const left = await market.buy('gone-buyer', template.id, urls);
    const expire = await fetch(`${stripe.url}/v1/checkout/sessions/${left.payment.paymentRef}/expire`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stripe.secretKey}` },
    });
    expect(((await expire.json()) as { status: string }).status).toBe('expired');
    await expect.poll(() => answered.at(-1)?.body).toMatchObject({ type: 'failed', purchaseId: left.purchase.id });
    const again = await fetch(`${stripe.url}/v1/checkout/sessions/${left.payment.paymentRef}/expire`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stripe.secretKey}` },
    });
    expect([again.status, ((await again.json()) as { error: { message: string } }).error.message]).toEqual([
      400,
      expect.stringContaining('status in ["open"]'),
    ]);
    const page = await fetch(left.payment.checkoutUrl, { method: 'POST', body: 'method=card', redirect: 'manual' });
    expect(page.status).toBe(410);
    expect(await market.canInstall('gone-buyer', template)).toBe(false);
  });

  it('refuses webhooks whose signature, payload or timestamp does not verify', async () => {
    const payload = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'checkout.session.completed',
      data: { object: { id: 'cs_1', object: 'checkout.session', payment_status: 'paid' } },
    });
    expect(await payments.parseWebhook(payload, stripe.sign(payload))).toEqual({
      type: 'paid',
      paymentRef: 'cs_1',
      eventId: 'evt_1',
    });
    for (const [body, header] of [
      [payload, undefined],
      [payload.replace('cs_1', 'cs_2'), stripe.sign(payload)],
      [payload, stripe.sign(payload, Math.floor(Date.now() / 1000) - 3600)],
      [payload, stripe.sign(payload).replace(/v1=[0-9a-f]{4}/, 'v1=0000')],
    ] as const) {
      const e = await payments.parseWebhook(body, header).catch((err: unknown) => err as MarketplaceError);
      expect((e as MarketplaceError).code).toBe('invalid-signature');
    }
  });

  it('names what Stripe refused', async () => {
    const bad = new StripePayments({ secretKey: 'sk_test_wrong', webhookSecret: 'x', apiUrl: stripe.url });
    await expect(
      bad.start({
        purchaseId: 'p',
        templateId: 't',
        buyerId: 'b',
        amount: 100,
        currency: 'usd',
        feeAmount: 1,
        destinationAccount: 'acct_1',
        description: 'd',
        ...urls,
      }),
    ).rejects.toThrow(/HTTP 401.*Invalid API Key/);
    await expect(
      payments.start({
        purchaseId: 'p2',
        templateId: 't',
        buyerId: 'b',
        amount: 100,
        currency: 'usd',
        feeAmount: 1,
        destinationAccount: 'bank',
        description: 'd',
        ...urls,
      }),
    ).rejects.toThrow(/No such destination/);
  });
});
