import { randomBytes } from 'node:crypto';
import {
  builtinNodeTypes,
  type JsonObject,
  type JsonValue,
  MemoryCredentialRecordStore,
  MemoryExecutionStore,
  NodeRegistry,
  type Workflow,
  WorkflowEngine,
} from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Auth } from '../auth/auth-scheme.js';
import { OAuth2TokenManager } from '../auth/oauth2-token-manager.js';
import { httpRequestConnector } from '../connectors/http-request/http-request.js';
import { createHttpClient } from '../http/http-client.js';
import { type LocalServer, sendJson, startLocalServer } from '../testing/local-server.js';
import { runNode } from '../testing/node-context.js';
import { pollTrigger } from '../triggers/trigger-runners.js';
import { CredentialVault } from '../vault/credential-vault.js';
import { connectorNodeTypes } from './connector-node-types.js';
import { credentialRedactor, redactItems } from './credential-redaction.js';
import { defineAction } from './define-action.js';
import { defineConnector } from './define-connector.js';
import { defineTrigger } from './define-trigger.js';
import { testCredential } from './test-credential.js';

const secret = (p: string) => `${p}_${randomBytes(10).toString('hex')}`;
const BEARER = secret('bearer');
const QUERY_KEY = secret('qkey');
const PASSWORD = secret('pw');
const issued: string[] = [];

// Echoes what it was sent — headers, query, URL — as APIs with debug endpoints (httpbin) do; /fail
// does so in an error response; /token issues client-credentials access tokens.
let api: LocalServer;
beforeAll(async () => {
  api = await startLocalServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const echo = { url: req.url, headers: req.headers as JsonObject, query: Object.fromEntries(url.searchParams) };
    if (url.pathname === '/token') {
      const access = secret('at');
      issued.push(access);
      return sendJson(res, 200, { access_token: access, token_type: 'Bearer', expires_in: 3600 });
    }
    if (url.pathname === '/fail') return sendJson(res, 400, { message: 'rejected', echo });
    return sendJson(res, 200, echo);
  });
});
afterAll(() => api.close());

const http = createHttpClient({ allow: ['127.0.0.1/32'] });
const runtime = { http };

function engineWithVault() {
  const vault = new CredentialVault({
    store: new MemoryCredentialRecordStore(),
    masterKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }],
  });
  const registry = new NodeRegistry().register(
    ...builtinNodeTypes,
    ...connectorNodeTypes(httpRequestConnector, runtime),
  );
  const executions = new MemoryExecutionStore();
  return { vault, executions, engine: new WorkflowEngine({ registry, credentials: vault, executions }) };
}

const request = (id: string, path: string, credentialId: string) => ({
  id,
  name: id,
  type: 'http.request',
  typeVersion: 1,
  parameters: { url: `${api.url}${path}`, retries: 0, fullResponse: true },
  credentials: { auth: credentialId },
});

