import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const corpus = new URL('../../../packages/importers/corpus/', import.meta.url).pathname;
const read = (file: string) => JSON.parse(readFileSync(`${corpus}${file}`, 'utf8'));

describe('POST /workspaces/:id/workflows/import/external', () => {
  let t: TestHost;
  let token: string;
  let url: string;
  beforeAll(async () => {
    t = await startTestHost();
    token = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    url = `/api/v1/workspaces/${ws}/workflows/import/external`;
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
    const list = await t.call('GET', url.replace('/import/external', ''), { token });
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
    const stored = await t.call('GET', `${url.replace('/import/external', '')}/${n8n.body.items[0].id}`, { token });
    expect(stored.body.workflow.nodes.map((n: { type: string }) => n.type)).toEqual([
      'weft.schedule',
      'postgres.query',
      'weft.aggregate',
      'weft.code',
      'email.sendEmail',
    ]);
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
