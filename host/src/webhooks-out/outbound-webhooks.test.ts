import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebhookSubscriptionStore } from '@weft/sql';
import { serviceUrl } from '@weft/testing';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { createTempDatabase } from '../testing/postgres-database.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { type ReceivedWebhook, WebhookReceiver } from '../testing/webhook-receiver.js';

const pg = await serviceUrl('pg');

const FAST = {
  WEFT_HTTP_ALLOW: '127.0.0.1',
  WEFT_WEBHOOK_OUT_POLL_MS: '50',
  WEFT_WEBHOOK_OUT_RETRY_BASE_MS: '40',
  WEFT_WEBHOOK_OUT_RETRY_CAP_MS: '200',
  WEFT_WEBHOOK_OUT_MAX_ATTEMPTS: '3',
  WEFT_WEBHOOK_OUT_DISABLE_AFTER_FAILURES: '4',
  WEFT_WEBHOOK_OUT_DISABLE_AFTER_HOURS: '0',
  WEFT_RATE_LIMIT_WORKSPACE: '1000000',
};

/** The Standard Webhooks signature, computed independently of the library the host signs with. */
function expectedSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

function verified(secret: string, r: ReceivedWebhook): { type: string; data: Record<string, unknown> } {
  const id = r.headers['webhook-id'] as string;
  const ts = r.headers['webhook-timestamp'] as string;
  expect(r.headers['webhook-signature']).toBe(expectedSignature(secret, id, ts, r.body));
  return new Webhook(secret).verify(r.body, {
    'webhook-id': id,
    'webhook-timestamp': ts,
    'webhook-signature': r.headers['webhook-signature'] as string,
  }) as { type: string; data: Record<string, unknown> };
}

const manual = (id: string, fail = false) => ({
  id,
  name: id,
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    fail
      ? { id: 'end', name: 'Fail', type: 'weft.stopAndError', parameters: { message: 'boom' } }
      : { id: 'end', name: 'Mark', type: 'weft.set', parameters: { fields: [{ name: 'ok', value: 'yes' }] } },
  ],
  connections: [{ source: 'start', target: 'end' }],
});

it('signs like the Standard Webhooks specification’s test vector', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const sig = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
  const body = '{"test": 2432232314}';
  expect(new Webhook(secret).sign('msg_p5jXN8AQM9LWM0D4loKWxJek', new Date(1614265330_000), body)).toBe(sig);
  expect(expectedSignature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', '1614265330', body)).toBe(sig);
});

