import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password.js';
import { pushBrowserKeys as browserKeys, decryptPush as decrypt } from '../testing/push-browser-keys.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: Buffer;
}

let t: TestHost;
let token: string;
let ws: string;
let push: Server;
let pushUrl: string;
let status = 201;
const received: Received[] = [];
const waiters: Array<() => void> = [];

const failing = {
  id: 'fails',
  name: 'Always fails',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'c', name: 'Boom', type: 'weft.code', parameters: { mode: 'eachItem', code: 'throw new Error("boom")' } },
  ],
  connections: [{ source: 't', target: 'c' }],
};
const approval = {
  id: 'approve',
  name: 'Needs approval',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'a', name: 'Approve', type: 'weft.approval', parameters: { message: 'Ship it?' } },
  ],
  connections: [{ source: 't', target: 'a' }],
};

async function nextPush(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (received.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} push requests, got ${received.length}`);
    await new Promise<void>((r) => {
      waiters.push(r);
      setTimeout(r, 200);
    });
  }
}

beforeAll(async () => {
  push = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.statusCode = status;
      res.end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((r) => push.listen(0, '127.0.0.1', r));
  pushUrl = `http://127.0.0.1:${(push.address() as AddressInfo).port}`;
  // The local push server is on loopback, which production refuses (see 'in production configuration').
  t = await startTestHost({ WEFT_HTTP_ALLOW: '127.0.0.1' });
  t.host.runtime.push.allowInsecureEndpoints = true;
  token = await t.login('owner@example.com', 'owner-password');
  ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
  for (const wf of [failing, approval]) {
    const r = await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: wf });
    expect(r.status).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  await t?.close();
  await new Promise((r) => push?.close(r));
});

