import { serviceUrl } from '@weft/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditVerifyCommand } from '../cli/audit-verify-command.js';
import { hostAudit } from '../compliance/host-audit.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');

describe.each(sqliteAndPostgres(pg))('audit log API on %s', (title, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  let editorKey: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    if (skip) return;
    const backend = await open();
    drop = backend.drop;
    t = await startTestHost(backend.env);
    env = { ...backend.env, WEFT_DATA_DIR: t.host.runtime.config.dataDir };
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    for (const name of ['One', 'Two', 'Three'])
      await t.call('PATCH', `/api/v1/workspaces/${ws}`, { token, body: { name } });
    const key = await t.call('POST', `/api/v1/workspaces/${ws}/api-keys`, {
      token,
      body: { name: 'editor', role: 'editor' },
    });
    editorKey = key.body.key;
    await hostAudit(t.host.runtime).settled();
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)('lists entries newest first with filters and a cursor', async () => {
    const first = await t.call('GET', `/api/v1/workspaces/${ws}/audit-log?action=workspace.&limit=2`, { token });
    expect(first.status).toBe(200);
    expect(first.body.items.map((e: { changes: { name: string } }) => e.changes.name)).toEqual(['Three', 'Two']);
    const next = await t.call(
      'GET',
      `/api/v1/workspaces/${ws}/audit-log?action=workspace.&limit=2&cursor=${first.body.nextCursor}`,
      { token },
    );
    expect(next.body.items.map((e: { changes: { name: string } }) => e.changes.name)).toEqual(['One']);
    expect(next.body.nextCursor).toBeNull();
    const keys = await t.call('GET', `/api/v1/workspaces/${ws}/audit-log?action=api-key.create&outcome=success`, {
      token,
    });
    expect(keys.body.items).toHaveLength(1);
    expect(JSON.stringify(keys.body)).not.toContain(editorKey);
    const bad = await t.call('GET', `/api/v1/workspaces/${ws}/audit-log?from=10&to=5`, { token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('to');
  });

  it.skipIf(skip)('verifies the chain', async () => {
    const v = await t.call('GET', `/api/v1/workspaces/${ws}/audit-log/verify`, { token });
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ workspaceId: ws, ok: true, entries: 4 });
  });

  it.skipIf(skip)('is for admins and owners only, and the refusal is itself recorded', async () => {
    const denied = await t.call('GET', `/api/v1/workspaces/${ws}/audit-log`, {
      headers: { authorization: `Bearer ${editorKey}`, 'x-request-id': 'editor-reads-audit' },
    });
    expect(denied.status, JSON.stringify(denied.body)).toBe(403);
    expect((await t.call('GET', `/api/v1/workspaces/${ws}/audit-log/verify`, { token: editorKey })).status).toBe(403);
    await hostAudit(t.host.runtime).settled();
    const denials = await hostAudit(t.host.runtime).log.list({ workspaceId: ws, outcome: 'denied', limit: 10 });
    expect(denials.map((e) => [e.action, e.actor.type])).toEqual([
      ['audit-log.verify', 'api-key'],
      ['audit-log.read', 'api-key'],
    ]);
    expect(denials[1]?.requestId).toBe('editor-reads-audit');
  });

  it.skipIf(skip)('weft audit verify names an entry edited in the database', async () => {
    const lines: string[] = [];
    expect(await auditVerifyCommand({ workspace: ws }, (l) => lines.push(l), env)).toBe(0);
    expect(lines.join('\n')).toMatch(new RegExp(`${ws}: ok — \\d+ entries`));
    const off = title === 'SQLite' ? 'drop trigger audit_log_no_update' : 'alter table audit_log disable trigger user';
    await sql.raw(off).execute(t.host.runtime.h.db);
    await sql
      .raw(
        `update audit_log set changes = '{"fields":["name"],"name":"Forged"}' where workspace_id = '${ws}' and position = 2`,
      )
      .execute(t.host.runtime.h.db);
    lines.length = 0;
    expect(await auditVerifyCommand({}, (l) => lines.push(l), env)).toBe(1);
    expect(lines.join('\n')).toContain(`${ws}: BROKEN at entry 2`);
  });
});
