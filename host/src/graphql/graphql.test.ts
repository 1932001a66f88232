import { randomBytes } from 'node:crypto';
import { serviceUrl } from '@weft/testing';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');

const manual = (id: string) => ({
  id,
  name: `Flow ${id}`,
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'mark', name: 'Mark', type: 'weft.set', parameters: { fields: [{ name: 'ok', value: 'yes' }] } },
  ],
  connections: [{ source: 'start', target: 'mark' }],
});

describe.each(sqliteAndPostgres(pg))('GraphQL at /api/graphql on %s', (_title, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let owner: string;
  let ws: string;
  let execId: string;

  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary GraphQL results
  const gql = async (query: string, token?: string, variables?: Record<string, unknown>): Promise<any> => {
    const res = await fetch(`${t.base}/api/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
    });
    return { status: res.status, ...((await res.json()) as object) };
  };

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    t = await startTestHost({
      ...o.env,
      WEFT_JWT_SECRET: randomBytes(32).toString('base64'),
      WEFT_RATE_LIMIT_WORKSPACE: '1000000',
    });
    owner = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token: owner })).body.items[0].id;
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token: owner, body: manual('gq-a') });
    const run = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/gq-a/run`, {
      token: owner,
      body: { wait: true },
    });
    execId = run.body.executionId;
    await t.call('POST', `/api/v1/workspaces/${ws}/credentials`, {
      token: owner,
      body: { type: 'weft.webhookHeaderSecret', name: 'gq-cred', data: { header: 'x', secret: 'gq-secret-value' } },
    });
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)(
    'answers queries over the REST services: workspaces, workflows, executions, credentials, node types',
    async () => {
      const r = await gql(
        `query($ws: ID!) {
        me { email }
        workspaces { id role }
        workspace(id: $ws) {
          name
          workflows { id name active nodeCount executions(first: 5) { id status } }
          execution(id: "${execId}") { status mode workflow { id version } }
          credentials { name type fields }
        }
        nodeTypes { type group }
      }`,
        owner,
        { ws },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data.me.email).toBe('owner@example.com');
      expect(r.data.workspaces).toContainEqual({ id: ws, role: 'owner' });
      expect(r.data.workspace.workflows).toEqual([
        {
          id: 'gq-a',
          name: 'Flow gq-a',
          active: false,
          nodeCount: 2,
          executions: [{ id: execId, status: 'succeeded' }],
        },
      ]);
      expect(r.data.workspace.execution).toEqual({
        status: 'succeeded',
        mode: 'manual',
        workflow: { id: 'gq-a', version: 1 },
      });
      expect(r.data.workspace.credentials).toEqual([
        { name: 'gq-cred', type: 'weft.webhookHeaderSecret', fields: ['header', 'secret'] },
      ]);
      expect(JSON.stringify(r)).not.toContain('gq-secret-value');
      expect(r.data.nodeTypes.some((n: { type: string }) => n.type === 'weft.set')).toBe(true);
    },
  );

  it.skipIf(skip)('refuses strangers, low roles and narrow API keys as REST does', async () => {
    expect((await gql('{ me { id } }')).status).toBe(401);
    expect((await gql('{ me { id } }', 'not-a-token')).status).toBe(401);

    const invite = await t.call('POST', `/api/v1/workspaces/${ws}/invites`, {
      token: owner,
      body: { role: 'viewer', email: 'gq-viewer@example.com' },
    });
    const viewer = (
      await t.call('POST', '/api/v1/auth/signup', {
        body: { token: invite.body.token, email: 'gq-viewer@example.com', password: 'password-123' },
      })
    ).body.accessToken as string;
    const denied = await gql(`mutation { activateWorkflow(workspaceId: "${ws}", id: "gq-a") { active } }`, viewer);
    expect(denied.errors[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(denied.errors[0].message).toMatch(/needs write permission/);

    const other = (await t.call('POST', '/api/v1/workspaces', { token: viewer, body: { name: 'Viewer own' } })).body.id;
    const stranger = await gql(`{ workspace(id: "${other}") { name workflows { id } } }`, owner);
    expect(stranger.data.workspace).toBeNull();
    expect(stranger.errors[0]).toMatchObject({
      message: `Workspace "${other}" not found`,
      extensions: { code: 'NOT_FOUND' },
    });

    const key = await t.call('POST', `/api/v1/workspaces/${ws}/api-keys`, {
      token: owner,
      body: { name: 'gq-key', role: 'admin', scopes: ['workflows:read'] },
    });
    const scoped = await gql(`{ workspace(id: "${ws}") { workflows { id } executions { id } } }`, key.body.key);
    expect(scoped.errors.map((e: { path: string[] }) => e.path.join('.'))).toEqual(['workspace']);
    const wfOnly = await gql(`{ workspaces { id workflows { id } } }`, key.body.key);
    expect(wfOnly.data.workspaces).toEqual([{ id: ws, workflows: [{ id: 'gq-a' }] }]);

    const ok = await gql(`mutation { activateWorkflow(workspaceId: "${ws}", id: "gq-a") { active } }`, owner);
    expect(ok.data.activateWorkflow).toEqual({ active: true });
    const missing = await gql(`mutation { activateWorkflow(workspaceId: "${ws}", id: "nope") { active } }`, owner);
    expect(missing.errors[0]).toMatchObject({
      message: 'Workflow "nope" not found',
      extensions: { code: 'workflow-not-found' },
    });
  });

  it.skipIf(skip)('refuses operations over the depth and cost limits', async () => {
    const deep = await gql(
      `{ workspaces { workflows { executions { workflow { executions { workflow { executions { workflow { id } } } } } } } } }`,
      owner,
    );
    expect(deep.status).toBe(400);
    expect(deep.errors[0]).toMatchObject({ extensions: { code: 'DEPTH_LIMIT_EXCEEDED' } });
    expect(deep.data).toBeUndefined();
    const costly = await gql(
      `{ workspaces { workflows(first: 100) { executions(first: 100) { id status mode } } } }`,
      owner,
    );
    expect(costly.errors[0]).toMatchObject({ extensions: { code: 'COST_LIMIT_EXCEEDED' } });
    expect(costly.errors[0].message).toMatch(/costs \d+; the limit is 2000/);
    const byVariable = await gql(
      `query($n: Int) { workspaces { workflows(first: $n) { executions(first: $n) { id } } } }`,
      owner,
      { n: 100 },
    );
    expect(byVariable.errors[0]).toMatchObject({ extensions: { code: 'COST_LIMIT_EXCEEDED' } });
  });

  it.skipIf(skip)('masks internal errors', async () => {
    const vault = t.host.runtime.vault;
    const list = vault.list;
    vault.list = async () => {
      throw new Error('connection to 10.0.0.7:5432 refused for user weft_admin');
    };
    try {
      const r = await gql(`{ workspace(id: "${ws}") { name credentials { id } } }`, owner);
      expect(r.data.workspace).toBeNull();
      expect(r.errors).toEqual([
        expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
      ]);
      expect(JSON.stringify(r)).not.toMatch(/10\.0\.0\.7|weft_admin|stack/);
    } finally {
      vault.list = list;
    }
    const syntax = await gql('{ workspaces { ', owner);
    expect(syntax.errors[0].message).toMatch(/Syntax Error/);
  });

  it.skipIf(skip)('streams execution events to a graphql-ws subscription', async () => {
    const client = createClient({
      url: `${t.base.replace('http', 'ws')}/api/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${owner}` },
      retryAttempts: 0,
    });
    try {
      const events: Array<{ type: string; executionId: string }> = [];
      const ended = new Promise<void>((resolve, reject) => {
        const stop = client.subscribe<{ executionEvents: { type: string; executionId: string } }>(
          { query: `subscription { executionEvents(workspaceId: "${ws}") { id type executionId workflowId json } }` },
          {
            next: (v) => {
              if (v.errors) reject(new Error(JSON.stringify(v.errors)));
              const e = v.data?.executionEvents;
              if (!e) return;
              events.push(e);
              if (e.type === 'workflow:completed') {
                stop();
                resolve();
              }
            },
            error: reject,
            complete: () => resolve(),
          },
        );
      });
      // Subscribed once the server acknowledged the connection and the operation reached the hub.
      await new Promise((r) => setTimeout(r, 300));
      const run = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/gq-a/run`, { token: owner, body: {} });
      await ended;
      const mine = events.filter((e) => e.executionId === run.body.executionId).map((e) => e.type);
      expect(mine[0]).toBe('workflow:started');
      expect(mine.at(-1)).toBe('workflow:completed');
      expect(mine).toContain('node:executed');

      const other = (await t.call('POST', '/api/v1/workspaces', { token: owner, body: { name: 'gq-b' } })).body.id;
      const refused = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: `subscription { executionEvents(workspaceId: "${other}x") { id } }` },
          { next: (v) => resolve(v.errors), error: resolve, complete: () => resolve(undefined) },
        );
      });
      expect(JSON.stringify(refused)).toContain('NOT_FOUND');
    } finally {
      await client.dispose();
    }
  });
});

it('counts operations against the same workspace and API-key rate limits as REST', async () => {
  const t = await startTestHost({ WEFT_RATE_LIMIT_WORKSPACE: '4', WEFT_RATE_LIMIT_API_KEY: '2' });
  try {
    const owner = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token: owner })).body.items[0].id;
    const key = (
      await t.call('POST', `/api/v1/workspaces/${ws}/api-keys`, { token: owner, body: { name: 'k', role: 'viewer' } })
    ).body.key as string;
    const ask = async (token: string) => {
      const res = await fetch(`${t.base}/api/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: `{ workspace(id: "${ws}") { name } }` }),
      });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), ...((await res.json()) as object) } as {
        status: number;
        retryAfter: string | null;
        errors?: Array<{ extensions: { code: string } }>;
      };
    };
    expect((await ask(key)).errors).toBeUndefined();
    expect((await ask(key)).errors).toBeUndefined();
    const overKey = await ask(key);
    expect(overKey.status).toBe(429);
    expect(overKey.retryAfter).toMatch(/^\d+$/);
    expect(overKey.errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
    // REST's api-keys call and the two operations above spent 3 of the workspace's 4.
    expect((await ask(owner)).errors).toBeUndefined();
    expect((await ask(owner)).errors?.[0]?.extensions.code).toBe('RATE_LIMITED');
  } finally {
    await t.close();
  }
});

