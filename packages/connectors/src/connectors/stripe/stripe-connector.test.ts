import { NodeRegistry } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../http/http-client.js';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { testCredential } from '../../kit/test-credential.js';
import { type LocalServer, sendJson, startLocalServer } from '../../testing/local-server.js';
import { runNode } from '../../testing/node-context.js';
import { handleTriggerWebhook } from '../../triggers/trigger-runners.js';
import { signWebhookPayload } from '../../triggers/webhook-verification.js';
import { createStripeConnector } from './stripe-connector.js';

const customers = Array.from({ length: 7 }, (_, i) => ({
  id: `cus_${7 - i}`,
  object: 'customer',
  created: 1_700_000_000 + (7 - i),
}));
const idempotency = new Map<string, unknown>();
let api: LocalServer;
beforeAll(async () => {
  api = await startLocalServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.headers.authorization !== 'Bearer sk_test_good') {
      return sendJson(res, 401, {
        error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_****' },
      });
    }
    if (url.pathname === '/v1/balance') return sendJson(res, 200, { object: 'balance' });
    if (url.pathname === '/v1/customers' && req.method === 'POST') {
      const key = String(req.headers['idempotency-key']);
      if (!idempotency.has(key)) {
        const form = Object.fromEntries(new URLSearchParams(req.body.toString()));
        idempotency.set(key, { id: `cus_new${idempotency.size}`, object: 'customer', ...form });
      }
      return sendJson(res, 200, idempotency.get(key));
    }
    if (url.pathname === '/v1/customers') {
      const limit = Number(url.searchParams.get('limit'));
      const after = url.searchParams.get('starting_after');
      const start = after ? customers.findIndex((c) => c.id === after) + 1 : 0;
      const data = customers.slice(start, start + limit);
      return sendJson(res, 200, { object: 'list', data, has_more: start + limit < customers.length });
    }
    const one = /^\/v1\/customers\/(\w+)$/.exec(url.pathname);
    if (one) {
      const c = customers.find((x) => x.id === one[1]);
      if (!c)
        return sendJson(res, 404, {
          error: {
            type: 'invalid_request_error',
            code: 'resource_missing',
            param: 'id',
            message: `No such customer: '${one[1]}'`,
          },
        });
      return sendJson(res, 200, c);
    }
    sendJson(res, 404, { error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } });
  });
});
afterAll(() => api.close());

const connector = () => createStripeConnector({ baseUrl: api.url });
const runtime = { http: createHttpClient({ allow: ['127.0.0.1/32'] }) };
const credential = { id: 's', type: 'stripe.secretKey', data: { token: 'sk_test_good', webhookSecret: 'whsec_test' } };
const node = (type: string) => new NodeRegistry().register(...connectorNodeTypes(connector(), runtime)).get(type)!;

describe('Stripe', () => {
  it('gets objects and reports resource_missing with its param', async () => {
    expect(
      (await runNode(node('stripe.getObject'), { params: { object: 'customers', id: 'cus_3' }, credential }))[0]?.json
        .id,
    ).toBe('cus_3');
    await expect(
      runNode(node('stripe.getObject'), { params: { object: 'customers', id: 'cus_x' }, credential }),
    ).rejects.toThrow(`Stripe invalid_request_error (resource_missing) on "id": No such customer: 'cus_x'`);
    await expect(
      runNode(node('stripe.getObject'), { params: { object: 'customers', id: '../x' }, credential }),
    ).rejects.toThrow(/not a Stripe id/);
  });

  it('lists across starting_after pages up to the limit', async () => {
    const all = await runNode(node('stripe.listObjects'), { params: { object: 'customers', limit: 100 }, credential });
    expect(all.map((i) => i.json.id)).toEqual(['cus_7', 'cus_6', 'cus_5', 'cus_4', 'cus_3', 'cus_2', 'cus_1']);
    const some = await runNode(node('stripe.listObjects'), { params: { object: 'customers', limit: 3 }, credential });
    expect(some).toHaveLength(3);
  });

  it('creates customers with form-encoded metadata and an idempotency key per execution item', async () => {
    const params = { email: 'a@x.io', name: 'Ada', metadata: [{ key: 'plan', value: 'pro' }] };
    const [first] = await runNode(node('stripe.createCustomer'), { params, credential });
    const [again] = await runNode(node('stripe.createCustomer'), { params, credential });
    expect(first?.json).toMatchObject({ email: 'a@x.io', name: 'Ada', 'metadata[plan]': 'pro' });
    expect(again?.json.id).toBe(first?.json.id);
  });

  it('tests the key', async () => {
    expect(await testCredential(connector(), credential, runtime)).toEqual({ ok: true });
    expect(await testCredential(connector(), { ...credential, data: { token: 'sk_bad' } }, runtime)).toMatchObject({
      ok: false,
    });
  });

  it('verifies Stripe-Signature with tolerance and filters event types', async () => {
    const c = connector();
    const trigger = c.triggers[0]!;
    if (trigger.kind !== 'webhook') throw new Error('expected webhook');
    const now = Date.now();
    const send = (evt: object, t = Math.floor(now / 1000), secret = 'whsec_test') => {
      const raw = new TextEncoder().encode(JSON.stringify(evt));
      const sig = signWebhookPayload(secret, raw, { timestamp: String(t), signedPayload: '{timestamp}.{body}' });
      return handleTriggerWebhook(
        c,
        trigger,
        { workspaceId: 'w', workflowId: 'f', nodeId: 'n', props: { types: 'payment_intent.succeeded' }, credential },
        {
          method: 'POST',
          path: 's',
          headers: { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${sig},v0=ignored` },
          query: {},
          rawBody: raw,
        },
        runtime,
        now,
      );
    };
    const evt = {
      id: 'evt_1',
      type: 'payment_intent.succeeded',
      created: 1,
      data: { object: { id: 'pi_1', amount: 500 } },
    };
    expect(await send(evt)).toMatchObject({
      accepted: true,
      items: [{ json: { id: 'evt_1', object: { id: 'pi_1', amount: 500 } } }],
    });
    expect(await send({ ...evt, type: 'customer.created' })).toMatchObject({ accepted: true, items: [] });
    expect(await send(evt, Math.floor(now / 1000) - 600)).toMatchObject({ accepted: false, response: { status: 403 } });
    expect(await send(evt, undefined, 'whsec_other')).toMatchObject({ accepted: false, response: { status: 403 } });
  });
});
