import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

// Issue 4: secrets are redacted from execution data (the API and the SQLite file) and from logs,
// even when an API echoes them back or a caller puts them where they do not belong.
const secret = (p: string) => `${p}_${randomBytes(12).toString('hex')}`;
const BEARER = secret('bearer');
const API_KEY = secret('apikey');
const QUERY_KEY = secret('qkey');
const HOOK = secret('hook');
const ALL = [BEARER, API_KEY, QUERY_KEY, HOOK];

let echo: Server;
let echoUrl: string;
const seen: Array<{ url: string; headers: Record<string, unknown> }> = [];
const logs: string[] = [];
let t: TestHost;
let token: string;
let ws: string;

beforeAll(async () => {
  // Answers with what it was sent, as debug endpoints do; /fail does so in a 400.
  echo = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://x');
    const body = JSON.stringify({ url: req.url, headers: req.headers, query: Object.fromEntries(url.searchParams) });
    res.writeHead(url.pathname === '/fail' ? 400 : 200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  t = await startTestHost({ WEFT_HTTP_ALLOW: '127.0.0.1/32' }, { log: { write: (line: string) => logs.push(line) } });
  token = await t.login('owner@example.com', 'owner-password');
  ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
});
afterAll(async () => {
  await t?.close();
  await new Promise((r) => echo?.close(r));
});

async function credential(type: string, data: Record<string, string>): Promise<string> {
  const r = await t.call('POST', `/api/v1/workspaces/${ws}/credentials`, { token, body: { type, name: type, data } });
  expect(r.status).toBe(201);
  return r.body.id;
}

const request = (id: string, path: string, credentialId: string) => ({
  id,
  name: id,
  type: 'http.request',
  typeVersion: 1,
  parameters: { url: `${echoUrl}${path}`, retries: 0 },
  credentials: { auth: credentialId },
});

/** Every byte SQLite keeps for the host: the database, its WAL and shared memory. */
function databaseBytes(): Buffer {
  const dir = t.host.runtime.config.dataDir;
  return Buffer.concat(
    readdirSync(dir)
      .filter((f) => f.startsWith('weft.db'))
      .map((f) => readFileSync(join(dir, f))),
  );
}

describe('secrets stay out of execution data and logs', () => {
  it('HTTP Request nodes with bearer, API-key header and query credentials: API, node runs and SQLite file', async () => {
    const bearer = await credential('http.bearer', { token: BEARER });
    const header = await credential('http.headerAuth', { name: 'X-Api-Key', value: API_KEY });
    const query = await credential('http.queryAuth', { name: 'api_key', value: QUERY_KEY });
    const workflow = {
      id: 'echo',
      name: 'Echo',
      nodes: [
        { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
        request('bearer', '/echo', bearer),
        request('header', '/echo', header),
        request('query', '/echo?page=2', query),
      ],
      connections: [
        { source: 't', target: 'bearer' },
        { source: 'bearer', target: 'header' },
        { source: 'header', target: 'query' },
      ],
    };
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: workflow })).status).toBe(201);
    const run = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/echo/run`, { token, body: { wait: true } });
    expect(run.status).toBe(200);
    expect(run.body.result.status).toBe('succeeded');
    // The API received every secret...
    expect(seen.at(-3)?.headers.authorization).toBe(`Bearer ${BEARER}`);
    expect(seen.at(-2)?.headers['x-api-key']).toBe(API_KEY);
    expect(seen.at(-1)?.url).toBe(`/echo?page=2&api_key=${QUERY_KEY}`);
    // ...and the run's answer, the executions API and the database hold none of them.
    const detail = await t.call('GET', `/api/v1/workspaces/${ws}/executions/${run.body.executionId}`, { token });
    const list = await t.call('GET', `/api/v1/workspaces/${ws}/executions?workflowId=echo`, { token });
    for (const text of [run.text, detail.text, list.text]) for (const s of ALL) expect(text).not.toContain(s);
    const output = (nodeId: string) =>
      detail.body.nodeRuns.find((r: { nodeId: string }) => r.nodeId === nodeId).output.main[0].json;
    expect(output('bearer').headers.authorization).toBe('Bearer [REDACTED]');
    expect(output('header').headers['x-api-key']).toBe('[REDACTED]');
    expect(output('query')).toMatchObject({ url: '/echo?page=2&api_key=[REDACTED]', query: { api_key: '[REDACTED]' } });
    const bytes = databaseBytes();
    expect(bytes.includes(Buffer.from('/echo?page=2&api_key=[REDACTED]'))).toBe(true); // node runs are in the file
    for (const s of ALL) {
      expect(bytes.includes(Buffer.from(s))).toBe(false);
      expect(bytes.includes(Buffer.from(s, 'utf16le'))).toBe(false);
    }
  });

  it('knows the connectors auth schemes: a credential without its required secret is refused by name', async () => {
    const r = await t.call('POST', `/api/v1/workspaces/${ws}/credentials`, {
      token,
      body: { type: 'http.bearer', name: 'empty', data: {} },
    });
    expect(r.status).toBe(422);
    expect(r.body.detail).toBe('Credential of type http.bearer needs field "token" (Token)');
  });

  it('a header-secret webhook stores its trigger item redacted; the failure it causes is logged without secrets', async () => {
    const hookCred = await credential('weft.webhookHeaderSecret', { header: 'x-hook-token', secret: HOOK });
    const bearer = await credential('http.bearer', { token: BEARER });
    const path = `secured-${randomBytes(4).toString('hex')}`;
    const workflow = {
      id: 'secured',
      name: 'Secured hook',
      nodes: [
        {
          id: 'hook',
          name: 'Hook',
          type: 'weft.webhook',
          parameters: { path, methods: ['POST'], responseMode: 'lastNode' },
          credentials: { auth: hookCred },
        },
        request('call', '/fail', bearer),
      ],
      connections: [{ source: 'hook', target: 'call' }],
    };
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: workflow });
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows/secured/activate`, { token })).status).toBe(200);
    // The caller also (wrongly) repeats the secret in the query string.
    const hook = await t.call('POST', `/hooks/${path}?token=${HOOK}`, {
      body: { order: 7 },
      headers: { 'x-hook-token': HOOK, cookie: 'session=abc123' },
    });
    expect(hook.status).toBe(500);
    expect(hook.text).toContain('HTTP 400');
    const executionId = hook.headers.get('x-weft-execution-id');
    const detail = await t.call('GET', `/api/v1/workspaces/${ws}/executions/${executionId}`, { token });
    expect(detail.body.status).toBe('failed');
    const item = detail.body.nodeRuns.find((r: { nodeId: string }) => r.nodeId === 'hook').output.main[0].json;
    expect(item.headers['x-hook-token']).toBe('[REDACTED]');
    expect(item.headers.cookie).toBe('[REDACTED]');
    expect(item.query).toEqual({ token: '[REDACTED]' });
    expect(item.body).toEqual({ order: 7 });
    expect(detail.body.error.message).toContain('Bearer [REDACTED]');
    for (const text of [hook.text, detail.text]) for (const s of ALL) expect(text).not.toContain(s);
    const bytes = databaseBytes();
    for (const s of ALL) expect(bytes.includes(Buffer.from(s))).toBe(false);

    // The 500 is logged with the request URL, query included: the vault's secrets are gone from it.
    const lines = logs.map((l) => JSON.parse(l) as { msg: string; url?: string; headers?: unknown });
    const failed = lines.find((l) => l.msg === 'request failed' && l.url?.startsWith(`/hooks/${path}`));
    expect(failed?.url).toBe(`/hooks/${path}?token=[REDACTED]`);
    const all = logs.join('');
    for (const s of ALL) expect(all).not.toContain(s);
  });
});
