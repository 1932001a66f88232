import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password.js';
import { allows, type Permission, ROLES, type Role } from '../auth/roles.js';
import { apiRoutes } from '../create-app.js';
import type { AnyRoute } from '../http/route.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';

let t: TestHost;
let owner: string;
let wsA: string;
const tokens = new Map<Role, string>();
const ids: Record<string, string> = {};

function pathFor(route: AnyRoute, values: Record<string, string>): string {
  return `/api/v1${route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => encodeURIComponent(values[name] ?? 'missing'))}`;
}

const workspaceRoutes = () =>
  apiRoutes(t.host.runtime).filter((r) => r.path.includes(':workspaceId') && r.auth !== 'none' && r.auth !== 'user');

beforeAll(async () => {
  t = await startTestHost({ WEFT_RATE_LIMIT_WORKSPACE: '1000000' });
  owner = await t.login('owner@example.com', 'owner-password');
  tokens.set('owner', owner);
  wsA = (await t.call('GET', '/api/v1/workspaces', { token: owner })).body.items[0].id;
  for (const role of ROLES.filter((r) => r !== 'owner')) {
    const email = `${role}@example.com`;
    const invite = await t.call('POST', `/api/v1/workspaces/${wsA}/invites`, { token: owner, body: { role, email } });
    const s = await t.call('POST', '/api/v1/auth/signup', {
      body: { token: invite.body.token, email, password: 'password-123' },
    });
    tokens.set(role, s.body.accessToken);
  }
  await t.call('POST', `/api/v1/workspaces/${wsA}/workflows`, {
    token: owner,
    body: orderWebhookWorkflow('tenant-a', 'wf-a-only'),
  });
  await t.call('POST', `/api/v1/workspaces/${wsA}/workflows/wf-a-only/activate`, { token: owner });
  const hook = await t.call('POST', '/hooks/tenant-a', {
    body: { customer: 'tenant-a-customer', lines: [{ price: 1, qty: 1 }] },
  });
  ids.executionId = hook.headers.get('x-weft-execution-id') as string;
  const cred = await t.call('POST', `/api/v1/workspaces/${wsA}/credentials`, {
    token: owner,
    body: { type: 'weft.webhookHeaderSecret', name: 'tenant-a-cred', data: { header: 'x', secret: 'tenant-a-secret' } },
  });
  ids.credentialId = cred.body.id;
  const key = await t.call('POST', `/api/v1/workspaces/${wsA}/api-keys`, {
    token: owner,
    body: { name: 'tenant-a-key', role: 'admin' },
  });
  ids.keyId = key.body.id;
  ids.apiKey = key.body.key;
  ids.workflowId = 'wf-a-only';
  ids.uploadId = randomUUID(); // well-formed, so the role check answers before the 404
  ids.version = '1';
  ids.userId = (await t.host.runtime.identity.userByEmail('viewer@example.com'))?.id as string;
});
afterAll(async () => {
  await t?.close();
});

describe('RBAC matrix: every workspace route × every role', () => {
  it('answers 403 exactly when the role lacks the route’s permission', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of workspaceRoutes()) {
      for (const role of ROLES) {
        const permitted = allows(role, route.auth as Permission);
        // Allowed calls use ids that do not exist, so handlers answer 404/400 and change nothing.
        if (permitted && route.method === 'delete' && route.path === '/workspaces/:workspaceId') continue;
        const values = permitted ? { workspaceId: wsA, version: '999' } : { ...ids, workspaceId: wsA };
        if (route.stream) {
          const ctrl = new AbortController();
          const method = route.method.toUpperCase();
          const res = await fetch(`${t.base}${pathFor(route, values)}`, {
            method,
            headers: { authorization: `Bearer ${tokens.get(role)}`, 'content-type': 'application/json' },
            ...(route.body ? { body: '{}' } : {}),
            signal: ctrl.signal,
          });
          ctrl.abort();
          if ((res.status === 403) === permitted) failures.push(`${role} ${method} ${route.path}: ${res.status}`);
          checked++;
          continue;
        }
        const r = await t.call(route.method.toUpperCase(), pathFor(route, values), {
          token: tokens.get(role) as string,
          ...(route.body ? { body: {} } : {}),
        });
        const forbidden = r.status === 403 && r.body?.code === 'forbidden';
        if (forbidden === permitted || r.body?.code === 'workspace-not-found') {
          failures.push(`${role} ${route.method.toUpperCase()} ${route.path}: ${r.status} ${r.body?.code}`);
        }
        checked++;
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  }, 120_000);
});