describe('Web Push', () => {
  it('serves the VAPID public key to signed-in users only', async () => {
    const r = await t.call('GET', '/api/v1/push/vapid-public-key', { token });
    expect(r.status).toBe(200);
    expect(Buffer.from(r.body.publicKey, 'base64url')).toHaveLength(65);
    expect(r.body.publicKey).toBe(t.host.runtime.config.vapid.publicKey);
    expect((await t.call('GET', '/api/v1/push/vapid-public-key')).status).toBe(401);
  });

  it('rejects malformed subscriptions with problem+json naming the field', async () => {
    const keys = browserKeys().json;
    const cases: Array<[unknown, string]> = [
      [{ subscription: { endpoint: `${pushUrl}/x`, keys }, events: ['everything'] }, '/events/0'],
      [{ subscription: { endpoint: `${pushUrl}/x`, keys }, events: [] }, '/events'],
      [{ subscription: { endpoint: 'not a url', keys }, events: ['workflow-failed'] }, '/subscription/endpoint'],
      [{ subscription: { endpoint: `${pushUrl}/x` }, events: ['workflow-failed'] }, '/subscription/keys'],
      [
        {
          subscription: { endpoint: `${pushUrl}/x`, keys: { ...keys, p256dh: 'AAAAAAAAAAAAAAAAAAAA' } },
          events: ['workflow-failed'],
        },
        '/subscription/keys/p256dh',
      ],
    ];
    for (const [body, path] of cases) {
      const r = await t.call('POST', `/api/v1/workspaces/${ws}/push-subscriptions`, { token, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    t.host.runtime.push.allowInsecureEndpoints = false;
    const http = await t.call('POST', `/api/v1/workspaces/${ws}/push-subscriptions`, {
      token,
      body: { subscription: { endpoint: `${pushUrl}/x`, keys }, events: ['workflow-failed'] },
    });
    t.host.runtime.push.allowInsecureEndpoints = true;
    expect(http.status).toBe(400);
    expect(http.body.errors[0].path).toBe('/subscription/endpoint');
  });

  it("keeps another workspace's subscriptions out of reach (404)", async () => {
    const rt = t.host.runtime;
    const user = await rt.identity.createUser({
      email: 'push-intruder@example.com',
      passwordHash: await hashPassword('password-123'),
    });
    await rt.identity.createWorkspace('Other', user.id);
    const other = await t.login('push-intruder@example.com', 'password-123');
    const body = {
      subscription: { endpoint: `${pushUrl}/intruder`, keys: browserKeys().json },
      events: ['workflow-failed'],
    };
    const r = await t.call('POST', `/api/v1/workspaces/${ws}/push-subscriptions`, { token: other, body });
    expect(r.status).toBe(404);
    expect(r.body.code).toBe('workspace-not-found');
    const d = await t.call('DELETE', `/api/v1/workspaces/${ws}/push-subscriptions`, {
      token: other,
      body: { endpoint: `${pushUrl}/intruder` },
    });
    expect(d.status).toBe(404);
    expect(await rt.push.store.list(ws)).toEqual([]);
  });

  it('subscribes and unsubscribes idempotently', async () => {
    const body = {
      subscription: { endpoint: `${pushUrl}/temp`, keys: browserKeys().json },
      events: ['workflow-failed'],
    };
    const a = await t.call('POST', `/api/v1/workspaces/${ws}/push-subscriptions`, { token, body });
    expect(a.status).toBe(201);
    const b = await t.call('POST', `/api/v1/workspaces/${ws}/push-subscriptions`, {
      token,
      body: { ...body, events: ['approval-required'] },
    });
    expect(b.body.id).toBe(a.body.id);
    const list = await t.host.runtime.push.store.list(ws);
    expect(list).toHaveLength(1);
    expect(list[0]?.events).toEqual(['approval-required']);
    for (let i = 0; i < 2; i++) {
      const d = await t.call('DELETE', `/api/v1/workspaces/${ws}/push-subscriptions`, {
        token,
        body: { endpoint: `${pushUrl}/temp` },
      });
      expect(d.status).toBe(204);
    }
    expect(await t.host.runtime.push.store.list(ws)).toEqual([]);
  });

  it('delivers encrypted, VAPID-signed notifications on failure and approval; 410 deletes the subscription', async () => {
    const keys = browserKeys();
    const r = await t.call('POST', `/api/v1/workspaces/${ws}/push-subscriptions`, {
      token,
      body: {
        subscription: { endpoint: `${pushUrl}/device-1`, expirationTime: null, keys: keys.json },
        events: ['workflow-failed', 'approval-required'],
      },
    });
    expect(r.status).toBe(201);
    const run = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/fails/run`, { token, body: { wait: true } });
    expect(run.body.result.status).toBe('failed');
    await nextPush(1);
    const failed = received[0] as Received;
    expect(failed.headers['content-encoding']).toBe('aes128gcm');
    expect(failed.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(Number(failed.headers.ttl)).toBeGreaterThan(0);
    expect(decrypt(failed.body, keys)).toEqual({
      kind: 'workflow-failed',
      workspaceId: ws,
      executionId: run.body.executionId,
      workflowName: 'Always fails',
      message: expect.stringContaining('boom'),
    });

    const parked = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/approve/run`, {
      token,
      body: { wait: true },
    });
    expect(parked.body.result.status).toBe('waiting');
    await nextPush(2);
    const asked = received[1] as Received;
    expect(asked.headers.urgency).toBe('high');
    expect(decrypt(asked.body, keys)).toEqual({
      kind: 'approval-required',
      workspaceId: ws,
      executionId: parked.body.executionId,
      workflowName: 'Needs approval',
      message: 'Ship it?',
    });

    const tested = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/test`, {
      token,
      body: { workflow: failing },
    });
    expect(tested.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    await t.host.runtime.push.idle();
    expect(received).toHaveLength(2); // editor test runs notify nobody

    status = 410;
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows/fails/run`, { token, body: { wait: true } });
    await nextPush(3);
    await t.host.runtime.push.idle();
    expect(await t.host.runtime.push.store.list(ws)).toEqual([]);
    status = 201;
  }, 30_000);

  it('sends analytics alerts only to devices that opted into them, start and resolution alike', async () => {
    const failures = browserKeys();
    const alerts = browserKeys();
    for (const [device, keys, events] of [
      ['phone-failures', failures, ['workflow-failed']],
      ['phone-alerts', alerts, ['alert']],
    ] as const) {
      const r = await t.call('POST', `/api/v1/workspaces/${ws}/push-subscriptions`, {
        token,
        body: { subscription: { endpoint: `${pushUrl}/${device}`, keys: keys.json }, events },
      });
      expect(r.status).toBe(201);
    }
    const before = received.length;
    const push = t.host.runtime.push;
    await push.notifyAlert({
      workspaceId: ws,
      workflowId: 'fails',
      alert: 'slo_burn',
      active: true,
      message: 'The error budget is burning at 20.0x (1h/5m)',
    });
    await push.notifyAlert({ workspaceId: ws, workflowId: '', alert: 'anomaly', active: false, message: 'Back' });
    await nextPush(before + 2);
    await push.idle();
    const got = received.slice(before);
    expect(got).toHaveLength(2);
    expect(got.map((g) => g.headers.urgency).sort()).toEqual(['high', 'normal']);
    expect(got.map((g) => decrypt(g.body, alerts))).toEqual(
      expect.arrayContaining([
        {
          kind: 'alert',
          workspaceId: ws,
          workflowId: 'fails',
          workflowName: 'Always fails',
          alert: 'slo_burn',
          active: true,
          message: 'The error budget is burning at 20.0x (1h/5m)',
        },
        { kind: 'alert', workspaceId: ws, workflowId: '', alert: 'anomaly', active: false, message: 'Back' },
      ]),
    );
    // The failures-only device decrypts neither (they were not encrypted to its keys: not sent to it).
    for (const g of got) expect(() => decrypt(g.body, failures)).toThrow();

    const run = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/fails/run`, { token, body: { wait: true } });
    expect(run.body.result.status).toBe('failed');
    await nextPush(before + 3);
    await push.idle();
    expect(received).toHaveLength(before + 3);
    expect(decrypt((received[before + 2] as Received).body, failures)).toMatchObject({ kind: 'workflow-failed' });
  }, 30_000);
});

describe('Web Push in production configuration (no WEFT_HTTP_ALLOW)', () => {
  let prod: TestHost;
  let prodToken: string;
  let prodWs: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    prod = await startTestHost({}, { log: { write: (line: string) => void logLines.push(line) } });
    prodToken = await prod.login('owner@example.com', 'owner-password');
    prodWs = (await prod.call('GET', '/api/v1/workspaces', { token: prodToken })).body.items[0].id;
    const r = await prod.call('POST', `/api/v1/workspaces/${prodWs}/workflows`, { token: prodToken, body: failing });
    expect(r.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await prod?.close();
  });

  it('refuses endpoints on private, loopback, link-local and metadata hosts with a 400 naming the field', async () => {
    const port = (push.address() as AddressInfo).port;
    const cases: Array<[string, RegExp]> = [
      [`https://127.0.0.1:${port}/x`, /loopback/],
      [`https://localhost:${port}/x`, /loopback/],
      ['https://[::1]/x', /loopback/],
      ['https://[::ffff:10.0.0.7]/x', /private/],
      ['https://2130706433/x', /loopback/],
      ['https://10.1.2.3/x', /private/],
      ['https://192.168.1.1/x', /private/],
      ['https://169.254.169.254/latest/meta-data', /link-local/],
      ['https://[fe80::1]/x', /link-local/],
      ['https://metadata.google.internal/x', /cloud-metadata/],
      ['http://push.example.com/x', /https/],
    ];
    for (const [endpoint, reason] of cases) {
      const r = await prod.call('POST', `/api/v1/workspaces/${prodWs}/push-subscriptions`, {
        token: prodToken,
        body: { subscription: { endpoint, keys: browserKeys().json }, events: ['workflow-failed'] },
      });
      expect(r.status, endpoint).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors[0].path).toBe('/subscription/endpoint');
      expect(r.body.errors[0].message, endpoint).toMatch(reason);
    }
    expect(await prod.host.runtime.push.store.list(prodWs)).toEqual([]);
    const ok = await prod.call('POST', `/api/v1/workspaces/${prodWs}/push-subscriptions`, {
      token: prodToken,
      body: {
        subscription: { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys: browserKeys().json },
        events: ['approval-required'],
      },
    });
    expect(ok.status).toBe(201);
  });

  it('never connects to a stored endpoint whose host resolves to loopback', async () => {
    const port = (push.address() as AddressInfo).port;
    // A subscription stored before endpoints were checked, or a public-looking name pointing inside.
    await prod.host.runtime.push.store.save({
      workspaceId: prodWs,
      userId: (await prod.host.runtime.identity.userByEmail('owner@example.com'))?.id as string,
      endpoint: `http://localhost:${port}/inside`,
      keys: browserKeys().json,
      events: ['workflow-failed'],
    });
    const before = received.length;
    const run = await prod.call('POST', `/api/v1/workspaces/${prodWs}/workflows/fails/run`, {
      token: prodToken,
      body: { wait: true },
    });
    expect(run.body.result.status).toBe('failed');
    const deadline = Date.now() + 10_000;
    while (!logLines.some((l) => l.includes('push endpoint blocked')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    await prod.host.runtime.push.idle();
    expect(logLines.filter((l) => l.includes('push endpoint blocked')).join('\n')).toContain('loopback');
    expect(received.slice(before).filter((r) => r.headers.host === `localhost:${port}`)).toEqual([]);
    expect(received).toHaveLength(before);
  }, 30_000);
});
