import { randomBytes } from 'node:crypto';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostBackend, sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');
const redis = await serviceUrl('redis');

const backends: HostBackend[] = [
  ...sqliteAndPostgres(pg, 'Postgres (queue mode)'),
  [
    redis.title('SQLite with the Redis queue'),
    redis.skip,
    async () => ({
      env: { WEFT_REDIS_URL: redis.url(), WEFT_REDIS_PREFIX: `weft-events-test-${Date.now().toString(36)}` },
    }),
  ],
];

/** A workflow started by `event`, optionally filtered, that copies the order id. */
function onEvent(id: string, event: string, filter?: Record<string, unknown>) {
  return {
    id,
    name: id,
    nodes: [
      { id: 'on', name: 'On event', type: 'weft.event', parameters: { event, ...(filter ? { filter } : {}) } },
      { id: 'mark', name: 'Mark', type: 'weft.set', parameters: { fields: [{ name: 'handled', value: 'yes' }] } },
    ],
    connections: [{ source: 'on', target: 'mark' }],
  };
}

describe.each(backends)('event triggers over HTTP on %s', (_name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let env: Record<string, string>;
  let token: string;
  let ws: string;
  let other: string;
  const api = (path: string) => `/api/v1/workspaces/${path}`;

  const save = async (workspace: string, doc: ReturnType<typeof onEvent>, active: boolean) => {
    const created = await t.call('POST', api(`${workspace}/workflows`), { token, body: doc });
    expect(created.status).toBe(201);
    if (active)
      expect((await t.call('POST', api(`${workspace}/workflows/${doc.id}/activate`), { token })).status).toBe(200);
  };
  const publish = (workspace: string, name: string, body: unknown = {}, as = token) =>
    t.call('POST', api(`${workspace}/events/${name}`), { token: as, body });
  const fired = (r: { body: { executions: Array<{ workflowId: string }> } }) =>
    r.body.executions.map((e) => e.workflowId).sort();
  /** Polls an execution until it ended (the run is asynchronous; no time is asserted). */
  const ended = async (workspace: string, id: string) => {
    for (let i = 0; i < 400; i++) {
      const r = await t.call('GET', api(`${workspace}/executions/${id}`), { token });
      if (r.status === 200 && ['succeeded', 'failed', 'cancelled'].includes(r.body.status)) return r.body;
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`execution ${id} did not end`);
  };

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    env = { ...o.env, WEFT_JWT_SECRET: randomBytes(32).toString('base64'), WEFT_RATE_LIMIT_WORKSPACE: '1000000' };
    t = await startTestHost(env);
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    other = (await t.call('POST', '/api/v1/workspaces', { token, body: { name: 'Other' } })).body.id;
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)('starts only the active workflows whose event trigger listens and accepts the payload', async () => {
    await save(ws, onEvent('on-order', 'order.created'), true);
    await save(ws, onEvent('on-paid-order', 'order.created', { status: 'paid', 'customer.tier': 'gold' }), true);
    await save(ws, onEvent('inactive', 'order.created'), false);
    await save(ws, onEvent('on-refund', 'order.refunded'), true);

    const open = await publish(ws, 'order.created', { orderId: 7, status: 'open' });
    expect(open.status).toBe(202);
    expect(fired(open)).toEqual(['on-order']);
    expect(open.body).toMatchObject({ event: 'order.created', id: expect.any(String) });

    const paid = await publish(ws, 'order.created', { orderId: 8, status: 'paid', customer: { tier: 'gold' } });
    expect(fired(paid)).toEqual(['on-order', 'on-paid-order']);

    const run = paid.body.executions.find((e: { workflowId: string }) => e.workflowId === 'on-paid-order');
    const exec = await ended(ws, run.executionId);
    expect(exec).toMatchObject({ status: 'succeeded', mode: 'trigger', workflowId: 'on-paid-order' });
    expect(exec.input.main[0].json).toEqual({
      event: 'order.created',
      payload: { orderId: 8, status: 'paid', customer: { tier: 'gold' } },
      publishedAt: paid.body.publishedAt,
      id: paid.body.id,
    });
    expect(exec.output.main[0].json).toMatchObject({ handled: 'yes' });

    const inactive = await t.call('GET', api(`${ws}/executions?workflowId=inactive`), { token });
    expect(inactive.body.items).toEqual([]);
  });

  it.skipIf(skip)('deactivated and deleted workflows stop firing; reactivated ones fire again', async () => {
    await t.call('POST', api(`${ws}/workflows/on-order/deactivate`), { token });
    expect(fired(await publish(ws, 'order.created', { status: 'paid', customer: { tier: 'gold' } }))).toEqual([
      'on-paid-order',
    ]);
    expect((await t.call('DELETE', api(`${ws}/workflows/on-paid-order`), { token })).status).toBe(204);
    expect(fired(await publish(ws, 'order.created', { status: 'paid', customer: { tier: 'gold' } }))).toEqual([]);
    await t.call('POST', api(`${ws}/workflows/on-order/activate`), { token });
    expect(fired(await publish(ws, 'order.created'))).toEqual(['on-order']);
  });

  it.skipIf(skip)("keeps workspaces apart: another workspace's publish starts only its own workflows", async () => {
    await save(other, onEvent('other-order', 'order.created'), true);
    expect(fired(await publish(other, 'order.created'))).toEqual(['other-order']);
    expect(fired(await publish(ws, 'order.created'))).toEqual(['on-order']);
  });

  it.skipIf(skip)('answers 400 naming the field for bad or reserved event names', async () => {
    const bad = await publish(ws, 'bad%20name!');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(bad.body.errors[0]).toMatchObject({ in: 'params', path: '/name' });
    const reserved = await publish(ws, 'weft.workflow.failed');
    expect(reserved.status).toBe(400);
    expect(reserved.body).toMatchObject({ code: 'reserved-event-name', errors: [{ in: 'params', path: 'name' }] });
    const array = await t.call('POST', api(`${ws}/events/order.created`), { token, body: [1, 2] });
    expect(array.status).toBe(400);
    expect(array.body.errors[0].in).toBe('body');
  });

  it.skipIf(skip)('refuses an active workflow whose event trigger has a filter that is not an object', async () => {
    const doc = onEvent('bad-filter', 'order.created', ['status'] as never);
    await save(ws, doc, false);
    const r = await t.call('POST', api(`${ws}/workflows/bad-filter/activate`), { token });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('invalid-event-trigger');
    expect(r.body.detail).toMatch(/Filter must be a JSON object/);
    const stored = await t.call('GET', api(`${ws}/workflows/bad-filter`), { token });
    expect(stored.body.active).toBe(false);
  });

  it.skipIf(skip)('documents publishing and the delivery log in the OpenAPI document', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body;
    const publishOp = doc.paths['/api/v1/workspaces/{workspaceId}/events/{name}'].post;
    expect(publishOp.responses['202']).toBeDefined();
    expect(publishOp.parameters.find((p: { name: string }) => p.name === 'name').schema.pattern).toBeDefined();
    expect(publishOp['x-weft-permission']).toBe('execute');
    expect(doc.paths['/api/v1/workspaces/{workspaceId}/workflows/{workflowId}/deliveries'].get).toBeDefined();
  });

  it.skipIf(skip)('lets operators publish and refuses viewers (403)', async () => {
    const tokens: Record<string, string> = {};
    for (const role of ['viewer', 'operator']) {
      const email = `${role}-${Math.random().toString(36).slice(2, 8)}@example.com`;
      const invite = await t.call('POST', api(`${ws}/invites`), { token, body: { role, email } });
      const s = await t.call('POST', '/api/v1/auth/signup', {
        body: { token: invite.body.token, email, password: 'password-123' },
      });
      tokens[role] = s.body.accessToken;
    }
    const viewer = await publish(ws, 'order.created', {}, tokens.viewer);
    expect(viewer.status).toBe(403);
    expect(viewer.body.code).toBe('forbidden');
    expect(fired(await publish(ws, 'order.created', {}, tokens.operator))).toEqual(['on-order']);
    const outsider = await publish(other, 'order.created', {}, tokens.operator);
    expect(outsider.status).toBe(404);
  });

  it.skipIf(skip)('publishes in process for embedders, and never to the workflow an event is about', async () => {
    const rt = t.host.runtime;
    expect((await rt.events.publish(ws, 'order.created', { orderId: 1 })).executions).toMatchObject([
      { workflowId: 'on-order', nodeId: 'on' },
    ]);
    const own = await rt.events.publish(ws, 'order.created', {}, { internal: true, sourceWorkflowId: 'on-order' });
    expect(own.executions).toEqual([]);
    await expect(rt.events.publish(ws, 'weft.workflow.failed', {})).rejects.toMatchObject({
      kind: 'invalid-input',
      code: 'reserved-event-name',
    });
  });

  it.skipIf(skip)("starts a workflow on another workflow's failure (weft.workflow.failed)", async () => {
    await t.call('POST', api(`${ws}/workflows`), {
      token,
      body: {
        id: 'flaky',
        name: 'flaky',
        nodes: [
          { id: 'on', name: 'On run', type: 'weft.event', parameters: { event: 'flaky.run' } },
          { id: 'stop', name: 'Stop', type: 'weft.stopAndError', parameters: { message: 'flaky broke' } },
        ],
        connections: [{ source: 'on', target: 'stop' }],
      },
    });
    await t.call('POST', api(`${ws}/workflows/flaky/activate`), { token });
    await save(ws, onEvent('on-failure', 'weft.workflow.failed', { workflowId: 'flaky' }), true);
    const started = await publish(ws, 'flaky.run');
    const flakyId = started.body.executions[0].executionId;
    expect((await ended(ws, flakyId)).status).toBe('failed');
    let watcher: { items: Array<{ id: string }> } = { items: [] };
    for (let i = 0; i < 400 && watcher.items.length === 0; i++) {
      watcher = (await t.call('GET', api(`${ws}/executions?workflowId=on-failure`), { token })).body;
      if (watcher.items.length === 0) await new Promise((res) => setTimeout(res, 25));
    }
    const exec = await ended(ws, watcher.items[0]?.id as string);
    expect(exec.input.main[0].json).toMatchObject({
      event: 'weft.workflow.failed',
      payload: {
        workflowId: 'flaky',
        executionId: flakyId,
        status: 'failed',
        chain: 0,
        error: { message: expect.stringContaining('flaky broke') },
      },
    });
  });

  it.skipIf(skip)('a second host process on the same database sees activations made by the first', async () => {
    const second = await startTestHost({ ...env, WEFT_DATABASE_URL: t.host.runtime.config.databaseUrl });
    try {
      await save(ws, onEvent('late-subscriber', 'order.shipped'), true);
      const r = await second.call('POST', api(`${ws}/events/order.shipped`), { token, body: { orderId: 3 } });
      expect(r.status).toBe(202);
      expect(fired(r)).toEqual(['late-subscriber']);
      await t.call('POST', api(`${ws}/workflows/late-subscriber/deactivate`), { token });
      expect(fired(await second.call('POST', api(`${ws}/events/order.shipped`), { token }))).toEqual([]);
    } finally {
      await second.close();
    }
  });
});