it('takes its depth and cost limits from WEFT_GRAPHQL_MAX_DEPTH and WEFT_GRAPHQL_MAX_COST, over HTTP and WebSocket', async () => {
  const t = await startTestHost({ WEFT_GRAPHQL_MAX_DEPTH: '3', WEFT_GRAPHQL_MAX_COST: '300' });
  try {
    const owner = await t.login('owner@example.com', 'owner-password');
    const ask = async (query: string) => {
      const res = await fetch(`${t.base}/api/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${owner}` },
        body: JSON.stringify({ query }),
      });
      return (await res.json()) as {
        data?: unknown;
        errors?: Array<{ message: string; extensions: { code: string } }>;
      };
    };
    // Depth 3 passes and 4 does not: the default (8) would let both through.
    expect((await ask('{ workspaces { workflows { id } } }')).errors).toBeUndefined();
    const deep = await ask('{ workspaces { workflows { executions { id } } } }');
    expect(deep.errors?.map((e) => e.message)).toContain('The query is 4 levels deep; the limit is 3');
    // That one costs 1 + 10 x (1 + 20 x 1) = 211 (workspaces count 10, workflows 20), under 300; with `first: 40` it costs 411.
    const costly = await ask('{ workspaces { workflows(first: 40) { id } } }');
    expect(costly.errors).toHaveLength(1);
    expect(costly.errors?.[0]?.extensions.code).toBe('COST_LIMIT_EXCEEDED');
    expect(costly.errors?.[0]?.message).toMatch(/costs 411; the limit is 300\./);

    const client = createClient({
      url: `${t.base.replace('http', 'ws')}/api/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${owner}` },
      retryAttempts: 0,
    });
    try {
      const refused = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: '{ workspaces { workflows { executions { id } } } }' },
          { next: (v) => resolve(v.errors), error: resolve, complete: () => resolve(undefined) },
        );
      });
      expect(JSON.stringify(refused)).toContain('the limit is 3');
    } finally {
      await client.dispose();
    }
  } finally {
    await t.close();
  }
});
