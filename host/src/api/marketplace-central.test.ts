import { type StripeTestServer, startStripeTestServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

// Two hosts on loopback: `central` lists templates and takes payments through the local Stripe;
// `local` browses it through WEFT_MARKETPLACE_URL, buys there and installs here.
let central: TestHost;
let local: TestHost;
let stripe: StripeTestServer;
beforeAll(async () => {
  stripe = await startStripeTestServer();
  central = await startTestHost({
    WEFT_SEED_EXAMPLES: 'true',
    WEFT_STRIPE_SECRET_KEY: stripe.secretKey,
    WEFT_STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
    WEFT_STRIPE_API_URL: stripe.url,
    WEFT_MARKETPLACE_FEE_PERCENT: '10',
  });
  stripe.webhookUrl = `${central.base}/api/v1/marketplace/stripe/webhook`;
  local = await startTestHost({ WEFT_MARKETPLACE_URL: central.base });
});
afterAll(async () => {
  await local?.close();
  await central?.close();
  await stripe?.close();
});

describe('a host browsing a central marketplace (WEFT_MARKETPLACE_URL)', () => {
  it('searches the central catalogue and installs a free template from it', async () => {
    const token = await local.login('owner@example.com', 'owner-password');
    const ws = (await local.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    const found = await local.call('GET', '/api/v1/marketplace/templates?text=order%20total', { token });
    expect(found.body.templates.map((x: { id: string }) => x.id)).toContain('weft-order-total-webhook');
    const detail = await local.call('GET', '/api/v1/marketplace/templates/weft-order-total-webhook', { token });
    expect(detail.body).toMatchObject({ canInstall: true, inputs: [{ key: 'threshold' }, { key: 'path' }] });
    const install = await local.call('POST', `/api/v1/workspaces/${ws}/marketplace/install`, {
      token,
      body: { templateId: 'weft-order-total-webhook', inputs: {} },
    });
    expect(install.status).toBe(201);
    const run = await local.call('POST', `/api/v1/workspaces/${ws}/workflows/${install.body.workflowId}/run`, {
      token,
      body: { input: [{ json: { body: { customer: 'bo', lines: [{ price: 10, qty: 1 }] } } }], wait: true },
    });
    expect(run.body.result.output).toEqual([{ json: { customer: 'bo', total: 10, tier: 'small' } }]);
    expect((await local.call('GET', '/api/v1/marketplace/templates/nope', { token })).status).toBe(404);
  });

  it('buys a paid template on the central host, installs it here once paid, and loses it when refunded there', async () => {
    const seller = await central.login('owner@example.com', 'owner-password');
    const centralWs = (await central.call('GET', '/api/v1/workspaces', { token: seller })).body.items[0].id;
    const flow = await central.call('POST', `/api/v1/workspaces/${centralWs}/workflows`, {
      token: seller,
      body: {
        id: 'vip-greeting',
        name: 'VIP greeting',
        nodes: [
          { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
          {
            id: 'say',
            name: 'Say',
            type: 'weft.set',
            parameters: { fields: [{ name: 'message', value: 'Welcome, VIP' }] },
          },
        ],
        connections: [{ source: 'start', target: 'say' }],
      },
    });
    expect(flow.status).toBe(201);
    const published = await central.call('POST', `/api/v1/workspaces/${centralWs}/marketplace/templates`, {
      token: seller,
      body: {
        workflowId: 'vip-greeting',
        name: 'VIP greeting',
        summary: 'Greets VIPs',
        description: 'Paid',
        categories: ['sales'],
        tags: [],
        changelog: 'First',
        priceAmount: 900,
        currency: 'eur',
        payoutAccountId: 'acct_1CentralSeller',
      },
    });
    const id = published.body.template.id as string;

    const rt = local.host.runtime;
    const user = await rt.identity.createUser({
      email: 'ana@example.com',
      passwordHash: await hashPassword('ana-password'),
    });
    const ws = (await rt.identity.createWorkspace('Ana', user.id)).id;
    const token = await local.login('ana@example.com', 'ana-password');
    const detail = () => local.call('GET', `/api/v1/marketplace/templates/${id}`, { token });
    const install = () =>
      local.call('POST', `/api/v1/workspaces/${ws}/marketplace/install`, {
        token,
        body: { templateId: id, inputs: {} },
      });
    expect((await detail()).body).toMatchObject({ template: { priceAmount: 900 }, canInstall: false });
    expect((await install()).status).toBe(402);

    const buy = await local.call('POST', `/api/v1/marketplace/templates/${id}/purchase`, { token });
    expect(buy.status).toBe(201);
    expect(buy.body.purchase).toMatchObject({ templateId: id, amount: 900, currency: 'eur', status: 'pending' });
    expect(buy.body.checkoutUrl).toMatch(new RegExp(`^${stripe.url}/c/pay/cs_test_`));
    // The purchase is recorded on the central host, for this host's user.
    const sold = [...stripe.sessions.values()].at(-1);
    expect(sold?.metadata.buyerId).toBe(`remote:${new URL(rt.config.publicUrl).origin}/${user.id}`);
    expect(sold?.success_url).toBe(
      `${rt.config.publicUrl}/marketplace/${id}?purchase=success&session_id={CHECKOUT_SESSION_ID}`,
    );
    expect((await install()).status).toBe(402);

    const paid = await fetch(buy.body.checkoutUrl, { method: 'POST', body: 'method=card', redirect: 'manual' });
    expect(paid.headers.get('location')).toBe(
      `${rt.config.publicUrl}/marketplace/${id}?purchase=success&session_id=${sold?.id}`,
    );
    expect(stripe.deliveries.at(-1)).toMatchObject({ event: { type: 'checkout.session.completed' }, status: 200 });
    expect((await detail()).body).toMatchObject({ canInstall: true, credentials: [], inputs: [] });
    const installed = await install();
    expect(installed.status).toBe(201);
    const run = await local.call('POST', `/api/v1/workspaces/${ws}/workflows/${installed.body.workflowId}/run`, {
      token,
      body: { wait: true },
    });
    expect(run.body.result.output).toEqual([{ json: { message: 'Welcome, VIP' } }]);
    expect((await local.call('GET', '/api/v1/marketplace/purchases', { token })).body.items[0]).toMatchObject({
      templateId: id,
      status: 'paid',
    });
    expect((await central.call('GET', '/api/v1/marketplace/revenue', { token: seller })).body.items).toEqual([
      { currency: 'eur', sales: 1, gross: 900, fees: 90, refunds: 0, refundedAmount: 0, net: 810 },
    ]);

    // A licence is the buyer host's secret: a forged one, or one used for another template, gets nothing.
    const mine = (await local.call('GET', '/api/v1/marketplace/purchases', { token })).body.items[0];
    const licence = String(mine.paymentRef).replace(/^central:/, '');
    const check = (templateId: string, value: string) =>
      central.call('GET', `/api/v1/marketplace/catalogue/${templateId}/licence`, {
        headers: { 'x-weft-licence': value },
      });
    expect((await check(id, licence)).body).toMatchObject({ status: 'paid', version: { version: 1 } });
    for (const [templateId, value] of [
      [id, `${licence.split('.')[0]}.${'A'.repeat(43)}`],
      [id, 'not-a-licence'],
      ['weft-order-total-webhook', licence],
    ] as const)
      expect([(await check(templateId, value)).status, (await check(templateId, value)).body.code]).toEqual([
        403,
        'invalid-licence',
      ]);
    const elsewhere = await central.call('POST', `/api/v1/marketplace/catalogue/${id}/purchase`, {
      body: {
        buyer: { host: 'https://other.example', userId: 'u1' },
        successUrl: 'https://evil.example/done',
        cancelUrl: 'https://other.example/back',
      },
    });
    expect([elsewhere.status, elsewhere.body.code]).toEqual([400, 'return-url-elsewhere']);

    // The seller refunds on the central host: this host's purchase follows, and installing is refused.
    const refund = await central.call('POST', `/api/v1/marketplace/purchases/${sold?.metadata.purchaseId}/refund`, {
      token: seller,
    });
    expect(refund.body.status).toBe('refunded');
    expect((await install()).status).toBe(402);
    expect((await detail()).body.canInstall).toBe(false);
    expect((await local.call('GET', '/api/v1/marketplace/purchases', { token })).body.items[0].status).toBe('refunded');
  });
});
