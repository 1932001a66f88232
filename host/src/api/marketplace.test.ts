import { type StripeTestServer, serviceUrl, startStripeTestServer } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');
const BEARER = 'Bearer 7c4a8d09ca3762af61e59520943dc26494f8941b';
const STRIPE_KEY = `sk_live_${'51HxYzQ2eZvKYlo2C8m3Xj9R'}`;

/** A workflow as a creator has it: a credential on a node, secrets pasted into parameters. */
const creatorWorkflow = (credentialId: string) => ({
  id: 'orders-to-erp',
  name: 'Orders to ERP',
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    {
      id: 'shape',
      name: 'Shape',
      type: 'weft.set',
      parameters: {
        fields: [
          { name: 'erp', value: 'acme' },
          { name: 'apiKey', value: STRIPE_KEY },
        ],
      },
    },
    {
      id: 'call',
      name: 'Call ERP',
      type: 'http.request',
      credentials: { auth: credentialId },
      parameters: {
        method: 'POST',
        url: 'https://erp.example.com/orders',
        headers: [{ name: 'Authorization', value: BEARER }],
      },
    },
  ],
  connections: [
    { source: 'start', target: 'shape' },
    { source: 'shape', target: 'call' },
  ],
});

const greetWorkflow = (greeting: string) => ({
  id: 'greet',
  name: 'Greet',
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'say', name: 'Say', type: 'weft.set', parameters: { fields: [{ name: 'message', value: greeting }] } },
  ],
  connections: [{ source: 'start', target: 'say' }],
});

