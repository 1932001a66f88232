import { randomBytes } from 'node:crypto';
import { serviceUrl } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsAsText, tablesWith } from '../testing/database-dump.js';
import { startTwoRegionHost, type TwoRegionHost } from '../testing/two-region-host.js';

const pgService = await serviceUrl('pg');

describe.skipIf(pgService.skip)(pgService.title('webhook paths across two Postgres regions'), () => {
  const tag = randomBytes(4).toString('hex');
  const path = `orders-${tag}`;
  let h: TwoRegionHost;
  const ws = { eu: '', us: '' };
  const api = (p: string) => `/api/v1/workspaces/${p}`;
  const hookFlow = (region: 'eu' | 'us', methods = ['POST']) => ({
    id: `${region}-hook-${tag}`,
    name: `${region} hook`,
    nodes: [
      { id: 'hook', name: 'Hook', type: 'weft.webhook', parameters: { path, methods, responseMode: 'lastNode' } },
      {
        id: 'mark',
        name: 'Mark',
        type: 'weft.set',
        parameters: { fields: [{ name: 'servedBy', value: `${region.toUpperCase()}-${tag}` }] },
      },
    ],
    connections: [{ source: 'hook', target: 'mark' }],
  });
  const save = async (region: 'eu' | 'us', methods?: string[]) => {
    const id = `${region}-hook-${tag}`;
    const exists = (await h.t.call('GET', api(`${ws[region]}/workflows/${id}`), { token: h.token })).status === 200;
    const r = exists
      ? await h.t.call('PUT', api(`${ws[region]}/workflows/${id}`), { token: h.token, body: hookFlow(region, methods) })
      : await h.t.call('POST', api(`${ws[region]}/workflows`), { token: h.token, body: hookFlow(region, methods) });
    expect(r.status, r.text).toBe(exists ? 200 : 201);
  };
  const activate = (region: 'eu' | 'us') =>
    h.t.call('POST', api(`${ws[region]}/workflows/${region}-hook-${tag}/activate`), { token: h.token });
  const registry = async () => {
    const c = new pg.Client({ connectionString: h.urls.control });
    await c.connect();
    try {
      return (await c.query('select method, path, region from webhook_paths where path = $1 order by method', [path]))
        .rows;
    } finally {
      await c.end();
    }
  };

  beforeAll(async () => {
    h = await startTwoRegionHost(pgService.url());
    ws.eu = await h.workspace('Hooks EU', 'eu');
    ws.us = await h.workspace('Hooks US', 'us');
  }, 180_000);
  afterAll(() => h?.close());

  it('refuses a path another region holds, whatever the method, and sends requests to the holder', async () => {
    await save('eu');
    expect((await activate('eu')).status).toBe(200);
    expect(await registry()).toEqual([{ method: 'POST', path, region: 'eu' }]);

    await save('us');
    const taken = await activate('us');
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'webhook-path-taken' });
    expect(taken.body.detail).toContain(`/hooks/${path}`);
    // Another method on the same path is refused too: a path belongs to one region.
    await save('us', ['GET']);
    expect((await activate('us')).status).toBe(409);
    expect(await registry()).toEqual([{ method: 'POST', path, region: 'eu' }]);

    const hook = await h.t.call('POST', `/hooks/${path}`, { body: { order: `EU-ORDER-${tag}` } });
    expect(hook.status, hook.text).toBe(200);
    expect(hook.text).toContain(`EU-${tag}`);
    const wrongMethod = await h.t.call('GET', `/hooks/${path}`);
    expect(wrongMethod.status).toBe(405);
  });

  it('hands a released path to the other region, and routes it there', async () => {
    const off = await h.t.call('POST', api(`${ws.eu}/workflows/eu-hook-${tag}/deactivate`), { token: h.token });
    expect(off.status, off.text).toBe(200);
    expect(await registry()).toEqual([]);
    expect((await activate('us')).status).toBe(200);
    expect(await registry()).toEqual([{ method: 'GET', path, region: 'us' }]);
    const hook = await h.t.call('GET', `/hooks/${path}?order=US-ORDER-${tag}`);
    expect(hook.status, hook.text).toBe(200);
    expect(hook.text).toContain(`US-${tag}`);
    // The EU workflow cannot take it back while the US one holds it.
    expect((await activate('eu')).status).toBe(409);
  });

  it('releases the path when its workflow is deleted', async () => {
    const del = await h.t.call('DELETE', api(`${ws.us}/workflows/us-hook-${tag}`), { token: h.token });
    expect(del.status, del.text).toBe(204);
    expect(await registry()).toEqual([]);
    expect((await h.t.call('GET', `/hooks/${path}`)).status).toBe(404);
  });

  it("keeps the EU workspace's webhook runs out of the US database, and only path -> region in the control one", async () => {
    const [us, eu, control] = await Promise.all([h.urls.us, h.urls.eu, h.urls.control].map(rowsAsText));
    for (const needle of [ws.eu, `EU-ORDER-${tag}`, `EU-${tag}`, `eu-hook-${tag}`])
      expect(tablesWith(us, needle), `US rows holding ${needle}`).toEqual([]);
    expect(tablesWith(eu, `EU-ORDER-${tag}`)).toEqual(expect.arrayContaining(['public.executions']));
    for (const needle of [`EU-ORDER-${tag}`, `US-ORDER-${tag}`, `EU-${tag}`])
      expect(tablesWith(control, needle), `control rows holding ${needle}`).toEqual([]);
  });
});
