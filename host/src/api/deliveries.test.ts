import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');

const backends = sqliteAndPostgres(pg);

/** A POST webhook at `path` checked with a header-secret credential, answering 202 at once. */
function hooked(id: string, path: string, credentialId: string) {
  return {
    id,
    name: id,
    nodes: [
      {
        id: 'hook',
        name: 'Hook',
        type: 'weft.webhook',
        parameters: { path, methods: ['POST'], responseMode: 'immediately' },
        credentials: { auth: credentialId },
      },
      { id: 'mark', name: 'Mark', type: 'weft.set', parameters: { fields: [{ name: 'seen', value: 'yes' }] } },
    ],
    connections: [{ source: 'hook', target: 'mark' }],
  };
}

describe.each(backends)('webhook delivery log over HTTP on %s', (_name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  let other: string;
  const suffix = Math.random().toString(36).slice(2, 8);
  const path = `deliveries-${suffix}`;
  const otherPath = `deliveries-other-${suffix}`;
  const api = (p: string) => `/api/v1/workspaces/${p}`;

  const setUp = async (workspace: string, hookPath: string) => {
    const cred = await t.call('POST', api(`${workspace}/credentials`), {
      token,
      body: { type: 'weft.webhookHeaderSecret', name: 'hook secret', data: { header: 'x-token', secret: 's3cret' } },
    });
    expect(cred.status).toBe(201);
    const created = await t.call('POST', api(`${workspace}/workflows`), {
      token,
      body: hooked('hooked', hookPath, cred.body.id),
    });
    expect(created.status).toBe(201);
    expect((await t.call('POST', api(`${workspace}/workflows/hooked/activate`), { token })).status).toBe(200);
  };

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    t = await startTestHost({ ...o.env, WEFT_RATE_LIMIT_WORKSPACE: '1000000' });
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    other = (await t.call('POST', '/api/v1/workspaces', { token, body: { name: 'Other' } })).body.id;
    await setUp(ws, path);
    await setUp(other, otherPath);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)(
    'lists accepted and refused requests, newest first, with status, reason and execution id',
    async () => {
      const accepted = await t.call('POST', `/hooks/${path}`, { body: { n: 1 }, headers: { 'x-token': 's3cret' } });
      expect(accepted.status).toBe(202);
      const badSecret = await t.call('POST', `/hooks/${path}`, { body: { n: 2 }, headers: { 'x-token': 'wrong' } });
      expect(badSecret.status).toBe(403);
      const noSecret = await t.call('POST', `/hooks/${path}`, { body: { n: 3 } });
      expect(noSecret.status).toBe(401);
      const wrongMethod = await t.call('GET', `/hooks/${path}`);
      expect(wrongMethod.status).toBe(405);
      expect((await t.call('POST', '/hooks/nobody-listens-here', { body: {} })).status).toBe(404);

      const list = await t.call('GET', api(`${ws}/workflows/hooked/deliveries`), { token });
      expect(list.status).toBe(200);
      expect(
        list.body.items.map((d: Record<string, unknown>) => [d.method, d.status, d.ok, d.refusedReason ?? null]),
      ).toEqual([
        ['GET', 405, false, 'method-not-allowed'],
        ['POST', 401, false, 'webhook-unauthenticated'],
        ['POST', 403, false, 'webhook-signature-invalid'],
        ['POST', 202, true, null],
      ]);
      const [refused, , , ok] = list.body.items;
      expect(ok).toMatchObject({
        direction: 'inbound',
        endpoint: path,
        workspaceId: ws,
        workflowId: 'hooked',
        executionId: accepted.body.executionId,
      });
      expect(ok.error).toBeUndefined();
      expect(refused.executionId).toBeUndefined();
      expect(refused.error).toMatch(/does not accept GET/);
      expect(list.body.nextCursor).toBeUndefined();
      const exec = await t.call('GET', api(`${ws}/executions/${ok.executionId}`), { token });
      expect(exec.body.workflowId).toBe('hooked');
    },
  );

  it.skipIf(skip)('pages with limit and cursor and refuses a malformed cursor naming it', async () => {
    const first = await t.call('GET', api(`${ws}/workflows/hooked/deliveries?limit=3`), { token });
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const rest = await t.call(
      'GET',
      api(`${ws}/workflows/hooked/deliveries?limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`),
      { token },
    );
    expect(rest.body.items.map((d: { status: number }) => d.status)).toEqual([202]);
    expect(rest.body.nextCursor).toBeUndefined();
    const bad = await t.call('GET', api(`${ws}/workflows/hooked/deliveries?cursor=nonsense`), { token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ in: 'query', path: '/cursor' });
  });

  it.skipIf(skip)("keeps workspaces apart: a workflow's log holds only its own workspace's requests", async () => {
    expect((await t.call('POST', `/hooks/${otherPath}`, { body: {}, headers: { 'x-token': 's3cret' } })).status).toBe(
      202,
    );
    const theirs = await t.call('GET', api(`${other}/workflows/hooked/deliveries`), { token });
    expect(
      theirs.body.items.map((d: { endpoint: string; workspaceId: string }) => [d.endpoint, d.workspaceId]),
    ).toEqual([[otherPath, other]]);
    const ours = await t.call('GET', api(`${ws}/workflows/hooked/deliveries`), { token });
    expect(ours.body.items.every((d: { workspaceId: string }) => d.workspaceId === ws)).toBe(true);
    expect(ours.body.items).toHaveLength(4);
    expect((await t.call('GET', api(`${ws}/workflows/missing/deliveries`), { token })).status).toBe(404);

    const email = `viewer-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const invite = await t.call('POST', api(`${other}/invites`), { token, body: { role: 'viewer', email } });
    const outsider = (
      await t.call('POST', '/api/v1/auth/signup', {
        body: { token: invite.body.token, email, password: 'password-123' },
      })
    ).body.accessToken;
    expect((await t.call('GET', api(`${other}/workflows/hooked/deliveries`), { token: outsider })).status).toBe(200);
    const denied = await t.call('GET', api(`${ws}/workflows/hooked/deliveries`), { token: outsider });
    expect(denied.status).toBe(404);
    expect(denied.body.code).toBe('workspace-not-found');
  });

  it.skipIf(skip)('prunes entries older than a cutoff, chunk by chunk', async () => {
    const log = t.host.runtime.deliveries;
    const removed = await log.prune(Date.now() + 1, 2);
    expect(removed).toBe(5);
    expect((await t.call('GET', api(`${ws}/workflows/hooked/deliveries`), { token })).body.items).toEqual([]);
  });
});
