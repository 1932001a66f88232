import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totp } from '../auth/totp.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';

const pg = await serviceUrl('pg');
const redis = await serviceUrl('redis');

const approvalFlow = {
  id: 'approval',
  name: 'Approval',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'a', name: 'Approve', type: 'weft.approval', parameters: { message: 'ok?' } },
    { id: 'y', name: 'Yes', type: 'weft.set', parameters: { fields: [{ name: 'decision', value: 'yes' }] } },
  ],
  connections: [
    { source: 't', target: 'a' },
    { source: 'a', sourcePort: 'approved', target: 'y' },
  ],
};

const backends = sqliteAndPostgres(pg);

backends.push([
  redis.title('SQLite with the Redis queue and event bridge'),
  redis.skip,
  async () => ({
    env: { WEFT_REDIS_URL: redis.url(), WEFT_REDIS_PREFIX: `weft-host-test-${Date.now().toString(36)}` },
  }),
]);

describe.each(backends)('host API over HTTP on %s', (_name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  const hookPath = `orders-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    t = await startTestHost(o.env);
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)(
    'creates, versions, diffs, activates and runs a webhook workflow; executions are persisted with node runs',
    async () => {
      const created = await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, {
        token,
        body: orderWebhookWorkflow(hookPath, 'orders'),
      });
      expect(created.status).toBe(201);
      expect(created.body.version).toBe(1);
      const changed = orderWebhookWorkflow(hookPath, 'orders');
      changed.nodes[4] = { ...changed.nodes[4], parameters: { fields: [{ name: 'tier', value: 'tiny' }] } } as never;
      const v2 = await t.call('PUT', `/api/v1/workspaces/${ws}/workflows/orders`, { token, body: changed });
      expect(v2.body.version).toBe(2);
      const diff = await t.call('GET', `/api/v1/workspaces/${ws}/workflows/orders/diff?from=1&to=2`, { token });
      expect(diff.body.diff.nodes.changed).toEqual({ 'tag-small': ['parameters'] });
      const versions = await t.call('GET', `/api/v1/workspaces/${ws}/workflows/orders/versions`, { token });
      expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect((await t.call('POST', `/hooks/${hookPath}`, { body: {} })).status).toBe(404);
      expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows/orders/activate`, { token })).body.active).toBe(
        true,
      );

      const big = await t.call('POST', `/hooks/${hookPath}`, {
        body: { customer: 'ada', lines: [{ price: 60, qty: 2 }] },
      });
      expect(big.status).toBe(200);
      expect(big.body).toEqual({ customer: 'ada', total: 120, tier: 'large' });
      const small = await t.call('POST', `/hooks/${hookPath}`, {
        body: { customer: 'bo', lines: [{ price: 1, qty: 2 }] },
      });
      expect(small.body.tier).toBe('tiny');
      expect((await t.call('GET', `/hooks/${hookPath}`)).status).toBe(405);

      const id = big.headers.get('x-weft-execution-id') as string;
      const exec = await t.call('GET', `/api/v1/workspaces/${ws}/executions/${id}`, { token });
      expect(exec.body.status).toBe('succeeded');
      expect(exec.body.mode).toBe('webhook');
      expect(exec.body.nodeRuns.map((r: { nodeId: string }) => r.nodeId)).toEqual([
        'hook',
        'total',
        'large',
        'tag-large',
        'respond',
      ]);
      const list = await t.call(
        'GET',
        `/api/v1/workspaces/${ws}/executions?workflowId=orders&status=succeeded&limit=1`,
        { token },
      );
      expect(list.body.items).toHaveLength(1);
      expect(list.body.nextCursor).toBeTruthy();
      const next = await t.call(
        'GET',
        `/api/v1/workspaces/${ws}/executions?workflowId=orders&limit=1&cursor=${encodeURIComponent(list.body.nextCursor)}`,
        { token },
      );
      expect(next.body.items[0].id).not.toBe(list.body.items[0].id);
      const search = await t.call('GET', `/api/v1/workspaces/${ws}/executions?q=${id.slice(0, 8)}`, { token });
      expect(search.body.items.map((e: { id: string }) => e.id)).toContain(id);

      const replay = await t.call('POST', `/api/v1/workspaces/${ws}/executions/${id}/replay`, {
        token,
        body: { fromNode: 'large' },
      });
      expect(replay.body.status).toBe('succeeded');
      expect(replay.body.reused.sort()).toEqual(['Compute total', 'Order received']);
      const retry = await t.call('POST', `/api/v1/workspaces/${ws}/executions/${id}/retry`, {
        token,
        body: { wait: true },
      });
      expect(retry.body.result.status).toBe('succeeded');
    },
  );

  it.skipIf(skip)(
    'answers a redelivered webhook with the same Idempotency-Key without a second execution',
    async () => {
      const headers = { 'idempotency-key': `delivery-${Math.random()}` };
      const body = { customer: 'cy', lines: [{ price: 200, qty: 1 }] };
      const a = await t.call('POST', `/hooks/${hookPath}`, { body, headers });
      const b = await t.call('POST', `/hooks/${hookPath}`, { body, headers });
      expect(a.status).toBe(200);
      expect(b.headers.get('x-weft-execution-id')).toBe(a.headers.get('x-weft-execution-id'));
      expect(b.headers.get('x-weft-duplicate')).toBe('true');
    },
  );

  it.skipIf(skip)(
    'parks an approval, lists it, resumes it with the decision; cancels and deletes another',
    async () => {
      await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: approvalFlow });
      const run = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/approval/run`, {
        token,
        body: { wait: true },
      });
      expect(run.body.result.status).toBe('waiting');
      const pending = await t.call('GET', `/api/v1/workspaces/${ws}/approvals`, { token });
      expect(pending.body.items.map((e: { id: string }) => e.id)).toContain(run.body.executionId);
      const ok = await t.call('POST', `/api/v1/workspaces/${ws}/executions/${run.body.executionId}/approve`, {
        token,
        body: { comment: 'fine' },
      });
      expect(ok.body.status).toBe('succeeded');
      const again = await t.call('POST', `/api/v1/workspaces/${ws}/executions/${run.body.executionId}/approve`, {
        token,
        body: {},
      });
      expect(again.status).toBe(409);
      expect(again.headers.get('content-type')).toContain('application/problem+json');
      expect(again.body.code).toBe('not-awaiting-approval');
      const parked = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/approval/run`, {
        token,
        body: { wait: true },
      });
      const id = parked.body.executionId;
      expect((await t.call('DELETE', `/api/v1/workspaces/${ws}/executions/${id}`, { token })).body.code).toBe(
        'execution-active',
      );
      expect((await t.call('POST', `/api/v1/workspaces/${ws}/executions/${id}/cancel`, { token })).status).toBe(200);
      expect((await t.call('GET', `/api/v1/workspaces/${ws}/executions/${id}`, { token })).body.status).toBe(
        'cancelled',
      );
      expect((await t.call('POST', `/api/v1/workspaces/${ws}/executions/${id}/cancel`, { token })).status).toBe(409);
      expect((await t.call('DELETE', `/api/v1/workspaces/${ws}/executions/${id}`, { token })).status).toBe(204);
      expect((await t.call('GET', `/api/v1/workspaces/${ws}/executions/${id}`, { token })).status).toBe(404);
    },
  );

  it.skipIf(skip)('test runs pin data and stop after a node', async () => {
    const r = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/test`, {
      token,
      body: {
        workflow: orderWebhookWorkflow('draft', 'draft'),
        pinData: { 'Compute total': [{ json: { customer: 'pinned', total: 5 } }] },
        stopAfter: 'Large order?',
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.nodeRuns.map((n: { nodeName: string }) => n.nodeName)).not.toContain('Respond');
    expect(
      r.body.nodeRuns.find((n: { nodeName: string }) => n.nodeName === 'Large order?').output.false[0].json.customer,
    ).toBe('pinned');
  });

  it.skipIf(skip)('stores credentials write-only and never returns the secret', async () => {
    const c = await t.call('POST', `/api/v1/workspaces/${ws}/credentials`, {
      token,
      body: {
        type: 'weft.webhookHeaderSecret',
        name: 'hook secret',
        data: { header: 'x-token', secret: 's3cr3t-value' },
      },
    });
    expect(c.status).toBe(201);
    expect(c.text).not.toContain('s3cr3t-value');
    expect(c.body.fields.sort()).toEqual(['header', 'secret']);
    const list = await t.call('GET', `/api/v1/workspaces/${ws}/credentials`, { token });
    expect(list.text).not.toContain('s3cr3t-value');
    const secured = orderWebhookWorkflow(`${hookPath}-secured`, 'secured');
    secured.nodes[0] = { ...secured.nodes[0], credentials: { auth: c.body.id } } as never;
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: secured });
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows/secured/activate`, { token });
    const body = { lines: [{ price: 1, qty: 1 }] };
    expect((await t.call('POST', `/hooks/${hookPath}-secured`, { body })).status).toBe(401);
    expect((await t.call('POST', `/hooks/${hookPath}-secured`, { body, headers: { 'x-token': 'wrong' } })).status).toBe(
      403,
    );
    expect(
      (await t.call('POST', `/hooks/${hookPath}-secured`, { body, headers: { 'x-token': 's3cr3t-value' } })).status,
    ).toBe(200);
    const ex = await t.call('GET', `/api/v1/workspaces/${ws}/executions?workflowId=secured`, { token });
    expect(ex.text).not.toContain('s3cr3t-value');
  });

  it.skipIf(skip)('exports and imports a workspace, duplicates a workflow', async () => {
    const exported = await t.call('GET', `/api/v1/workspaces/${ws}/export`, { token });
    expect(exported.body.workflows.length).toBeGreaterThanOrEqual(2);
    const yaml = await t.call('GET', `/api/v1/workspaces/${ws}/export?format=yaml`, { token });
    expect(yaml.headers.get('content-type')).toContain('yaml');
    const other = await t.call('POST', '/api/v1/workspaces', { token, body: { name: 'Copy' } });
    const imported = await t.call('POST', `/api/v1/workspaces/${other.body.id}/workflows/import`, {
      token,
      body: { workflows: exported.body.workflows.map((w: Record<string, unknown>) => ({ ...w, active: false })) },
    });
    expect(imported.body.items).toHaveLength(exported.body.workflows.length);
    const dup = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/approval/duplicate`, {
      token,
      body: { id: 'approval-copy' },
    });
    expect(dup.status).toBe(201);
    expect(dup.body.workflow.name).toBe('Approval (copy)');
  });

  it.skipIf(skip)('streams events over SSE and resumes after Last-Event-ID', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${t.base}/api/v1/workspaces/${ws}/events?access_token=${token}`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows/approval/run`, { token, body: { wait: true } });
    let text = '';
    while (!text.includes('event: workflow:waiting')) text += new TextDecoder().decode((await reader.read()).value);
    ctrl.abort();
    // Frames up to this run's workflow:waiting (other executions of the workspace may interleave).
    const upToWaiting = (sse: string) => {
      const frames = [...sse.matchAll(/^id: (\d+-\d+)\nevent: (\S+)$/gm)];
      return frames.slice(0, frames.findIndex((m) => m[2] === 'workflow:waiting') + 1).map((m) => m[1] as string);
    };
    const ids = upToWaiting(text);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    const ctrl2 = new AbortController();
    const res2 = await fetch(`${t.base}/api/v1/workspaces/${ws}/events`, {
      signal: ctrl2.signal,
      headers: { authorization: `Bearer ${token}`, 'last-event-id': ids[0] as string },
    });
    const r2 = (res2.body as ReadableStream<Uint8Array>).getReader();
    let replay = '';
    while (!replay.includes('event: workflow:waiting')) replay += new TextDecoder().decode((await r2.read()).value);
    ctrl2.abort();
    expect(upToWaiting(replay)).toEqual(ids.slice(1)); // exactly the events after the id, from the hub's backlog
    expect(replay).not.toContain('stream:gap');
  });

  it.skipIf(skip)('refreshes (rotating the refresh token), logs out, and revokes', async () => {
    const login = await t.call('POST', '/api/v1/auth/login', {
      body: { email: 'owner@example.com', password: 'owner-password' },
    });
    const refreshed = await t.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(
      (await t.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: login.body.refreshToken } })).status,
    ).toBe(401);
    const access = refreshed.body.accessToken;
    expect((await t.call('GET', '/api/v1/auth/me', { token: access })).status).toBe(200);
    expect((await t.call('POST', '/api/v1/auth/logout', { token: access })).status).toBe(204);
    const after = await t.call('GET', '/api/v1/auth/me', { token: access });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('session-revoked');
  });

  it.skipIf(skip)('turns on TOTP MFA with recovery codes', async () => {
    const email = `mfa-${Math.random().toString(36).slice(2, 7)}@example.com`;
    const invite = await t.call('POST', `/api/v1/workspaces/${ws}/invites`, { token, body: { role: 'viewer', email } });
    const signup = await t.call('POST', '/api/v1/auth/signup', {
      body: { token: invite.body.token, email, password: 'password-123' },
    });
    expect(signup.status).toBe(201);
    const me = signup.body.accessToken;
    const setup = await t.call('POST', '/api/v1/auth/mfa/setup', { token: me });
    const enabled = await t.call('POST', '/api/v1/auth/mfa/enable', {
      token: me,
      body: { code: totp(setup.body.secret) },
    });
    expect(enabled.body.recoveryCodes).toHaveLength(10);
    const noCode = await t.call('POST', '/api/v1/auth/login', { body: { email, password: 'password-123' } });
    expect(noCode.body.code).toBe('mfa-required');
    expect(
      (await t.call('POST', '/api/v1/auth/login', { body: { email, password: 'password-123', code: '000000' } }))
        .status,
    ).toBe(401);
    expect(
      (
        await t.call('POST', '/api/v1/auth/login', {
          body: { email, password: 'password-123', code: totp(setup.body.secret) },
        })
      ).status,
    ).toBe(200);
    const recovery = enabled.body.recoveryCodes[0];
    expect(
      (await t.call('POST', '/api/v1/auth/login', { body: { email, password: 'password-123', code: recovery } }))
        .status,
    ).toBe(200);
    expect(
      (await t.call('POST', '/api/v1/auth/login', { body: { email, password: 'password-123', code: recovery } }))
        .status,
    ).toBe(401);
  });

  it.skipIf(skip)('authenticates API keys by hash, enforces scopes, revokes them', async () => {
    const k = await t.call('POST', `/api/v1/workspaces/${ws}/api-keys`, {
      token,
      body: { name: 'ci', role: 'editor', scopes: ['workflows:read'] },
    });
    expect(k.status).toBe(201);
    expect(k.body.key.startsWith(k.body.prefix)).toBe(true);
    const listed = await t.call('GET', `/api/v1/workspaces/${ws}/api-keys`, { token });
    expect(listed.text).not.toContain(k.body.key);
    expect((await t.call('GET', `/api/v1/workspaces/${ws}/workflows`, { token: k.body.key })).status).toBe(200);
    const denied = await t.call('GET', `/api/v1/workspaces/${ws}/executions`, { token: k.body.key });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('scope-missing');
    expect((await t.call('GET', `/api/v1/workspaces/${ws}/api-keys`, { token })).body.items[0].lastUsedAt).toBeTypeOf(
      'number',
    );
    await t.call('DELETE', `/api/v1/workspaces/${ws}/api-keys/${k.body.id}`, { token });
    expect((await t.call('GET', `/api/v1/workspaces/${ws}/workflows`, { token: k.body.key })).status).toBe(401);
  });

  it.skipIf(skip)(
    'keeps an invitation when the wrong email uses it; deleting a workspace removes its data',
    async () => {
      const invite = await t.call('POST', `/api/v1/workspaces/${ws}/invites`, {
        token,
        body: { role: 'editor', email: 'right@example.com' },
      });
      const wrong = await t.call('POST', '/api/v1/auth/signup', {
        body: { token: invite.body.token, email: 'wrong@example.com', password: 'password-123' },
      });
      expect(wrong.body.code).toBe('signup-email-mismatch');
      const right = await t.call('POST', '/api/v1/auth/signup', {
        body: { token: invite.body.token, email: 'right@example.com', password: 'password-123' },
      });
      expect(right.status).toBe(201);

      const doomed = (await t.call('POST', '/api/v1/workspaces', { token, body: { name: 'Doomed' } })).body.id;
      await t.call('POST', `/api/v1/workspaces/${doomed}/workflows`, {
        token,
        body: orderWebhookWorkflow(`${hookPath}-doomed`, 'doomed'),
      });
      await t.call('POST', `/api/v1/workspaces/${doomed}/workflows/doomed/activate`, { token });
      expect((await t.call('POST', `/hooks/${hookPath}-doomed`, { body: { lines: [] } })).status).toBe(200);
      expect((await t.call('DELETE', `/api/v1/workspaces/${doomed}`, { token })).status).toBe(204);
      expect((await t.call('GET', `/api/v1/workspaces/${doomed}/workflows`, { token })).status).toBe(404);
      expect((await t.call('POST', `/hooks/${hookPath}-doomed`, { body: { lines: [] } })).status).toBe(404);
      const db = t.host.runtime.h.db;
      for (const table of ['executions', 'workflows', 'workflow_versions', 'webhooks'] as const) {
        expect(await db.selectFrom(table).select('workspace_id').where('workspace_id', '=', doomed).execute()).toEqual(
          [],
        );
      }
    },
  );

  it.skipIf(skip)('serves OpenAPI, docs, health, readiness and Prometheus metrics', async () => {
    const doc = await t.call('GET', '/api/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths['/api/v1/workspaces/{workspaceId}/workflows'].post.requestBody).toBeDefined();
    expect((await t.call('GET', '/api/docs')).text).toContain('openapi.json');
    expect((await t.call('GET', '/healthz')).status).toBe(200);
    expect((await t.call('GET', '/readyz')).body.status).toBe('ready');
    const metrics = await t.call('GET', '/metrics');
    expect(metrics.text).toMatch(/weft_executions_total\{status="succeeded",mode="webhook"\} \d+/);
    expect(metrics.text).toContain('weft_node_duration_seconds_bucket');
    expect(metrics.text).toContain('weft_queue_jobs');
    expect(metrics.text).toContain('weft_sandbox_isolates');
    expect(metrics.text).toContain('weft_http_request_duration_seconds');
  });
});