describe.each(sqliteAndPostgres(pg))('outbound webhook subscriptions on %s', (_title, skip, open) => {
  let t: TestHost;
  let rx: WebhookReceiver;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  const api = (p = '') => `/api/v1/workspaces/${ws}/webhook-subscriptions${p}`;
  const deliveries = async (sub: string) => (await t.call('GET', api(`/${sub}/deliveries`), { token })).body.items;
  const settled = async (sub: string, n: number) => {
    for (let i = 0; i < 500; i++) {
      const items = await deliveries(sub);
      if (items.length >= n && items.every((d: { status: string }) => d.status !== 'pending')) return items;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('deliveries did not settle');
  };
  const subscribe = async (events: string[], path = '/hook') => {
    const r = await t.call('POST', api(), {
      token,
      body: { name: 'Receiver', url: rx.url.replace('/hook', path), events },
    });
    expect(r.status).toBe(201);
    return r.body as { subscription: { id: string }; secret: string };
  };

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    rx = await WebhookReceiver.start();
    t = await startTestHost({ ...o.env, ...FAST, WEFT_JWT_SECRET: randomBytes(32).toString('base64') });
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
  });
  afterAll(async () => {
    await t?.close();
    await rx?.close();
    await drop?.();
  });

  it.skipIf(skip)(
    'delivers signed execution and activation events; the secret is shown once and sealed at rest',
    async () => {
      const { subscription, secret } = await subscribe(
        ['execution.succeeded', 'execution.failed', 'workflow.activated'],
        '/events',
      );
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
      const got = await t.call('GET', api(`/${subscription.id}`), { token });
      expect(got.text).not.toContain(secret);
      const row = await t.host.runtime.h.db
        .selectFrom('webhook_subscriptions')
        .selectAll()
        .where('id', '=', subscription.id)
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain(secret.slice(6));

      for (const [id, fail] of [
        ['wh-ok', false],
        ['wh-fail', true],
      ] as const) {
        expect(
          (await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: manual(id, fail) })).status,
        ).toBe(201);
      }
      expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows/wh-ok/activate`, { token })).status).toBe(200);
      const ok = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/wh-ok/run`, { token, body: { wait: true } });
      const failed = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/wh-fail/run`, {
        token,
        body: { wait: true },
      });
      const events = (await rx.until((all) => all.length >= 3))
        .map((r) => verified(secret, r))
        .sort((a, b) => a.type.localeCompare(b.type));
      expect(events.map((e) => e.type)).toEqual(['execution.failed', 'execution.succeeded', 'workflow.activated']);
      expect(events[0]?.data).toMatchObject({
        workspaceId: ws,
        workflowId: 'wh-fail',
        executionId: failed.body.executionId,
        status: 'failed',
        error: { message: expect.stringContaining('boom') },
      });
      expect(events[1]?.data).toMatchObject({
        workflowId: 'wh-ok',
        executionId: ok.body.executionId,
        status: 'succeeded',
        mode: 'manual',
      });
      expect(events[2]?.data).toMatchObject({ workflowId: 'wh-ok' });

      const log = await settled(subscription.id, 3);
      expect(
        log.map((d: { status: string; responseStatus: number; attempts: number }) => [
          d.status,
          d.responseStatus,
          d.attempts,
        ]),
      ).toEqual([
        ['succeeded', 200, 1],
        ['succeeded', 200, 1],
        ['succeeded', 200, 1],
      ]);
      expect(log[0].responseBody).toBe('ok');
      expect(log[0].durationMs).toBeGreaterThanOrEqual(0);
    },
  );

  it.skipIf(skip)(
    'retries failures with backoff under one webhook-id, then replays a delivery with the same id',
    async () => {
      const { subscription, secret } = await subscribe(['workflow.deactivated'], '/flaky');
      let calls = 0;
      rx.respond = (r) =>
        r.headers['webhook-signature'] && ++calls <= 2
          ? { status: 500, body: 'x'.repeat(5000) }
          : { status: 200, body: 'ok' };
      const before = rx.received.length;
      await t.call('POST', `/api/v1/workspaces/${ws}/workflows/wh-ok/deactivate`, { token });
      const [d] = await settled(subscription.id, 1);
      rx.respond = () => ({ status: 200, body: 'ok' });
      expect(d).toMatchObject({ status: 'succeeded', attempts: 3, responseStatus: 200, event: 'workflow.deactivated' });
      const detail = (await t.call('GET', api(`/${subscription.id}/deliveries/${d.id}`), { token })).body;
      expect(detail.attemptLog.map((a: { status: number }) => a.status)).toEqual([500, 500, 200]);
      const tries = rx.received.slice(before).filter((r) => r.headers['webhook-id'] === d.messageId);
      expect(tries).toHaveLength(3);
      for (const r of tries) expect(verified(secret, r).type).toBe('workflow.deactivated');
      expect(tries[2]!.at - tries[0]!.at).toBeGreaterThanOrEqual(40);

      const replay = await t.call('POST', api(`/${subscription.id}/deliveries/${d.id}/replay`), { token });
      expect(replay.status).toBe(202);
      expect(replay.body).toMatchObject({ messageId: d.messageId, replayOf: d.id, status: 'pending' });
      await settled(subscription.id, 2);
      expect(rx.received.filter((r) => r.headers['webhook-id'] === d.messageId)).toHaveLength(4);
    },
  );

  it.skipIf(skip)(
    'disables a subscription after sustained failure, shows why, and clears it when enabled again',
    async () => {
      const { subscription, secret } = await subscribe(['*'], '/down');
      rx.respond = (r) =>
        r.body.includes(subscription.id) ? { status: 503, body: 'down' } : { status: 200, body: 'ok' };
      expect((await t.call('POST', api(`/${subscription.id}/test`), { token })).status).toBe(202);
      await settled(subscription.id, 1);
      expect((await t.call('POST', api(`/${subscription.id}/test`), { token })).status).toBe(202);
      await settled(subscription.id, 2);
      const s = (await t.call('GET', api(`/${subscription.id}`), { token })).body;
      expect(s.enabled).toBe(false);
      expect(s.disabledReason).toMatch(/after 4 consecutive failed delivery attempts since .*HTTP 503/);
      // A disabled subscription gets no events.
      await t.call('POST', `/api/v1/workspaces/${ws}/workflows/wh-ok/activate`, { token });
      await new Promise((r) => setTimeout(r, 200));
      expect((await deliveries(subscription.id)).every((d: { event: string }) => d.event === 'webhook.test')).toBe(
        true,
      );
      const on = await t.call('PATCH', api(`/${subscription.id}`), { token, body: { enabled: true } });
      expect(on.body).toMatchObject({ enabled: true, disabledReason: null, consecutiveFailures: 0 });
      rx.respond = () => ({ status: 200, body: 'ok' });
      // Rotated as for a leaked secret (no overlap): only the new one signs. secret-rotation.test.ts covers the overlap.
      const rotated = await t.call('POST', api(`/${subscription.id}/rotate-secret`), {
        token,
        body: { overlapHours: 0 },
      });
      expect(rotated.body.secret).not.toBe(secret);
      const ping = await t.call('POST', api(`/${subscription.id}/test`), { token });
      await settled(subscription.id, 3);
      const last = rx.received.find((r) => r.headers['webhook-id'] === ping.body.messageId) as ReceivedWebhook;
      expect(verified(rotated.body.secret, last).type).toBe('webhook.test');
      expect(() => verified(secret, last)).toThrow();
    },
  );

  it.skipIf(skip)('tells a subscriber an execution waits for approval', async () => {
    const { subscription, secret } = await subscribe(['approval.required'], '/approvals');
    const flow = {
      id: 'wh-approve',
      name: 'wh-approve',
      nodes: [
        { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
        { id: 'ask', name: 'Ask the boss', type: 'weft.approval', parameters: { message: 'Ship it?' } },
      ],
      connections: [{ source: 'start', target: 'ask' }],
    };
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: flow })).status).toBe(201);
    const run = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/wh-approve/run`, { token, body: {} });
    const ids = new Set((await settled(subscription.id, 1)).map((d: { messageId: string }) => d.messageId));
    const got = rx.received.filter((r) => ids.has(r.headers['webhook-id'] as string)).map((r) => verified(secret, r));
    expect(got).toHaveLength(1);
    expect(got[0]?.data).toMatchObject({ executionId: run.body.executionId, nodeId: 'ask', nodeName: 'Ask the boss' });
  });

  it.skipIf(skip)('refuses URLs the address policy blocks and other workspaces’ subscriptions', async () => {
    const bad = await t.call('POST', api(), {
      token,
      body: { name: 'x', url: 'http://169.254.169.254/latest', events: ['*'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ in: 'body', path: '/url' });
    const unknown = await t.call('POST', api(), { token, body: { name: 'x', url: rx.url, events: ['nope'] } });
    expect(unknown.status).toBe(400);
    const other = (await t.call('POST', '/api/v1/workspaces', { token, body: { name: 'Other' } })).body.id;
    const mine = (await t.call('GET', api(), { token })).body.items[0].id;
    const cross = await t.call('GET', `/api/v1/workspaces/${other}/webhook-subscriptions/${mine}`, { token });
    expect(cross.status).toBe(404);
    expect((await t.call('DELETE', api(`/${mine}`), { token })).status).toBe(204);
    expect((await t.call('GET', api(`/${mine}`), { token })).body.code).toBe('webhook-subscription-not-found');
    expect((await t.call('GET', api(`/${mine}/deliveries`), { token })).status).toBe(404);
  });

  it.skipIf(skip)('leases each due delivery to one claimer at a time', async () => {
    const h = t.host.runtime.h;
    const [a, b] = [new WebhookSubscriptionStore(h), new WebhookSubscriptionStore(h)];
    const future = Date.now() + 10 * 86_400_000;
    const rows = Array.from({ length: 30 }, (_, i) => ({
      id: `lease-${i}`,
      workspaceId: ws,
      subscriptionId: 'none',
      messageId: `m${i}`,
      event: 'x',
      body: '{}',
      status: 'pending' as const,
      attempts: 0,
      nextAttemptAt: future,
      responseStatus: null,
      responseBody: null,
      durationMs: null,
      error: null,
      attemptLog: [],
      replayOf: null,
      createdAt: 0,
      updatedAt: 0,
    }));
    await a.enqueue(rows);
    const claim = (s: WebhookSubscriptionStore, owner: string) =>
      s.claimDue({ owner, now: future, leaseMs: 60_000, limit: 30 });
    const [x, y] = await Promise.all([claim(a, 'a'), claim(b, 'b')]);
    const ids = [...x, ...y].map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(30);
    expect(await claim(a, 'c')).toEqual([]);
    // An expired lease is taken over.
    expect((await a.claimDue({ owner: 'd', now: future + 61_000, leaseMs: 1000, limit: 50 })).length).toBe(30);
    await h.db.deleteFrom('webhook_subscription_deliveries').where('subscription_id', '=', 'none').execute();
  });
});

