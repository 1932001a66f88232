import { randomBytes } from 'node:crypto';
import { serviceUrl } from '@weft/testing';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectCollab } from '../collab/collab-client.js';
import { rowsAsText, tablesWith } from '../testing/database-dump.js';
import { startTwoRegionHost, type TwoRegionHost } from '../testing/two-region-host.js';

const pgService = await serviceUrl('pg');

const until = async (check: () => boolean, what: string, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * A workspace's events socket: `opened` once the server subscribed it to the hub (it does so
 * before it answers the upgrade), `messages` with every message up to the one `done` accepts.
 */
function socketEvents(url: string, done: (m: { event?: { type: string; workflowId: string } }) => boolean) {
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.on('open', () => resolve());
    socket.on('error', reject);
    socket.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
  });
  const messages = new Promise<unknown[]>((resolve, reject) => {
    const seen: unknown[] = [];
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error('no matching event on the events socket'));
    }, 30_000);
    opened.catch((err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('message', (data) => {
      const m = JSON.parse(String(data));
      seen.push(m);
      if (done(m)) {
        clearTimeout(timer);
        socket.close();
        resolve(seen);
      }
    });
  });
  messages.catch(() => {});
  return { opened, messages };
}

describe.skipIf(pgService.skip)(pgService.title('realtime, GraphQL and co-editing over two Postgres regions'), () => {
  const tag = randomBytes(4).toString('hex');
  const marks = { workflow: `eu-live-${tag}`, payload: `EU-LIVE-${tag}`, credential: `eu cred ${tag}` };
  let h: TwoRegionHost;
  const ws = { eu: '', us: '' };
  const api = (p: string) => `/api/v1/workspaces/${p}`;

  beforeAll(async () => {
    h = await startTwoRegionHost(pgService.url());
    ws.eu = await h.workspace('Live EU', 'eu');
    ws.us = await h.workspace('Live US', 'us');
    const { t, token } = h;
    const cred = await t.call('POST', api(`${ws.eu}/credentials`), {
      token,
      body: { type: 'weft.webhookHeaderSecret', name: marks.credential, data: { header: 'x-k', secret: `s-${tag}` } },
    });
    expect(cred.status, cred.text).toBe(201);
    const wf = await t.call('POST', api(`${ws.eu}/workflows`), {
      token,
      body: {
        id: marks.workflow,
        name: marks.workflow,
        nodes: [
          { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
          {
            id: 'mark',
            name: 'Mark',
            type: 'weft.set',
            parameters: { fields: [{ name: 'seen', value: marks.payload }] },
          },
        ],
        connections: [{ source: 'start', target: 'mark' }],
      },
    });
    expect(wf.status, wf.text).toBe(201);
  }, 180_000);
  afterAll(() => h?.close());

  const run = async () => {
    const r = await h.t.call('POST', api(`${ws.eu}/workflows/${marks.workflow}/run`), {
      token: h.token,
      body: { wait: true },
    });
    expect(r.status, r.text).toBe(200);
    expect(JSON.stringify(r.body.result)).toContain(marks.payload);
    return r.body.executionId as string;
  };

  it("streams an EU workspace's execution events over its events WebSocket", async () => {
    const base = h.t.base.replace('http', 'ws');
    const direct = socketEvents(
      `${base}${api(`${ws.eu}/ws`)}?access_token=${h.token}`,
      (m) => m.event?.type === 'workflow:completed' && m.event.workflowId === marks.workflow,
    );
    // The region-bound form serves it too.
    const bound = socketEvents(
      `${base}/regions/eu${api(`${ws.eu}/ws`)}?access_token=${h.token}`,
      (m) => m.event?.type === 'workflow:completed' && m.event.workflowId === marks.workflow,
    );
    await Promise.all([direct.opened, bound.opened]);
    const executionId = await run();
    for (const s of [direct, bound]) {
      const text = JSON.stringify(await s.messages);
      expect(text).toContain(executionId);
      expect(text).toContain(marks.payload);
    }
    // Another region's endpoint refuses it without forwarding.
    const wrong = socketEvents(`${base}/regions/us${api(`${ws.eu}/ws`)}?access_token=${h.token}`, () => true);
    await expect(wrong.opened).rejects.toThrow('upgrade refused: 421');
  });

  it('answers GraphQL reads and mutations of an EU workspace from the EU database', async () => {
    const gql = async (query: string) => {
      const r = await h.t.call('POST', '/api/graphql', { token: h.token, body: { query } });
      expect(r.status, r.text).toBe(200);
      return r.body;
    };
    const executionId = await run();
    const read = await gql(
      `{ workspace(id: "${ws.eu}") { workflows { id name } workflow(id: "${marks.workflow}") { id }
         execution(id: "${executionId}") { id status workflow { id } } executions { id } credentials { name } } }`,
    );
    expect(read.errors).toBeUndefined();
    const w = read.data.workspace;
    expect(w.workflows.map((x: { id: string }) => x.id)).toEqual([marks.workflow]);
    expect(w.workflow).toEqual({ id: marks.workflow });
    expect(w.execution).toEqual({ id: executionId, status: 'succeeded', workflow: { id: marks.workflow } });
    expect(w.executions.map((x: { id: string }) => x.id)).toContain(executionId);
    expect(w.credentials).toEqual([{ name: marks.credential }]);
    const us = await gql(`{ workspace(id: "${ws.us}") { workflows { id } credentials { name } } }`);
    expect(us.data.workspace).toEqual({ workflows: [], credentials: [] });
    // A region-bound endpoint serves its own region's workspaces and refuses the others'.
    const bound = (region: string) =>
      h.t.call('POST', `/regions/${region}/api/graphql`, {
        token: h.token,
        body: { query: `{ workspace(id: "${ws.eu}") { workflows { id } } }` },
      });
    expect((await bound('eu')).body.data.workspace.workflows).toEqual([{ id: marks.workflow }]);
    const refused = (await bound('us')).body;
    expect(refused.errors[0]).toMatchObject({ extensions: { code: 'WRONG_REGION' } });
    expect(refused.errors[0].message).toContain('lives in region "eu"');

    const deactivated = await gql(
      `mutation { deactivateWorkflow(workspaceId: "${ws.eu}", id: "${marks.workflow}") { id active } }`,
    );
    expect(deactivated.errors).toBeUndefined();
    expect(deactivated.data.deactivateWorkflow).toEqual({ id: marks.workflow, active: false });
  });

  it("streams an EU workspace's events to a graphql-ws subscription", async () => {
    const client = createClient({
      url: `${h.t.base.replace('http', 'ws')}/api/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${h.token}` },
      retryAttempts: 0,
    });
    try {
      const seen: Array<{ type: string; executionId: string }> = [];
      const errors: unknown[] = [];
      const stop = client.subscribe<{ executionEvents: { type: string; executionId: string } }>(
        { query: `subscription { executionEvents(workspaceId: "${ws.eu}") { type executionId json } }` },
        {
          next: (v) => {
            if (v.errors) errors.push(v.errors);
            if (v.data) seen.push(v.data.executionEvents);
          },
          error: (e) => errors.push(e),
          complete: () => {},
        },
      );
      // The subscription reaches the hub asynchronously: run until one of the runs streams through.
      const runs: string[] = [];
      const deadline = Date.now() + 30_000;
      while (!seen.some((e) => e.type === 'workflow:completed' && runs.includes(e.executionId))) {
        expect(errors).toEqual([]);
        if (Date.now() > deadline) throw new Error('no EU execution event reached the subscription');
        runs.push(await run());
        await until(() => seen.length > 0 || errors.length > 0, 'an event', 1_000).catch(() => {});
      }
      stop();
      expect(errors).toEqual([]);
      expect(seen.some((e) => e.type === 'node:executed')).toBe(true);
    } finally {
      await client.dispose();
    }
  });

  it('co-edits an EU workflow through its region and refuses it through another', async () => {
    const url = `${h.t.base}${api(`${ws.eu}/workflows/${marks.workflow}/collab`)}`;
    const a = await connectCollab(url, h.token);
    const b = await connectCollab(url.replace(h.t.base, `${h.t.base}/regions/eu`), h.token);
    try {
      await Promise.all([a.synced, b.synced]);
      a.doc.getMap<string>('meta').set('name', `renamed ${tag}`);
      await until(() => b.doc.getMap<string>('meta').get('name') === `renamed ${tag}`, 'the edit to reach b');
    } finally {
      a.close();
      b.close();
    }
    await expect(connectCollab(url.replace(h.t.base, `${h.t.base}/regions/us`), h.token)).rejects.toThrow(/421/);
  });

  it('leaves no trace of the EU workspace in the US database after all of this', async () => {
    const us = await rowsAsText(h.urls.us);
    for (const needle of [ws.eu, ...Object.values(marks)])
      expect(tablesWith(us, needle), `US rows holding ${needle}`).toEqual([]);
    const eu = await rowsAsText(h.urls.eu);
    expect(tablesWith(eu, marks.payload)).toEqual(expect.arrayContaining(['public.executions', 'public.node_runs']));
    const control = await rowsAsText(h.urls.control);
    for (const needle of Object.values(marks)) expect(tablesWith(control, needle)).toEqual([]);
  });
});
