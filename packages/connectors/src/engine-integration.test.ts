import { randomBytes } from 'node:crypto';
import {
  builtinNodeTypes,
  MemoryCredentialRecordStore,
  MemoryExecutionStore,
  NodeRegistry,
  type Workflow,
  WorkflowEngine,
} from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequestConnector } from './connectors/http-request/http-request.js';
import { cryptoConnector } from './connectors/utility/crypto-connector.js';
import { createHttpClient } from './http/http-client.js';
import { connectorNodeTypes } from './kit/connector-node-types.js';
import { type LocalServer, sendJson, startLocalServer } from './testing/local-server.js';
import { respondToWebhookNode, respondToWebhookResponse } from './triggers/respond-to-webhook.js';
import { CredentialVault } from './vault/credential-vault.js';

const TOKEN = `tok_${randomBytes(12).toString('hex')}`;
let api: LocalServer;
beforeAll(async () => {
  api = await startLocalServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${TOKEN}`)
      return sendJson(res, 401, { message: `bad token ${req.headers.authorization}` });
    sendJson(res, 200, {
      orders: [
        { id: 1, email: 'a@example.com' },
        { id: 2, email: 'b@example.com' },
      ],
    });
  });
});
afterAll(() => api.close());

function setup() {
  const vault = new CredentialVault({
    store: new MemoryCredentialRecordStore(),
    masterKeys: [{ id: 'k1', key: new Uint8Array(randomBytes(32)) }],
  });
  const runtime = { http: createHttpClient({ allow: ['127.0.0.1/32'] }) };
  const registry = new NodeRegistry().register(
    ...builtinNodeTypes,
    ...connectorNodeTypes(httpRequestConnector, runtime),
    ...connectorNodeTypes(cryptoConnector, runtime),
    respondToWebhookNode,
  );
  const executions = new MemoryExecutionStore();
  return { vault, engine: new WorkflowEngine({ registry, credentials: vault, executions }), executions };
}

const workflow = (credentialId: string): Workflow => ({
  name: 'Orders digest',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    {
      id: 'h',
      name: 'Fetch orders',
      type: 'http.request',
      typeVersion: 1,
      parameters: { url: `${api.url}/orders`, itemsPath: 'orders', retries: 0 },
      credentials: { auth: credentialId },
    },
    {
      id: 'c',
      name: 'Hash email',
      type: 'crypto.hash',
      typeVersion: 1,
      parameters: { value: '{{ $json.email }}', algorithm: 'sha256', outputField: 'emailHash' },
    },
    {
      id: 'r',
      name: 'Respond',
      type: 'weft.respondToWebhook',
      parameters: { respondWith: 'allItems', statusCode: 200 },
    },
  ],
  connections: [
    { source: 't', target: 'h' },
    { source: 'h', target: 'c' },
    { source: 'c', target: 'r' },
  ],
});

describe('connectors in the engine', () => {
  it('runs connector nodes with a vault credential, and keeps the secret out of the execution record', async () => {
    const { vault, engine, executions } = setup();
    const cred = await vault.create({
      workspaceId: 'default',
      type: 'http.bearer',
      name: 'Orders API',
      data: { token: TOKEN },
    });
    const result = await engine.execute(workflow(cred.id), { workspaceId: 'default' });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('succeeded');
    expect(result.output.map((i) => i.json.id)).toEqual([1, 2]);
    expect(String(result.output[0]?.json.emailHash)).toMatch(/^[0-9a-f]{64}$/);
    const record = await executions.get('default', result.executionId);
    const runs = await executions.listNodeRuns(result.executionId);
    expect(JSON.stringify({ record, runs })).not.toContain(TOKEN);
    const response = respondToWebhookResponse(runs.find((r) => r.nodeId === 'r')?.state);
    expect(response?.status).toBe(200);
    expect(JSON.parse(response?.body ?? '[]')).toHaveLength(2);
  });

  it('fails the execution with a redacted message when the API rejects the credential', async () => {
    const { vault, engine, executions } = setup();
    const wrong = `tok_${randomBytes(12).toString('hex')}`;
    const cred = await vault.create({
      workspaceId: 'default',
      type: 'http.bearer',
      name: 'Wrong',
      data: { token: wrong },
    });
    const result = await engine.execute(workflow(cred.id), { workspaceId: 'default' });
    expect(result.status).toBe('failed');
    expect(result.error?.message).toMatch(/HTTP 401/);
    expect(result.error?.message).toContain('[REDACTED]');
    const runs = await executions.listNodeRuns(result.executionId);
    expect(JSON.stringify({ record: await executions.get('default', result.executionId), runs })).not.toContain(wrong);
  });
});