describe('credentials are an editor’s business', () => {
  it('every credential route but reading needs the editor role, testing one included', () => {
    const needs = workspaceRoutes()
      .filter((r) => r.tag === 'credentials')
      .map((r) => `${r.auth} ${r.method.toUpperCase()} ${r.path.replace('/workspaces/:workspaceId/credentials', '')}`);
    expect(needs.sort()).toEqual([
      'read GET ',
      'read GET /:credentialId',
      'write DELETE /:credentialId',
      'write PATCH /:credentialId',
      'write POST ',
      'write POST /:credentialId/oauth2/authorize',
      'write POST /:credentialId/test',
    ]);
  });

  it('refuses an operator’s test of a stored credential (it would send the secret out) and allows an editor’s', async () => {
    const path = `/api/v1/workspaces/${wsA}/credentials/${ids.credentialId}/test`;
    const operator = await t.call('POST', path, { token: tokens.get('operator') as string });
    expect([operator.status, operator.body.code]).toEqual([403, 'forbidden']);
    const editor = await t.call('POST', path, { token: tokens.get('editor') as string });
    expect(editor.status).toBe(200);
    expect(editor.body.ok).toBe(false);
  });

  it('says so in the OpenAPI document', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body;
    const test = doc.paths['/api/v1/workspaces/{workspaceId}/credentials/{credentialId}/test'].post;
    expect(test['x-weft-permission']).toBe('write');
    expect(doc.info.description).toContain('`write` (editor)');
  });
});

describe('tenant isolation: another workspace’s ids give 404, never data', () => {
  let other: string;
  let wsB: string;
  beforeAll(async () => {
    const rt = t.host.runtime;
    const user = await rt.identity.createUser({
      email: 'intruder@example.com',
      passwordHash: await hashPassword('password-123'),
    });
    wsB = (await rt.identity.createWorkspace('B', user.id)).id;
    other = await t.login('intruder@example.com', 'password-123');
    await t.call('POST', `/api/v1/workspaces/${wsB}/workflows`, {
      token: other,
      body: orderWebhookWorkflow('tenant-b', 'wf-b'),
    });
  });

  const secrets = () => [
    ids.executionId,
    ids.credentialId,
    ids.keyId,
    'tenant-a-customer',
    'tenant-a-cred',
    'tenant-a-secret',
    'tenant-a-key',
    'Order received',
  ];

  it('refuses every route on workspace A for a member of B only', async () => {
    const leaks: string[] = [];
    for (const route of workspaceRoutes()) {
      if (route.stream) {
        const res = await fetch(`${t.base}${pathFor(route, { workspaceId: wsA })}`, {
          headers: { authorization: `Bearer ${other}` },
        });
        if (res.status !== 404) leaks.push(`GET ${route.path}: ${res.status}`);
        await res.body?.cancel();
        continue;
      }
      const r = await t.call(route.method.toUpperCase(), pathFor(route, { ...ids, workspaceId: wsA }), {
        token: other,
        ...(route.body ? { body: {} } : {}),
      });
      if (r.status !== 404 || r.body?.code !== 'workspace-not-found' || secrets().some((s) => r.text.includes(s))) {
        leaks.push(`${route.method.toUpperCase()} ${route.path}: ${r.status} ${r.text.slice(0, 120)}`);
      }
    }
    expect(leaks).toEqual([]);
  }, 60_000);

  it('finds none of A’s workflows, executions, credentials or keys through B’s workspace', async () => {
    const leaks: string[] = [];
    for (const route of workspaceRoutes()) {
      if (!/:(workflowId|executionId|credentialId|keyId|userId)/.test(route.path)) continue;
      if (route.method === 'post' && route.path.endsWith('/workflows/:workflowId/duplicate')) continue;
      const r = await t.call(route.method.toUpperCase(), pathFor(route, { ...ids, workspaceId: wsB }), {
        token: other,
        ...(route.body ? { body: {} } : {}),
      });
      const ok = r.status === 404 || (r.status === 400 && route.body);
      // The ids the caller sent may be echoed back; names, customers and secret values must not be.
      const data = ['tenant-a-customer', 'tenant-a-cred', 'tenant-a-secret', 'tenant-a-key', 'Compute total'];
      if (!ok || data.some((s) => r.text.includes(s))) {
        leaks.push(`${route.method.toUpperCase()} ${route.path}: ${r.status} ${r.text.slice(0, 160)}`);
      }
    }
    expect(leaks).toEqual([]);
    const list = await t.call('GET', `/api/v1/workspaces/${wsB}/executions`, { token: other });
    expect(list.body.items).toEqual([]);
    const creds = await t.call('GET', `/api/v1/workspaces/${wsB}/credentials`, { token: other });
    expect(creds.body.items).toEqual([]);
  }, 60_000);

  it('does not let A’s API key into B', async () => {
    const r = await t.call('GET', `/api/v1/workspaces/${wsB}/workflows`, { token: ids.apiKey });
    expect(r.status).toBe(404);
    const me = await t.call('GET', '/api/v1/workspaces', { token: ids.apiKey });
    expect(me.body.items.map((w: { id: string }) => w.id)).toEqual([wsA]);
  });
});
