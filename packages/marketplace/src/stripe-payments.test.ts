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

  it('buys through a destination charge with the platform fee, grants access on the signed webhook, and refunds revoke it', async () => {
    const { template } = await publishPaid();
    const { purchase, payment } = await market.buy('buyer', template.id);
    expect(purchase).toMatchObject({ status: 'pending', amount: 1999, feeAmount: 300, currency: 'eur' });
    expect(payment.clientSecret).toMatch(/^pi_.+_secret_/);
    const intent = stripe.intents.get(payment.paymentRef);
    expect(intent).toMatchObject({
      amount: 1999,
      currency: 'eur',
      application_fee_amount: 300,
      transfer_data: { destination: 'acct_creator1' },
      metadata: { purchaseId: purchase.id, templateId: template.id, buyerId: 'buyer' },
    });
    expect(await market.canInstall('buyer', template)).toBe(false);

    const delivery = await stripe.pay(payment.paymentRef);
    expect(delivery).toMatchObject({ event: { type: 'payment_intent.succeeded' }, status: 200 });
    expect(answered.at(-1)).toEqual({
      status: 200,
      body: { type: 'paid', paymentRef: payment.paymentRef, eventId: delivery.event.id, purchaseId: purchase.id },
    });
    expect(await market.canInstall('buyer', template)).toBe(true);
    const charge = [...stripe.charges.values()].find((c) => c.payment_intent === payment.paymentRef);
    expect(charge?.transfer).toEqual({ destination: 'acct_creator1', amount: 1699, reversed: false });
    expect(await market.store.revenue('creator')).toEqual([
      { currency: 'eur', sales: 1, gross: 1999, fees: 300, refunds: 0, refundedAmount: 0, net: 1699 },
    ]);

    await expect(market.refund(purchase.id, { userId: 'someone', admin: false })).rejects.toThrow(
      /creator or an admin/,
    );
    const refunded = await market.refund(purchase.id, { userId: 'creator', admin: false });
    expect(refunded.status).toBe('refunded');
    expect(await market.canInstall('buyer', template)).toBe(false);
    expect(charge).toMatchObject({ refunded: true, application_fee_refunded: true, transfer: { reversed: true } });
    await expect.poll(() => stripe.deliveries.at(-1)?.event.type).toBe('charge.refunded');
    await expect.poll(() => (answered.at(-1)?.body as { type?: string })?.type).toBe('refunded');
    expect(await market.store.revenue('creator')).toEqual([
      { currency: 'eur', sales: 0, gross: 0, fees: 0, refunds: 1, refundedAmount: 1999, net: 0 },
    ]);
    // A replayed success after the refund does not give access back.
    const replay = JSON.stringify({
      id: 'evt_replay',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: intent },
    });
    await market.paymentWebhook(replay, stripe.sign(replay));
    expect(await market.canInstall('buyer', template)).toBe(false);
  });

  it('refuses webhooks whose signature, payload or timestamp does not verify', () => {
    const payload = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_1' } },
    });
    expect(payments.parseWebhook(payload, stripe.sign(payload))).toEqual({
      type: 'paid',
      paymentRef: 'pi_1',
      eventId: 'evt_1',
    });
    for (const [body, header] of [
      [payload, undefined],
      [payload.replace('pi_1', 'pi_2'), stripe.sign(payload)],
      [payload, stripe.sign(payload, Math.floor(Date.now() / 1000) - 3600)],
      [payload, stripe.sign(payload).replace(/v1=[0-9a-f]{4}/, 'v1=0000')],
    ] as const) {
      const e = (() => {
        try {
          payments.parseWebhook(body, header);
        } catch (err) {
          return err as MarketplaceError;
        }
      })();
      expect(e?.code).toBe('invalid-signature');
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
      }),
    ).rejects.toThrow(/No such destination/);
  });
});