it('keeps pending deliveries across a restart (durable outbox)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-webhooks-out-'));
  const rx = await WebhookReceiver.start();
  rx.respond = () => ({ status: 503 });
  const env = {
    ...FAST,
    WEFT_DATA_DIR: dir,
    WEFT_WEBHOOK_OUT_RETRY_BASE_MS: '300',
    WEFT_WEBHOOK_OUT_MAX_ATTEMPTS: '10',
  };
  let t = await startTestHost(env, { keepDir: true });
  try {
    let token = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    const created = await t.call('POST', `/api/v1/workspaces/${ws}/webhook-subscriptions`, {
      token,
      body: { name: 'r', url: rx.url, events: ['*'] },
    });
    const sub = created.body.subscription.id;
    await t.call('POST', `/api/v1/workspaces/${ws}/webhook-subscriptions/${sub}/test`, { token });
    await rx.until((all) => all.length >= 1);
    await t.close();
    rx.respond = () => ({ status: 204 });
    t = await startTestHost(env, { keepDir: true });
    token = await t.login('owner@example.com', 'owner-password');
    await rx.until((all) => all.some((r) => r.at > 0) && all.length >= 2);
    for (let i = 0; i < 200; i++) {
      const [d] = (await t.call('GET', `/api/v1/workspaces/${ws}/webhook-subscriptions/${sub}/deliveries`, { token }))
        .body.items;
      if (d.status === 'succeeded') {
        expect(d.attempts).toBeGreaterThanOrEqual(2);
        expect(d.responseStatus).toBe(204);
        return;
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('the delivery was not completed after the restart');
  } finally {
    await t.close();
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it.skipIf(pg.skip)('two host processes on one Postgres deliver each message exactly once', async () => {
  const db = await createTempDatabase(pg.url());
  const rx = await WebhookReceiver.start();
  const env = {
    ...FAST,
    WEFT_DATABASE_URL: db.url,
    WEFT_MASTER_KEY: `k1:${randomBytes(32).toString('base64')}`,
    WEFT_JWT_SECRET: randomBytes(32).toString('base64'),
  };
  const a = await startTestHost(env);
  const b = await startTestHost(env);
  try {
    const token = await a.login('owner@example.com', 'owner-password');
    const ws = (await a.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    const base = `/api/v1/workspaces/${ws}/webhook-subscriptions`;
    const sub = (await a.call('POST', base, { token, body: { name: 'both', url: rx.url, events: ['*'] } })).body;
    const pings = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        (i % 2 ? a : b).call('POST', `${base}/${sub.subscription.id}/test`, { token }),
      ),
    );
    const ids = pings.map((p) => p.body.messageId as string);
    await rx.until((all) => ids.every((id) => all.some((r) => r.headers['webhook-id'] === id)));
    await new Promise((r) => setTimeout(r, 300)); // a duplicate would arrive within a few polls
    const counts = ids.map((id) => rx.received.filter((r) => r.headers['webhook-id'] === id).length);
    expect(counts).toEqual(ids.map(() => 1));
    for (const r of rx.received) new Webhook(sub.secret).verify(r.body, r.headers as Record<string, string>);
  } finally {
    await a.close();
    await b.close();
    await rx.close();
    await db.drop();
  }
});
