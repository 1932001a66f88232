import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');

const backends = sqliteAndPostgres(pg);

const set = (id: string, name: string, field: string, value: string) => ({
  id,
  name,
  type: 'weft.set',
  parameters: { fields: [{ name: field, value }] },
});

/** Start -> Double -> Label -> Done: four nodes in a row. */
const chain = {
  id: 'chain',
  name: 'Chain',
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    set('double', 'Double', 'twice', '{{ $json.n * 2 }}'),
    set('label', 'Label', 'label', 'n={{ $json.twice }}'),
    set('done', 'Done', 'done', 'yes'),
  ],
  connections: [
    { source: 'start', target: 'double' },
    { source: 'double', target: 'label' },
    { source: 'label', target: 'done' },
  ],
};

/** Start -> If (n > 2) -> Big | Small: a draft, never saved. */
const branchy = {
  name: 'Branchy',
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    {
      id: 'if',
      name: 'Check',
      type: 'weft.if',
      parameters: { conditions: [{ left: '{{ $json.n }}', operator: 'gt', right: '2' }] },
    },
    set('big', 'Big', 'size', 'big'),
    set('small', 'Small', 'size', 'small'),
  ],
  connections: [
    { source: 'start', target: 'if' },
    { source: 'if', sourcePort: 'true', target: 'big' },
    { source: 'if', sourcePort: 'false', target: 'small' },
  ],
};

