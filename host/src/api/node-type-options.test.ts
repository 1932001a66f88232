import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

// An OpenAI-compatible API on loopback: the openai connector's `listModels` loader reads /models
// from the base URL stored in the credential.
let api: Server;
let apiBase: string;
let t: TestHost;
let token: string;
let ws: string;

beforeAll(async () => {
  api = createServer((req, res) => {
    if (req.headers.authorization !== 'Bearer sk-good') {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Incorrect API key sk-bad' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: [{ id: 'gpt-small' }, { id: 'gpt-large' }, { id: 'embed-1' }] }));
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  t = await startTestHost({ WEFT_HTTP_ALLOW: '127.0.0.1' });
  token = await t.login('owner@example.com', 'owner-password');
  ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
});

afterAll(async () => {
  await t?.close();
  await new Promise((r) => api.close(r));
});

async function credential(key: string): Promise<string> {
  const res = await t.call('POST', `/api/v1/workspaces/${ws}/credentials`, {
    token,
    body: { type: 'openai.apiKey', name: `key ${key}`, data: { token: key, baseUrl: `${apiBase}/v1` } },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('the editor catalogue routes', () => {
  it('describes connector node types with category, aliases, icon and trigger kind', async () => {
    const res = await t.call('GET', '/api/v1/node-types', { token });
    const byType = new Map((res.body.items as { type: string }[]).map((i) => [i.type, i as Record<string, unknown>]));
    expect(byType.get('weft.webhook')).toMatchObject({ trigger: true, inputs: [], triggerKind: 'webhook' });
    expect(byType.get('slack.sendMessage')).toMatchObject({
      category: 'Slack',
      credentials: { auth: { types: ['slack.botToken', 'slack.oauth2'], required: true } },
    });
    expect(String(byType.get('slack.sendMessage')?.icon)).toMatch(/^data:image\/svg\+xml,/);
    expect(byType.get('http.request')?.aliases).toContain('api');
  });

  it('lists credential types with their form fields, connector and whether they can be tested', async () => {
    expect((await t.call('GET', '/api/v1/credential-types')).status).toBe(401);
    const res = await t.call('GET', '/api/v1/credential-types', { token });
    expect(res.status).toBe(200);
    const slack = (res.body.items as { type: string }[]).find((i) => i.type === 'slack.botToken');
    expect(slack).toMatchObject({
      kind: 'bearer',
      connector: 'slack',
      connectorDisplayName: 'Slack',
      testable: true,
      fields: { token: { kind: 'string', secret: true, required: true } },
    });
    const oauth = (res.body.items as { type: string }[]).find((i) => i.type === 'slack.oauth2');
    expect(oauth).toMatchObject({ kind: 'oauth2', grant: 'authorizationCode' });
  });

  it('loads a dynamic dropdown through the connector with the chosen credential, filtered by the search', async () => {
    const id = await credential('sk-good');
    const path = `/api/v1/workspaces/${ws}/node-types/options`;
    const res = await t.call('POST', path, {
      token,
      body: { nodeType: 'openai.chat', loader: 'listModels', credentialId: id, search: 'gpt' },
    });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      { value: 'gpt-large', label: 'gpt-large' },
      { value: 'gpt-small', label: 'gpt-small' },
    ]);
  });

  it('answers a clear error naming what is wrong: unknown type, unknown loader, missing credential, refused key', async () => {
    const path = `/api/v1/workspaces/${ws}/node-types/options`;
    const unknownType = await t.call('POST', path, { token, body: { nodeType: 'nope.thing', loader: 'x' } });
    expect(unknownType.status).toBe(404);
    expect(unknownType.body.errors[0].path).toBe('/nodeType');
    const unknownLoader = await t.call('POST', path, {
      token,
      body: { nodeType: 'openai.chat', loader: 'listNothing' },
    });
    expect(unknownLoader.status).toBe(404);
    expect(unknownLoader.body.errors[0].path).toBe('/loader');
    const missing = await t.call('POST', path, {
      token,
      body: { nodeType: 'openai.chat', loader: 'listModels', credentialId: 'cred_missing' },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].path).toBe('/credentialId');
    const refused = await t.call('POST', path, {
      token,
      body: { nodeType: 'openai.chat', loader: 'listModels', credentialId: await credential('sk-bad') },
    });
    expect(refused.status).toBe(502);
    expect(refused.body.detail ?? refused.body.title).toContain('Could not load the options');
    expect(JSON.stringify(refused.body)).not.toContain('sk-bad');
  });

  it('a failed credential test names the HTTP status and the host it called', async () => {
    const id = await credential('sk-bad');
    const res = await t.call('POST', `/api/v1/workspaces/${ws}/credentials/${id}/test`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: false, status: 401, host: new URL(apiBase).host });
  });
});
