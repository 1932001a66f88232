import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');

const flow = {
  id: 'two-doors',
  name: 'Two doors',
  nodes: [
    { id: 'manual', name: 'Manual', type: 'weft.manualTrigger', parameters: {} },
    { id: 'set', name: 'Set', type: 'weft.set', parameters: { fields: [{ name: 'ok', value: 'yes' }] } },
  ],
  connections: [{ source: 'manual', target: 'set' }],
};

describe.each(sqliteAndPostgres(pg))('POST workflows/:id/run on %s', (_name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    t = await startTestHost(o.env);
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: flow })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)('refuses an unknown startNodeId with 400 and creates no execution', async () => {
    for (const wait of [false, true]) {
      const r = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/two-doors/run`, {
        token,
        body: { startNodeId: 'nope', wait },
      });
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ errors: [{ in: 'body', path: '/startNodeId', message: 'Unknown node' }] });
      expect(r.body.detail ?? r.body.title).toContain('nope');
    }
    const list = await t.call('GET', `/api/v1/workspaces/${ws}/executions`, { token });
    expect(list.body.items).toEqual([]);
    const ok = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/two-doors/run`, {
      token,
      body: { startNodeId: 'manual', wait: true },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.result).toMatchObject({ status: 'succeeded', output: [{ json: { ok: 'yes' } }] });
  });
});