describe.each(backends)('debug sessions over HTTP on %s', (_name, skip, open) => {
  let t: TestHost;
  let env: Record<string, string>;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  let dataDir: string;

  const path = (rest = '') => `/api/v1/workspaces/${ws}/debug-sessions${rest}`;
  const post = (rest: string, body: unknown = {}, auth = token) => t.call('POST', path(rest), { token: auth, body });

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    dataDir = mkdtempSync(join(tmpdir(), 'weft-debug-'));
    env = { ...o.env, WEFT_DATA_DIR: dataDir };
    t = await startTestHost(env, { keepDir: true });
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: chain })).status).toBe(201);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    'steps a 4-node workflow node by node with outputs, then completes; a finished session is a 409',
    async () => {
      const started = await post('', { workflowId: 'chain', input: [{ json: { n: 21 } }] });
      expect(started.status, started.text).toBe(201);
      expect(started.body).toMatchObject({
        status: 'paused',
        workflowId: 'chain',
        workflowVersion: 1,
        next: [{ nodeId: 'start', nodeName: 'Start' }],
        nodeRuns: [],
      });
      const id = started.body.id;
      const steps = [];
      for (let i = 0; i < 4; i++) {
        const s = await post(`/${id}/step`);
        expect(s.status, s.text).toBe(200);
        expect(s.body.ran).toHaveLength(1);
        steps.push({ node: s.body.ran[0].nodeName, next: s.body.next.map((n: { nodeName: string }) => n.nodeName) });
        if (i === 2) {
          expect(s.body.ran[0].input.main).toEqual([{ json: { n: 21, twice: 42 } }]);
          expect(s.body.ran[0].output.main).toEqual([{ json: { n: 21, twice: 42, label: 'n=42' } }]);
        }
        if (i < 3) expect(s.body.status).toBe('paused');
        else
          expect(s.body).toMatchObject({
            status: 'succeeded',
            output: [{ json: { n: 21, twice: 42, label: 'n=42', done: 'yes' } }],
          });
      }
      expect(steps).toEqual([
        { node: 'Start', next: ['Double'] },
        { node: 'Double', next: ['Label'] },
        { node: 'Label', next: ['Done'] },
        { node: 'Done', next: [] },
      ]);
      const again = await post(`/${id}/step`);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('debug-session-finished');
      expect(again.body.detail).toContain('start a new session');
      expect((await post(`/${id}/continue`)).body.code).toBe('debug-session-finished');
      expect((await post(`/${id}/stop`)).body.code).toBe('debug-session-finished');
      const got = await t.call('GET', path(`/${id}`), { token });
      expect(got.body.nodeRuns.map((r: { nodeName: string }) => r.nodeName)).toEqual([
        'Start',
        'Double',
        'Label',
        'Done',
      ]);
      const execution = await t.call('GET', `/api/v1/workspaces/${ws}/executions/${got.body.executionId}`, { token });
      expect(execution.body).toMatchObject({ status: 'succeeded', mode: 'debug' });
    },
  );

  it.skipIf(skip)('continue after a step runs to the end; with breakpoints it pauses before them', async () => {
    const id = (await post('', { workflowId: 'chain', input: [{ json: { n: 1 } }] })).body.id;
    expect((await post(`/${id}/step`)).body.ran[0].nodeName).toBe('Start');
    const toLabel = await post(`/${id}/continue`, { breakpoints: ['Label'] });
    expect(toLabel.body).toMatchObject({ status: 'paused', breakpoints: ['Label'], next: [{ nodeName: 'Label' }] });
    expect(toLabel.body.ran.map((r: { nodeName: string }) => r.nodeName)).toEqual(['Double']);
    const end = await post(`/${id}/continue`);
    expect(end.body.status).toBe('succeeded');
    expect(end.body.ran.map((r: { nodeName: string }) => r.nodeName)).toEqual(['Label', 'Done']);
    expect(end.body.output).toEqual([{ json: { n: 1, twice: 2, label: 'n=2', done: 'yes' } }]);
  });

  it.skipIf(skip)('steps only the branch an if node took, in a draft workflow', async () => {
    const started = await post('', { workflow: branchy, input: [{ json: { n: 1 } }] });
    expect(started.body).toMatchObject({ workflowId: 'draft', workflowVersion: 0, status: 'paused' });
    const ran: string[] = [];
    const nexts: string[][] = [];
    let status = 'paused';
    while (status === 'paused') {
      const s = await post(`/${started.body.id}/step`);
      ran.push(...s.body.ran.map((r: { nodeName: string }) => r.nodeName));
      nexts.push(s.body.next.map((n: { nodeName: string }) => n.nodeName));
      status = s.body.status;
    }
    expect(status).toBe('succeeded');
    expect(ran).toEqual(['Start', 'Check', 'Small']);
    expect(nexts).toEqual([['Check'], ['Small'], []]);
  });

  it.skipIf(skip)('uses pin data given at the start or on a step instead of running the node', async () => {
    const id = (await post('', { workflowId: 'chain', pinData: { Double: [{ json: { twice: 'pinned' } }] } })).body.id;
    await post(`/${id}/step`);
    const pinnedStep = await post(`/${id}/step`);
    expect(pinnedStep.body.ran[0].output.main).toEqual([{ json: { twice: 'pinned' } }]);
    const label = await post(`/${id}/step`, { pinData: { Done: [{ json: { final: true } }] } });
    expect(label.body.pinned.sort()).toEqual(['Done', 'Double']);
    const done = await post(`/${id}/continue`);
    expect(done.body.output).toEqual([{ json: { final: true } }]);
  });

  it.skipIf(skip)('stop cancels the session’s execution', async () => {
    const id = (await post('', { workflowId: 'chain' })).body.id;
    const stopped = await post(`/${id}/stop`);
    expect(stopped.body).toMatchObject({ status: 'cancelled', next: [] });
    expect((await post(`/${id}/step`)).body.code).toBe('debug-session-finished');
  });

  it.skipIf(skip)('answers 400 naming the field for bad requests', async () => {
    const cases: [unknown, string][] = [
      [{}, '/workflowId'],
      [{ workflowId: 'chain', workflow: branchy }, '/workflowId'],
      [{ workflow: branchy, version: 2 }, '/version'],
      [{ workflowId: 'chain', pinData: { Nope: [] } }, '/pinData/Nope'],
      [{ workflowId: 'chain', breakpoints: ['Label', 'Nope'] }, '/breakpoints/1'],
      [{ workflowId: 'chain', surprise: 1 }, '/surprise'],
    ];
    for (const [body, field] of cases) {
      const r = await post('', body);
      expect([r.status, r.body.errors?.[0]?.path]).toEqual([400, field]);
    }
    expect((await post('', { workflowId: 'nope' })).status).toBe(404);
  });

  it.skipIf(skip)('survives a host restart: the session lives in the store', async () => {
    const id = (await post('', { workflowId: 'chain', input: [{ json: { n: 5 } }] })).body.id;
    await post(`/${id}/step`);
    await t.close();
    t = await startTestHost(env, { keepDir: true });
    token = await t.login('owner@example.com', 'owner-password');
    const s = await post(`/${id}/step`);
    expect(s.status, s.text).toBe(200);
    expect(s.body.ran[0]).toMatchObject({ nodeName: 'Double', output: { main: [{ json: { n: 5, twice: 10 } }] } });
  });

  it.skipIf(skip)('needs editor or above, and stays inside its workspace', async () => {
    const rt = t.host.runtime;
    const id = (await post('', { workflowId: 'chain' })).body.id;
    for (const role of ['operator', 'editor'] as const) {
      const email = `${role}-${Math.random().toString(36).slice(2)}@example.com`;
      const invite = await t.call('POST', `/api/v1/workspaces/${ws}/invites`, { token, body: { role, email } });
      const member = await t.call('POST', '/api/v1/auth/signup', {
        body: { token: invite.body.token, email, password: 'password-123' },
      });
      const r = await post(`/${id}/step`, {}, member.body.accessToken);
      if (role === 'operator') expect([r.status, r.body.code]).toEqual([403, 'forbidden']);
      else expect(r.body.ran[0].nodeName).toBe('Start');
    }
    const user = await rt.identity.createUser({
      email: `intruder-${Math.random().toString(36).slice(2)}@example.com`,
      passwordHash: await hashPassword('password-123'),
    });
    const wsB = (await rt.identity.createWorkspace('B', user.id)).id;
    const other = await t.login(user.email, 'password-123');
    expect((await post(`/${id}/step`, {}, other)).body.code).toBe('workspace-not-found');
    const viaB = await t.call('POST', `/api/v1/workspaces/${wsB}/debug-sessions/${id}/step`, {
      token: other,
      body: {},
    });
    expect([viaB.status, viaB.body.code]).toEqual([404, 'debug-session-not-found']);
    const getViaB = await t.call('GET', `/api/v1/workspaces/${wsB}/debug-sessions/${id}`, { token: other });
    expect(getViaB.status).toBe(404);
    expect(
      (
        await t.call('POST', `/api/v1/workspaces/${wsB}/debug-sessions`, {
          token: other,
          body: { workflowId: 'chain' },
        })
      ).status,
    ).toBe(404);
  });

  it.skipIf(skip)('is described in the OpenAPI document', async () => {
    const doc = (await t.call('GET', '/api/openapi.json')).body;
    const base = '/api/v1/workspaces/{workspaceId}/debug-sessions';
    for (const p of [
      base,
      `${base}/{sessionId}`,
      `${base}/{sessionId}/step`,
      `${base}/{sessionId}/continue`,
      `${base}/{sessionId}/stop`,
    ])
      expect(Object.keys(doc.paths)).toContain(p);
    expect(doc.paths[`${base}/{sessionId}/step`].post.responses['200'].content['application/json'].schema).toBeTruthy();
    const list = doc.paths['/api/v1/workspaces/{workspaceId}/executions'].get.parameters.map(
      (p: { name: string }) => p.name,
    );
    expect(list).toEqual(
      expect.arrayContaining(['contains', 'field', 'value', 'minDurationMs', 'maxDurationMs', 'mode']),
    );
  });
});
