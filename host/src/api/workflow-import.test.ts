import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const corpus = new URL('../../../packages/importers/corpus/', import.meta.url).pathname;
const read = (file: string) => JSON.parse(readFileSync(`${corpus}${file}`, 'utf8'));

describe('POST /workspaces/:id/workflows/import with n8n and Node-RED', () => {
  let t: TestHost;
  let token: string;
  let url: string;
  beforeAll(async () => {
    t = await startTestHost();
    token = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    url = `/api/v1/workspaces/${ws}/workflows/import`;
  });
  afterAll(() => t.close());

  it('dry run converts an n8n export and answers the report and the workflows, storing nothing', async () => {
    const res = await t.call('POST', `${url}?dryRun=true`, { token, body: read('n8n/export-all.json') });
    expect(res.status).toBe(200);
    expect(res.body.format).toBe('n8n');
    expect(res.body.items).toEqual([]);
    expect(res.body.workflows.map((w: { name: string }) => w.name)).toEqual([
      'GitHub issues to sheet',
      'RSS digest with AI',
    ]);
    expect(res.body.report.summary).toMatchObject({ workflows: 2, nodes: 12 });
    expect(
      res.body.report.workflows[1].nodes.find((n: { source: string }) => n.source === 'Archive on FTP').status,
    ).toBe('unsupported');
    const list = await t.call('GET', url.replace('/import', ''), { token });
    expect(list.body.items.map((w: { name: string }) => w.name)).not.toContain('RSS digest with AI');
  });

  it('stores Node-RED tabs (format detected) and n8n workflows (format given)', async () => {
    const red = await t.call('POST', url, { token, body: read('node-red/flows.json') });
    expect(red.status).toBe(200);
    expect(red.body.format).toBe('node-red');
    expect(red.body.items.map((i: { name: string; version: number }) => [i.name, i.version])).toEqual([
      ['Orders API', 1],
      ['Sensor batch', 1],
    ]);
    const n8n = await t.call('POST', `${url}?from=n8n`, { token, body: read('n8n/nightly-report.json') });
    expect(n8n.body.items).toHaveLength(1);
    const stored = await t.call('GET', `${url.replace('/import', '')}/${n8n.body.items[0].id}`, { token });
    expect(stored.body.workflow.nodes.map((n: { type: string }) => n.type)).toEqual([
      'weft.schedule',
      'postgres.query',
      'weft.aggregate',
      'weft.code',
      'email.sendEmail',
    ]);
  });

  it('still takes Weft export documents, and checks them on a dry run without storing', async () => {
    const wf = {
      id: 'weft-doc',
      name: 'Weft doc',
      nodes: [{ id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] }],
      connections: [],
    };
    const dry = await t.call('POST', `${url}?dryRun=true`, { token, body: { workflows: [wf] } });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ format: 'weft', items: [], workflows: [{ id: 'weft-doc' }] });
    expect(dry.body.report).toBeUndefined();
    expect((await t.call('GET', `${url.replace('/import', '')}/weft-doc`, { token })).status).toBe(404);
    const saved = await t.call('POST', url, { token, body: { workflows: [wf] } });
    expect(saved.body.items).toMatchObject([{ id: 'weft-doc', name: 'Weft doc', version: 1 }]);
    const empty = await t.call('POST', `${url}?from=weft`, { token, body: { workflows: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0]).toMatchObject({ in: 'body', path: '/workflows' });
  });

  it('answers 400 naming what is wrong and where', async () => {
    const unknown = await t.call('POST', url, { token, body: { hello: 'world' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('unknown-import-format');
    const bad = await t.call('POST', `${url}?from=n8n`, { token, body: [{ name: 'x', nodes: [{ name: 'n' }] }] });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('invalid-import');
    expect(bad.body.errors).toEqual([
      { in: 'body', path: '/0/nodes/0', message: 'expected a node with a name and a type' },
    ]);
    expect((await t.call('POST', `${url}?from=zapier`, { token, body: {} })).status).toBe(400);
  });
});
