import type { AuditRecord } from '@weft/engine';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { hostAudit, INSTANCE_AUDIT_CHAIN } from './host-audit.js';

const pg = await serviceUrl('pg');
const MUTATING = new Set(['post', 'put', 'patch', 'delete']);

describe.each(sqliteAndPostgres(pg))('audit recording on %s', (_title, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;

  beforeAll(async () => {
    if (skip) return;
    const backend = await open();
    drop = backend.drop;
    t = await startTestHost(backend.env);
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  async function entries(): Promise<AuditRecord[]> {
    const audit = hostAudit(t.host.runtime);
    await audit.settled();
    const all: AuditRecord[] = [];
    for (const chain of [ws, INSTANCE_AUDIT_CHAIN])
      all.push(...(await audit.log.list({ workspaceId: chain, limit: 10_000 })));
    return all;
  }

  it.skipIf(skip)('records a successful change in the workspace chain with the member who made it', async () => {
    const me = (await t.call('GET', '/api/v1/auth/me', { token })).body;
    await t.call('PATCH', `/api/v1/workspaces/${ws}`, {
      token,
      body: { name: 'Renamed' },
      headers: { 'x-request-id': 'rename-1' },
    });
    expect((await entries()).find((e) => e.requestId === 'rename-1')).toMatchObject({
      workspaceId: ws,
      action: 'workspace.update',
      resource: { type: 'workspace', id: ws },
      outcome: 'success',
      actor: { type: 'user', id: me.user?.id ?? me.id },
      changes: { fields: ['name'], name: 'Renamed', httpStatus: 200 },
    });
  });

  it.skipIf(skip)('records every mutating route of the OpenAPI document, whatever its outcome', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const calls: Array<{ method: string; path: string; requestId: string }> = [];
    // Webhook requests start executions; they are not actions on the API and are not audited.
    for (const [path, ops] of Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/v1/')))
      for (const method of Object.keys(ops))
        if (MUTATING.has(method) || path.endsWith('/export')) calls.push({ method, path, requestId: '' });
    // Logging out and deleting the workspace go last: they end the session and the workspace.
    const last = (c: { path: string; method: string }) =>
      c.path.endsWith('/auth/logout')
        ? 2
        : c.method === 'delete' && c.path === '/api/v1/workspaces/{workspaceId}'
          ? 1
          : 0;
    calls.sort((a, b) => last(a) - last(b));
    expect(calls.length).toBeGreaterThan(40);
    for (const [i, c] of calls.entries()) {
      c.requestId = `audit-walk-${i}`;
      // Ids with a pattern of their own (upload ids are UUIDs) get a well-formed unknown one.
      const url = c.path
        .replace('{workspaceId}', ws)
        .replace('{uploadId}', '00000000-0000-4000-8000-000000000000')
        .replace(/\{[^}]+\}/g, 'nope');
      await t.call(c.method.toUpperCase(), url, {
        token,
        body: c.method === 'delete' || c.method === 'get' ? undefined : {},
        headers: { 'x-request-id': c.requestId },
      });
    }
    const byRequest = new Map((await entries()).map((e) => [e.requestId, e]));
    const missing = calls.filter((c) => !byRequest.has(c.requestId)).map((c) => `${c.method} ${c.path}`);
    expect(missing).toEqual([]);
    // The owner is a member until the workspace is deleted: refusals and failures too go to its chain.
    const outside = calls
      .filter((c) => c.path.includes('{workspaceId}') && last(c) === 0)
      .filter((c) => byRequest.get(c.requestId)?.workspaceId !== ws)
      .map((c) => `${c.method} ${c.path}`);
    expect(outside).toEqual([]);
    const verified = await hostAudit(t.host.runtime).log.verify(ws);
    expect(verified.ok).toBe(true);
  });

  it.skipIf(skip)('records a successful login under the user who signed in', async () => {
    const me = await t.call('POST', '/api/v1/auth/login', {
      body: { email: 'owner@example.com', password: 'owner-password' },
      headers: { 'x-request-id': 'good-login' },
    });
    const entry = (await entries()).find((e) => e.requestId === 'good-login');
    expect(entry).toMatchObject({
      action: 'auth.login',
      outcome: 'success',
      actor: { type: 'user', id: me.body.user.id },
    });
  });

  it.skipIf(skip)('records failed logins as denied, under the claimed email, without the password', async () => {
    await t.call('POST', '/api/v1/auth/login', {
      body: { email: 'owner@example.com', password: 'wrong-password-123' },
      headers: { 'x-request-id': 'bad-login', 'user-agent': 'audit-test' },
    });
    const entry = (await entries()).find((e) => e.requestId === 'bad-login');
    expect(entry).toMatchObject({
      workspaceId: INSTANCE_AUDIT_CHAIN,
      action: 'auth.login',
      outcome: 'denied',
      actor: { type: 'anonymous', id: 'owner@example.com' },
      userAgent: 'audit-test',
      changes: { fields: ['email', 'password'], httpStatus: 401 },
    });
    expect(JSON.stringify(entry)).not.toContain('wrong-password-123');
  });
});
