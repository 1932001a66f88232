import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';

describe('Listen for test event: /hooks-test/<path> while an editor listens', () => {
  let t: TestHost;
  let token: string;
  let ws: string;
  const listen = (body: Record<string, unknown>) =>
    t.call('POST', `/api/v1/workspaces/${ws}/test-webhooks`, { token, body });
  const state = (id: string, waitMs = 0) =>
    t.call('GET', `/api/v1/workspaces/${ws}/test-webhooks/${id}?waitMs=${waitMs}`, { token });

  beforeAll(async () => {
    t = await startTestHost();
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('catches the next request at the test URL and runs the unsaved document with it', async () => {
    const workflow = orderWebhookWorkflow('shop/orders', 'draft-orders');
    const l = await listen({ workflow, nodeId: 'hook' });
    expect(l.status).toBe(201);
    expect(l.body).toMatchObject({ status: 'listening', method: 'POST', path: 'shop/orders' });
    expect(l.body.testUrl).toMatch(/\/hooks-test\/shop\/orders$/);

    expect((await t.call('POST', '/hooks/shop/orders', { body: {} })).status).toBe(404); // production: not active
    const waiting = state(l.body.id, 10_000);
    const sent = await t.call('POST', '/hooks-test/shop/orders?src=test', {
      body: { customer: 'ada', lines: [{ price: 60, qty: 2 }] },
    });
    expect(sent.status).toBe(200);
    expect(sent.body.message).toMatch(/Test event received/);

    const got = (await waiting).body;
    expect(got.status).toBe('received');
    expect(got.executionId).toBe(sent.body.executionId);
    expect(got.items[0].json.body).toEqual({ customer: 'ada', lines: [{ price: 60, qty: 2 }] });
    expect(got.items[0].json.query).toEqual({ src: 'test' });
    const run = await t.call('GET', `/api/v1/workspaces/${ws}/executions/${got.executionId}`, { token });
    expect(run.body.mode).toBe('test');
    const total = run.body.nodeRuns.find((r: { nodeId: string }) => r.nodeId === 'total');
    expect(total.output.main[0].json).toEqual({ customer: 'ada', total: 120 });

    const late = await t.call('POST', '/hooks-test/shop/orders', { body: {} });
    expect(late.status).toBe(404);
    expect(late.body.code).toBe('test-webhook-not-listening');
  });

  it('expires with a clear state, stops on DELETE, and refuses nodes that are not webhook triggers', async () => {
    const workflow = orderWebhookWorkflow('shop/expire', 'draft-expire');
    const l = await listen({ workflow, nodeId: 'hook', timeoutMs: 1000 });
    expect((await state(l.body.id, 10_000)).body.status).toBe('expired');
    expect((await t.call('POST', '/hooks-test/shop/expire', { body: {} })).status).toBe(404);

    const again = await listen({ workflow, nodeId: 'hook' });
    expect((await t.call('DELETE', `/api/v1/workspaces/${ws}/test-webhooks/${again.body.id}`, { token })).status).toBe(
      204,
    );
    expect((await state(again.body.id)).body.status).toBe('cancelled');

    const wrong = await listen({ workflow, nodeId: 'total' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('not-a-webhook-trigger');
  });
});

const redis = await serviceUrl('redis');

describe.skipIf(redis.skip)('Listen for test event across host processes (Redis)', () => {
  let a: TestHost;
  let b: TestHost;
  let token: string;
  let ws: string;
  const api = (path: string) => `/api/v1/workspaces/${ws}/test-webhooks${path}`;

  beforeAll(async () => {
    const env = { WEFT_REDIS_URL: redis.url(), WEFT_REDIS_PREFIX: `weft-test-hooks-${Date.now().toString(36)}` };
    a = await startTestHost(env);
    // Same database, keys and data directory (B leaves the directory to A to remove).
    b = await startTestHost({ ...env, WEFT_DATA_DIR: a.host.runtime.config.dataDir }, { keepDir: true });
    token = await a.login('owner@example.com', 'owner-password');
    ws = (await a.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a test request reaching another process runs the document and ends the listener of the one that registered it', async () => {
    const workflow = orderWebhookWorkflow('shared/orders', 'draft-shared');
    const l = await a.call('POST', api(''), { token, body: { workflow, nodeId: 'hook' } });
    expect(l.status).toBe(201);
    // Any process answers the editor's poll while it listens.
    expect((await b.call('GET', api(`/${l.body.id}`), { token })).body.status).toBe('listening');

    const waiting = a.call('GET', api(`/${l.body.id}?waitMs=10000`), { token });
    const sent = await b.call('POST', '/hooks-test/shared/orders', {
      body: { customer: 'ada', lines: [{ price: 5, qty: 3 }] },
    });
    expect(sent.status).toBe(200);
    const got = (await waiting).body;
    expect(got).toMatchObject({ status: 'received', executionId: sent.body.executionId });
    expect(got.items[0].json.body.customer).toBe('ada');
    const run = await a.call('GET', `/api/v1/workspaces/${ws}/executions/${got.executionId}`, { token });
    expect(run.body.mode).toBe('test');
    expect(run.body.nodeRuns.find((r: { nodeId: string }) => r.nodeId === 'total').output.main[0].json.total).toBe(15);
    expect((await b.call('GET', api(`/${l.body.id}`), { token })).body.status).toBe('received');
    // One request per listen, whichever process the next one reaches.
    expect((await a.call('POST', '/hooks-test/shared/orders', { body: {} })).status).toBe(404);
    expect((await b.call('POST', '/hooks-test/shared/orders', { body: {} })).status).toBe(404);
  });

  it('stopping from another process stops the test URL everywhere; an unknown listener is a 404', async () => {
    const workflow = orderWebhookWorkflow('shared/stop', 'draft-stop');
    const l = await a.call('POST', api(''), { token, body: { workflow, nodeId: 'hook' } });
    expect((await b.call('DELETE', api(`/${l.body.id}`), { token })).status).toBe(204);
    expect((await a.call('GET', api(`/${l.body.id}?waitMs=5000`), { token })).body.status).toBe('cancelled');
    expect((await a.call('POST', '/hooks-test/shared/stop', { body: {} })).status).toBe(404);
    expect((await b.call('GET', api('/00000000-0000-4000-8000-000000000000'), { token })).status).toBe(404);
  });
});