describe('execution data of connector nodes with credentials', () => {
  it('HTTP Request outputs carry no bearer, query-key or basic secret, though the API echoed them', async () => {
    const { vault, executions, engine } = engineWithVault();
    const ws = 'ws1';
    const bearer = await vault.create({ workspaceId: ws, type: 'http.bearer', name: 'B', data: { token: BEARER } });
    const query = await vault.create({
      workspaceId: ws,
      type: 'http.queryAuth',
      name: 'Q',
      data: { name: 'api_key', value: QUERY_KEY },
    });
    const basic = await vault.create({
      workspaceId: ws,
      type: 'http.basic',
      name: 'P',
      data: { username: 'ada', password: PASSWORD },
    });
    const workflow: Workflow = {
      name: 'Echo',
      nodes: [
        { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
        request('bearer', '/echo', bearer.id),
        request('query', '/echo?page=2', query.id),
        request('basic', '/echo', basic.id),
      ],
      connections: [
        { source: 't', target: 'bearer' },
        { source: 'bearer', target: 'query' },
        { source: 'query', target: 'basic' },
      ],
    };
    const result = await engine.execute(workflow, { workspaceId: ws });
    expect(result.status).toBe('succeeded');
    // The API did receive the secrets...
    const seen = api.requests.slice(-3);
    expect(seen[0]?.headers.authorization).toBe(`Bearer ${BEARER}`);
    expect(seen[1]?.url).toContain(`api_key=${QUERY_KEY}`);
    expect(seen[2]?.headers.authorization).toBe(`Basic ${Buffer.from(`ada:${PASSWORD}`).toString('base64')}`);
    // ...and nothing the execution stores or returns holds them.
    const runs = await executions.listNodeRuns(result.executionId);
    const stored = JSON.stringify({ record: await executions.get(ws, result.executionId), runs, result });
    for (const s of [BEARER, QUERY_KEY, PASSWORD, Buffer.from(`ada:${PASSWORD}`).toString('base64')]) {
      expect(stored).not.toContain(s);
    }
    const body = (id: string) => runs.find((r) => r.nodeId === id)?.output?.main?.[0]?.json.body as JsonObject;
    expect((body('bearer').headers as JsonObject).authorization).toBe('Bearer [REDACTED]');
    expect(body('query').query).toEqual({ page: '2', api_key: '[REDACTED]' });
    expect(body('query').url).toBe('/echo?page=2&api_key=[REDACTED]');
    expect((body('basic').headers as JsonObject).authorization).toBe('Basic [REDACTED]');
  });

  it('redacts the error of a failed request that echoed the secret', async () => {
    const { vault, executions, engine } = engineWithVault();
    const cred = await vault.create({ workspaceId: 'ws1', type: 'http.bearer', name: 'B', data: { token: BEARER } });
    const workflow: Workflow = {
      name: 'Fail',
      nodes: [{ id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} }, request('h', '/fail', cred.id)],
      connections: [{ source: 't', target: 'h' }],
    };
    const result = await engine.execute(workflow, { workspaceId: 'ws1' });
    expect(result.status).toBe('failed');
    expect(result.error?.message).toContain('HTTP 400');
    expect(result.error?.message).toContain('Bearer [REDACTED]');
    const runs = await executions.listNodeRuns(result.executionId);
    expect(JSON.stringify({ runs, record: await executions.get('ws1', result.executionId) })).not.toContain(BEARER);
  });

  it('counts OAuth2 access tokens obtained at run time as secrets, in outputs and progress reports', async () => {
    const vault = new CredentialVault({
      store: new MemoryCredentialRecordStore(),
      masterKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }],
    });
    const m2m = Auth.oauth2({
      type: 'echo.m2m',
      displayName: 'Echo M2M',
      grant: 'clientCredentials',
      tokenUrl: `${api.url}/token`,
      scopes: ['read'],
    });
    const whoAmI = defineAction({
      name: 'whoAmI',
      displayName: 'Who am I',
      description: 'Echoes the request',
      props: {},
      run: async (ctx) => {
        const res = await ctx.http.request<JsonObject>({ url: `${api.url}/echo` });
        ctx.progress({ sentWith: (res.body.headers as JsonObject).authorization as JsonValue });
        return res.body;
      },
    });
    const echo = defineConnector({
      name: 'echo',
      displayName: 'Echo',
      description: 'Echoes',
      version: '1.0.0',
      auth: m2m,
      actions: [whoAmI],
    });
    const tokens = new OAuth2TokenManager({ http, writer: vault });
    const [node] = connectorNodeTypes(echo, { http, tokens });
    const info = await vault.create({
      workspaceId: 'ws1',
      type: 'echo.m2m',
      name: 'M2M',
      data: { clientId: 'client-1', clientSecret: 'client-secret-1' },
    });
    const credential = await vault.resolve({ workspaceId: 'ws1', credentialId: info.id, nodeType: 'echo.whoAmI' });
    const progress: JsonValue[] = [];
    const items = await runNode(node!, { credential, onProgress: (d) => progress.push(d) });
    const token = issued.at(-1)!;
    expect(api.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
    expect(items[0]?.json.headers).toMatchObject({ authorization: 'Bearer [REDACTED]' });
    expect(progress).toEqual([{ sentWith: 'Bearer [REDACTED]' }]);
    expect(JSON.stringify(items)).not.toContain(token);
    // The vault learned the token when the manager wrote it back: the host's logs redact it too.
    expect(vault.redactor.redact(`token ${token}`)).toBe('token [REDACTED]');
  });

  it('keeps the credential out of the items a polling trigger starts executions with', async () => {
    const key = secret('poll');
    const changes = defineTrigger({
      kind: 'polling',
      name: 'changes',
      displayName: 'Changes',
      description: 'Polls the echo',
      props: {},
      dedupe: { by: 'hash', fields: ['url'] },
      firstRun: { emit: 'all' },
      poll: async (ctx) => [(await ctx.http.request<JsonObject>({ url: `${api.url}/echo` })).body],
    });
    const feed = defineConnector({
      name: 'feed2',
      displayName: 'Feed',
      description: 'Polls',
      version: '1.0.0',
      auth: Auth.apiKey({ type: 'feed2.key', displayName: 'Key', in: 'query', name: 'key' }),
      actions: [],
      triggers: [changes],
    });
    const site = {
      workspaceId: 'ws1',
      workflowId: 'wf1',
      nodeId: 'n1',
      props: {},
      credential: { id: 'c', type: 'feed2.key', data: { apiKey: key } },
    };
    if (changes.kind !== 'polling') throw new Error('expected a polling trigger');
    const items = await pollTrigger(feed, changes, site, runtime);
    expect(api.requests.at(-1)?.url).toBe(`/echo?key=${key}`);
    expect(items.map((i) => i.json.query)).toEqual([{ key: '[REDACTED]' }]);
  });

  it("keeps basic auth's header value out of a failed connection test's message", async () => {
    const basicEcho = defineConnector({
      name: 'basicEcho',
      displayName: 'Basic echo',
      description: 'Basic auth',
      version: '1.0.0',
      auth: Auth.basic({
        type: 'basicEcho.login',
        displayName: 'Login',
        test: async (ctx) => {
          await ctx.http.request({ url: `${api.url}/fail`, signal: ctx.signal });
        },
      }),
      actions: [],
    });
    const header = Buffer.from(`ada:${PASSWORD}`).toString('base64');
    const result = await testCredential(
      basicEcho,
      { id: 'c', type: 'basicEcho.login', data: { username: 'ada', password: PASSWORD } },
      runtime,
    );
    expect(api.requests.at(-1)?.headers.authorization).toBe(`Basic ${header}`);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain('Basic [REDACTED]');
    expect(JSON.stringify(result)).not.toContain(header);
  });

  it('leaves nodes without a credential (or with nothing to redact) untouched: same objects, no copy', async () => {
    const returned = { greeting: 'hello', nested: { list: [1, 2, 3] } };
    const plain = defineConnector({
      name: 'plain',
      displayName: 'Plain',
      description: 'No auth',
      version: '1.0.0',
      actions: [
        defineAction({ name: 'give', displayName: 'Give', description: 'Returns', props: {}, run: () => returned }),
      ],
    });
    const [node] = connectorNodeTypes(plain, runtime);
    const [item] = await runNode(node!, {});
    expect(item?.json).toBe(returned);
    const items = [{ json: returned }];
    const redactor = credentialRedactor(httpRequestConnector, {
      id: 'c',
      type: 'http.bearer',
      data: { token: BEARER },
    });
    expect(redactItems(items, redactor)).toBe(items);
    expect(redactItems(items, undefined)).toBe(items);
    const dirty = [{ json: { a: 1 } }, { json: { echoed: `Bearer ${BEARER}` } }];
    const out = redactItems(dirty, redactor);
    expect(out).not.toBe(dirty);
    expect(out[0]).toBe(dirty[0]);
    expect(out[1]?.json).toEqual({ echoed: 'Bearer [REDACTED]' });
    expect(dirty[1]?.json.echoed).toBe(`Bearer ${BEARER}`);
  });
});