describe.each(sqliteAndPostgres(pg))('marketplace API on %s', (_name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let stripe: StripeTestServer;
  let owner: string;
  let buyer: string;
  let ws: string;
  let buyerWs: string;
  let secretCredential: string;
  const api = (path: string) => `/api/v1${path}`;

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    stripe = await startStripeTestServer();
    t = await startTestHost({
      ...o.env,
      WEFT_STRIPE_SECRET_KEY: stripe.secretKey,
      WEFT_STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      WEFT_STRIPE_API_URL: stripe.url,
      WEFT_MARKETPLACE_FEE_PERCENT: '25',
    });
    stripe.webhookUrl = `${t.base}/api/v1/marketplace/stripe/webhook`;
    owner = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', api('/workspaces'), { token: owner })).body.items[0].id;
    const rt = t.host.runtime;
    const user = await rt.identity.createUser({
      email: 'buyer@example.com',
      passwordHash: await hashPassword('buyer-password'),
    });
    buyerWs = (await rt.identity.createWorkspace('Buyer', user.id)).id;
    buyer = await t.login('buyer@example.com', 'buyer-password');
    secretCredential = (
      await t.call('POST', api(`/workspaces/${ws}/credentials`), {
        token: owner,
        body: { type: 'http.bearer', name: 'ERP', data: { token: 'credential-secret-value-123' } },
      })
    ).body.id;
    for (const wf of [creatorWorkflow(secretCredential), greetWorkflow('Hello {{ $json.name }}')])
      expect((await t.call('POST', api(`/workspaces/${ws}/workflows`), { token: owner, body: wf })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await stripe?.close();
    await drop?.();
  });

  const publish = (body: Record<string, unknown>) =>
    t.call('POST', api(`/workspaces/${ws}/marketplace/templates`), { token: owner, body });
  let erpTemplate: string;
  let greetTemplate: string;

  it.skipIf(skip)('publishes without any secret, credential id or workflow id surviving', async () => {
    const res = await publish({
      workflowId: 'orders-to-erp',
      name: 'Orders to your ERP',
      summary: 'Sends each order to an ERP over HTTP',
      description: '# Orders\n<script>alert(1)</script> Posts **orders**.',
      categories: ['sales', 'operations'],
      tags: ['erp', 'orders'],
      changelog: 'First version',
    });
    expect(res.status).toBe(201);
    erpTemplate = res.body.template.id;
    expect(res.body.removedSecrets).toEqual([
      '/nodes/1/parameters/fields/1/value',
      '/nodes/2/parameters/headers/0/value',
    ]);
    expect(res.body.template).toMatchObject({
      connectors: ['http'],
      credentialTypes: ['http.bearer'],
      nodeCount: 3,
      nodeTypes: ['http.request', 'weft.manualTrigger', 'weft.set'],
    });
    const detail = await t.call('GET', api(`/marketplace/templates/${erpTemplate}`), { token: buyer });
    const catalogue = await t.call('GET', api(`/marketplace/catalogue/${erpTemplate}`));
    for (const text of [res.text, detail.text, catalogue.text])
      for (const secret of [
        BEARER.slice(7),
        STRIPE_KEY,
        secretCredential,
        'credential-secret-value-123',
        'orders-to-erp',
      ])
        expect(text).not.toContain(secret);
    expect(detail.body.descriptionHtml).toBe(
      '<h1>Orders</h1>\n<p>&lt;script&gt;alert(1)&lt;/script&gt; Posts <strong>orders</strong>.</p>\n',
    );
    expect(detail.body.credentials).toEqual([{ nodeId: 'call', slot: 'auth', credentialType: 'http.bearer' }]);
    expect(detail.body.inputs.map((i: { key: string }) => i.key)).toEqual([
      'shape_fields_1_value',
      'call_headers_0_value',
    ]);
    expect(detail.body.preview.nodes[2]).toEqual({ id: 'call', name: 'Call ERP', type: 'http.request' });
    expect(catalogue.body.version.workflow.nodes[2].parameters.headers).toEqual([{ name: 'Authorization', value: '' }]);
  });

  it.skipIf(skip)('searches with facets, and serves the public catalogue with ETag revalidation', async () => {
    greetTemplate = (
      await publish({
        workflowId: 'greet',
        name: 'Greeting builder',
        summary: 'Greets people by name',
        description: 'Says hello',
        categories: ['operations'],
        tags: ['hello'],
        inputs: [{ key: 'greeting', label: 'Greeting', nodeId: 'say', path: '/fields/0/value', required: true }],
        changelog: 'First',
      })
    ).body.template.id;
    const all = await t.call('GET', api('/marketplace/templates'), { token: buyer });
    expect(all.body.total).toBe(2);
    expect(all.body.facets.categories).toEqual([
      { value: 'operations', count: 2 },
      { value: 'sales', count: 1 },
    ]);
    expect(all.body.facets.connectors).toEqual([{ value: 'http', count: 1 }]);
    const found = await t.call('GET', api('/marketplace/templates?text=greet%20nam&category=operations'), {
      token: buyer,
    });
    expect(found.body.templates.map((x: { id: string }) => x.id)).toEqual([greetTemplate]);
    expect(
      (await t.call('GET', api('/marketplace/templates?connector=http&pricing=paid'), { token: buyer })).body.total,
    ).toBe(0);

    const first = await t.call('GET', api('/marketplace/catalogue?text=orders'));
    expect(first.status).toBe(200);
    expect(first.body.templates[0]).not.toHaveProperty('payoutAccountId');
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await t.call('GET', api('/marketplace/catalogue?text=orders'), {
      headers: { 'if-none-match': etag },
    });
    expect([again.status, again.text]).toEqual([304, '']);
    const other = await t.call('GET', api('/marketplace/catalogue?text=greeting'), {
      headers: { 'if-none-match': etag },
    });
    expect(other.status).toBe(200);
  });

  it.skipIf(skip)('installs with an existing and a new credential and the inputs, then runs it', async () => {
    const mine = (
      await t.call('POST', api(`/workspaces/${buyerWs}/credentials`), {
        token: buyer,
        body: { type: 'http.basic', name: 'wrong type', data: { username: 'a', password: 'b' } },
      })
    ).body.id;
    const wrong = await t.call('POST', api(`/workspaces/${buyerWs}/marketplace/install`), {
      token: buyer,
      body: { templateId: erpTemplate, credentials: { 'http.bearer': { credentialId: mine } }, inputs: {} },
    });
    expect([wrong.status, wrong.body.code, wrong.body.errors[0].path]).toEqual([
      400,
      'credential-mismatch',
      '/credentials/http.bearer',
    ]);
    const missing = await t.call('POST', api(`/workspaces/${buyerWs}/marketplace/install`), {
      token: buyer,
      body: {
        templateId: erpTemplate,
        credentials: { 'http.bearer': { create: { name: 'ERP', data: { token: 't' } } } },
      },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual([
      '/inputs/shape_fields_1_value',
      '/inputs/call_headers_0_value',
    ]);
    expect((await t.call('GET', api(`/workspaces/${buyerWs}/credentials`), { token: buyer })).body.items).toHaveLength(
      1,
    );

    const ok = await t.call('POST', api(`/workspaces/${buyerWs}/marketplace/install`), {
      token: buyer,
      body: {
        templateId: erpTemplate,
        credentials: { 'http.bearer': { create: { name: 'My ERP', data: { token: 'buyer-token' } } } },
        inputs: { shape_fields_1_value: 'buyer-key', call_headers_0_value: 'Bearer buyer' },
      },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.createdCredentials).toHaveLength(1);
    const stored = await t.call('GET', api(`/workspaces/${buyerWs}/workflows/${ok.body.workflowId}`), { token: buyer });
    expect(stored.body.workflow.nodes[2].credentials).toEqual({ auth: ok.body.createdCredentials[0] });
    expect(stored.body.workflow.nodes[2].parameters.headers).toEqual([
      { name: 'Authorization', value: 'Bearer buyer' },
    ]);

    const greet = await t.call('POST', api(`/workspaces/${buyerWs}/marketplace/install`), {
      token: buyer,
      body: { templateId: greetTemplate, inputs: { greeting: 'Hi {{ $json.name }}!' } },
    });
    expect(greet.status).toBe(201);
    const run = await t.call('POST', api(`/workspaces/${buyerWs}/workflows/${greet.body.workflowId}/run`), {
      token: buyer,
      body: { input: [{ json: { name: 'Ada' } }], wait: true },
    });
    expect(run.body.result).toMatchObject({
      status: 'succeeded',
      output: [{ json: { name: 'Ada', message: 'Hi Ada!' } }],
    });
    expect(
      (await t.call('GET', api(`/marketplace/templates/${greetTemplate}`), { token: buyer })).body.template.installs,
    ).toBe(1);
  });

  it.skipIf(skip)('upgrades an install to a new version with a diff, keeping its inputs', async () => {
    const wf = greetWorkflow('{{ $json.name }}');
    wf.nodes.push({
      id: 'shout',
      name: 'Shout',
      type: 'weft.set',
      parameters: { fields: [{ name: 'loud', value: 'yes' }] },
    });
    wf.connections.push({ source: 'say', target: 'shout' });
    await t.call('PUT', api(`/workspaces/${ws}/workflows/greet`), { token: owner, body: wf });
    const v2 = await publish({
      workflowId: 'greet',
      templateId: greetTemplate,
      name: 'Greeting builder',
      summary: 'Greets people by name, loudly',
      description: 'Says hello',
      categories: ['operations'],
      tags: ['hello'],
      inputs: [{ key: 'greeting', label: 'Greeting', nodeId: 'say', path: '/fields/0/value', required: true }],
      changelog: 'Adds a shout',
    });
    expect(v2.body.template.latestVersion).toBe(2);
    const installs = await t.call('GET', api(`/workspaces/${buyerWs}/marketplace/installs`), { token: buyer });
    const install = installs.body.items.find((i: { templateId: string }) => i.templateId === greetTemplate);
    expect(install).toMatchObject({ version: 1, latestVersion: 2, upgradeAvailable: true });
    const path = api(`/workspaces/${buyerWs}/marketplace/installs/${install.id}/upgrade`);
    const dry = await t.call('POST', path, { token: buyer, body: { dryRun: true } });
    expect(dry.body).toMatchObject({
      from: 1,
      to: 2,
      upgraded: false,
      changelog: [{ version: 2, changelog: 'Adds a shout' }],
      diff: {
        nodes: { added: ['shout'], removed: [], changed: {} },
        connections: { added: ['say:main -> shout:main'] },
      },
    });
    const up = await t.call('POST', path, { token: buyer, body: {} });
    expect(up.body).toMatchObject({ upgraded: true, workflowVersion: 2 });
    const stored = await t.call('GET', api(`/workspaces/${buyerWs}/workflows/${install.workflowId}`), { token: buyer });
    expect(stored.body.workflow.nodes[1].parameters.fields[0].value).toBe('Hi {{ $json.name }}!');
    expect((await t.call('POST', path, { token: buyer, body: {} })).body.code).toBe('nothing-to-upgrade');
  });

  it.skipIf(skip)('takes reviews only after an install, one per user, and lets admins moderate reports', async () => {
    const review = (token: string, body: Record<string, unknown>) =>
      t.call('POST', api('/marketplace/review'), { token, body });
    expect((await review(owner, { templateId: greetTemplate, rating: 5, text: 'mine' })).body.code).toBe(
      'install-first',
    );
    expect((await review(buyer, { templateId: greetTemplate, rating: 0, text: 'x' })).status).toBe(400);
    const r = await review(buyer, { templateId: greetTemplate, rating: 2, text: 'Too **loud**' });
    expect(r.status).toBe(201);
    expect((await review(buyer, { templateId: greetTemplate, rating: 5, text: 'again' })).status).toBe(409);
    expect(
      (await t.call('GET', api(`/marketplace/templates/${greetTemplate}`), { token: buyer })).body.template,
    ).toMatchObject({
      ratingCount: 1,
      ratingSum: 2,
    });
    const report = api(`/marketplace/reviews/${r.body.id}/report`);
    expect((await t.call('POST', report, { token: owner, body: { reason: 'unfair' } })).status).toBe(204);
    expect((await t.call('POST', report, { token: owner, body: { reason: 'unfair' } })).status).toBe(409);
    expect((await t.call('GET', api('/marketplace/moderation'), { token: buyer })).status).toBe(403);
    const queue = await t.call('GET', api('/marketplace/moderation'), { token: owner });
    expect(queue.body.items.map((x: { id: string }) => x.id)).toEqual([r.body.id]);
    const moderate = api(`/marketplace/reviews/${r.body.id}/moderate`);
    expect((await t.call('POST', moderate, { token: buyer, body: { action: 'hide' } })).status).toBe(403);
    expect((await t.call('POST', moderate, { token: owner, body: { action: 'hide' } })).body.status).toBe('hidden');
    expect((await t.call('GET', api(`/marketplace/templates/${greetTemplate}`), { token: buyer })).body).toMatchObject({
      template: { ratingCount: 0 },
      reviews: [],
    });
  });

  it.skipIf(skip)(
    'sells a paid template through Stripe Checkout: fee split, signed webhooks, refund revokes access',
    async () => {
      const paid = await publish({
        workflowId: 'greet',
        name: 'Premium greeting',
        summary: 'Paid',
        description: 'Premium',
        categories: ['sales'],
        tags: [],
        changelog: 'First',
        priceAmount: 2000,
        currency: 'usd',
        payoutAccountId: 'acct_1CreatorOwner',
      });
      const id = paid.body.template.id;
      const install = () =>
        t.call('POST', api(`/workspaces/${buyerWs}/marketplace/install`), {
          token: buyer,
          body: { templateId: id, inputs: {} },
        });
      expect((await install()).status).toBe(402);
      const buy = await t.call('POST', api(`/marketplace/templates/${id}/purchase`), { token: buyer });
      expect(buy.status).toBe(201);
      expect(buy.body.purchase).toMatchObject({ amount: 2000, feeAmount: 500, status: 'pending' });
      const ref = buy.body.purchase.paymentRef;
      expect(buy.body.checkoutUrl).toBe(`${stripe.url}/c/pay/${ref}`);
      const session = stripe.sessions.get(ref);
      expect(session?.success_url).toBe(
        `${t.host.runtime.config.publicUrl}/marketplace/${id}?purchase=success&session_id={CHECKOUT_SESSION_ID}`,
      );

      const forged = JSON.stringify({
        id: 'evt_x',
        object: 'event',
        type: 'checkout.session.completed',
        data: { object: { id: ref, object: 'checkout.session', payment_status: 'paid' } },
      });
      const bad = await t.call('POST', api('/marketplace/stripe/webhook'), {
        raw: forged,
        headers: {
          'content-type': 'application/json',
          'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`,
        },
      });
      expect([bad.status, bad.body.code]).toEqual([400, 'invalid-signature']);
      expect((await install()).status).toBe(402);

      // The buyer pays on the hosted page; Stripe's signed checkout.session.completed reaches the host.
      const hosted = await fetch(buy.body.checkoutUrl, { method: 'POST', body: 'method=card', redirect: 'manual' });
      expect(hosted.headers.get('location')).toContain(`/marketplace/${id}?purchase=success&session_id=${ref}`);
      expect(stripe.deliveries.at(-1)).toMatchObject({ event: { type: 'checkout.session.completed' }, status: 200 });
      expect((await t.call('GET', api('/marketplace/purchases'), { token: buyer })).body.items[0]).toMatchObject({
        status: 'paid',
      });
      expect((await install()).status).toBe(201);
      expect((await t.call('GET', api('/marketplace/revenue'), { token: owner })).body.items).toEqual([
        { currency: 'usd', sales: 1, gross: 2000, fees: 500, refunds: 0, refundedAmount: 0, net: 1500 },
      ]);
      const intent = stripe.intents.get(session?.payment_intent as string);
      expect(intent).toMatchObject({
        application_fee_amount: 500,
        transfer_data: { destination: 'acct_1CreatorOwner' },
      });
      const charge = [...stripe.charges.values()].find((c) => c.payment_intent === intent?.id);
      expect(charge?.transfer).toEqual({ destination: 'acct_1CreatorOwner', amount: 1500, reversed: false });

      const refund = api(`/marketplace/purchases/${buy.body.purchase.id}/refund`);
      expect((await t.call('POST', refund, { token: buyer })).status).toBe(403);
      expect((await t.call('POST', refund, { token: owner })).body.status).toBe('refunded');
      await expect
        .poll(() => stripe.deliveries.at(-1))
        .toMatchObject({ event: { type: 'charge.refunded' }, status: 200 });
      expect(charge).toMatchObject({ refunded: true, application_fee_refunded: true, transfer: { reversed: true } });
      expect((await install()).status).toBe(402);
      expect((await t.call('GET', api('/marketplace/revenue'), { token: owner })).body.items[0]).toMatchObject({
        sales: 0,
        refunds: 1,
        net: 0,
      });
    },
  );
});

describe('a fresh host with examples', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost({ WEFT_SEED_EXAMPLES: 'true' });
  });
  afterAll(() => t?.close());

  it('lists the bundled templates, and one installs, activates and answers its webhook', async () => {
    const token = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    const all = await t.call('GET', '/api/v1/marketplace/catalogue?limit=100');
    expect(all.body.total).toBeGreaterThanOrEqual(30);
    const install = await t.call('POST', `/api/v1/workspaces/${ws}/marketplace/install`, {
      token,
      body: { templateId: 'weft-order-total-webhook', inputs: { threshold: '50' }, activate: true },
    });
    expect([install.status, install.body.active]).toEqual([201, true]);
    const answer = await t.call('POST', '/hooks/orders/total', {
      body: { customer: 'ada', lines: [{ price: 30, qty: 2 }] },
    });
    expect(answer.body).toEqual({ customer: 'ada', total: 60, tier: 'large' });
  });
});
