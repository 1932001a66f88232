import { executionAsyncResource } from 'node:async_hooks';
import { serviceUrl } from '@weft/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { hostAudit } from './host-audit.js';

const pg = await serviceUrl('pg');

const flow = (id: string) => ({
  id,
  name: id,
  nodes: [{ id: 'manual', name: 'Manual', type: 'weft.manualTrigger', parameters: {} }],
  connections: [],
});

describe.each(sqliteAndPostgres(pg))('audit entries in the transaction of the change on %s', (title, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  const api = (path: string) => `/api/v1/workspaces/${ws}${path}`;
  const entries = async (action: string) => {
    await hostAudit(t.host.runtime).settled();
    return (await hostAudit(t.host.runtime).log.list({ workspaceId: ws, action, limit: 50 })).map((e) => ({
      id: e.resource.id,
      outcome: e.outcome,
      status: e.changes?.httpStatus,
    }));
  };
  /** Makes the database refuse audit entries matching `when` (an audit store failing mid-write). */
  async function breakAudit(when: string) {
    const { db } = t.host.runtime.h;
    if (title === 'SQLite')
      await sql
        .raw(
          `create trigger audit_down before insert on audit_log when ${when} begin select raise(abort, 'audit down'); end`,
        )
        .execute(db);
    else {
      await sql
        .raw(
          `create function audit_down() returns trigger language plpgsql as $$ begin if ${when.replaceAll('new.', 'NEW.')} then raise exception 'audit down'; end if; return NEW; end $$`,
        )
        .execute(db);
      await sql
        .raw('create trigger audit_down before insert on audit_log for each row execute function audit_down()')
        .execute(db);
    }
  }
  async function repairAudit() {
    const { db } = t.host.runtime.h;
    await sql.raw(title === 'SQLite' ? 'drop trigger audit_down' : 'drop trigger audit_down on audit_log').execute(db);
    if (title !== 'SQLite') await sql.raw('drop function audit_down()').execute(db);
  }

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

  it.skipIf(skip)('records each workflow and credential change once, with the change', async () => {
    expect((await t.call('POST', api('/workflows'), { token, body: flow('kept') })).status).toBe(201);
    expect((await t.call('POST', api('/workflows/kept/activate'), { token })).status).toBe(200);
    const cred = await t.call('POST', api('/credentials'), {
      token,
      body: { type: 'http.bearer', name: 'hook secret', data: { token: 's3cret-value-123' } },
    });
    expect(cred.status, cred.text).toBe(201);
    expect((await t.call('DELETE', api(`/credentials/${cred.body.id}`), { token })).status).toBe(204);
    expect((await t.call('DELETE', api('/workflows/missing'), { token })).status).toBe(404);
    expect(await entries('workflow.create')).toEqual([{ id: 'kept', outcome: 'success', status: 201 }]);
    expect(await entries('workflow.activate')).toEqual([{ id: 'kept', outcome: 'success', status: 200 }]);
    expect(await entries('credential.create')).toEqual([{ id: cred.body.id, outcome: 'success', status: 201 }]);
    expect(await entries('credential.delete')).toEqual([{ id: cred.body.id, outcome: 'success', status: 204 }]);
    expect(await entries('workflow.delete')).toEqual([{ id: 'missing', outcome: 'failure', status: 404 }]);
  });

  it.skipIf(skip)('leaves async-hooks promise tracking off once the audited request is answered', async () => {
    expect((await t.call('POST', api('/workflows'), { token, body: flow('hooks-off') })).status).toBe(201);
    expect(await entries('workflow.create')).toContainEqual({ id: 'hooks-off', outcome: 'success', status: 201 });
    await Promise.resolve();
    // While an AsyncLocalStorage is enabled (Node 20), a promise continuation runs in its promise's
    // own async resource: every promise of the process, webhook executions included, pays for it.
    expect(executionAsyncResource()).not.toBeInstanceOf(Promise);
  });

  it.skipIf(skip)('rolls the change back when its audit entry cannot be written', async () => {
    await breakAudit(`new.resource_id = 'doomed' or new.action = 'credential.create'`);
    try {
      const wf = await t.call('POST', api('/workflows'), { token, body: flow('doomed') });
      expect(wf.status).toBe(500);
      expect((await t.call('GET', api('/workflows/doomed'), { token })).status).toBe(404);
      const cred = await t.call('POST', api('/credentials'), {
        token,
        body: { type: 'http.bearer', name: 'never stored', data: { token: 'v4lue-never-kept' } },
      });
      expect(cred.status).toBe(500);
      const list = await t.call('GET', api('/credentials'), { token });
      expect(list.body.items.map((c: { name: string }) => c.name)).not.toContain('never stored');
    } finally {
      await repairAudit();
    }
    // The refused requests are recorded as failures after their responses, and the chain holds.
    expect(await entries('workflow.create')).toContainEqual({ id: null, outcome: 'failure', status: 500 });
    expect((await t.call('GET', api('/audit-log/verify'), { token })).body.ok).toBe(true);
  });
});
