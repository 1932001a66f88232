import { defineNodeType, param } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

// A node that reports each word it writes, the way a streamed chat answer does.
const writer = defineNodeType({
  type: 'test.writer',
  version: 1,
  displayName: 'Writer',
  description: 'reports each word as progress, outputs the sentence',
  group: 'action',
  docs: '',
  parameters: { words: param.json({ label: 'Words' }) },
  execute: async ({ params, progress }) => {
    const words = params.words as string[];
    for (const delta of words) {
      await new Promise((r) => setImmediate(r));
      progress({ delta });
    }
    return { outputs: { main: [{ json: { text: words.join('') } }] } };
  },
});

let t: TestHost;
let token: string;
let ws: string;
beforeAll(async () => {
  t = await startTestHost();
  t.host.runtime.registry.register(writer);
  token = await t.login('owner@example.com', 'owner-password');
  ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
});
afterAll(async () => {
  await t?.close();
});

describe('node progress on the realtime stream', () => {
  it('streams node:progress events over SSE in order, between node:started and node:executed', async () => {
    const workflow = {
      id: 'writer',
      name: 'Writer',
      nodes: [
        { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
        { id: 'w', name: 'Write', type: 'test.writer', parameters: { words: ['Hello', ', ', 'world'] } },
      ],
      connections: [{ source: 't', target: 'w' }],
    };
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: workflow })).status).toBe(201);
    const ctrl = new AbortController();
    const res = await fetch(`${t.base}/api/v1/workspaces/${ws}/events?access_token=${token}`, { signal: ctrl.signal });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const run = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/writer/run`, { token, body: { wait: true } });
    expect(run.status).toBe(200);
    let text = '';
    while (!text.includes('event: workflow:completed')) text += new TextDecoder().decode((await reader.read()).value);
    ctrl.abort();
    const events = [...text.matchAll(/^event: (\S+)\ndata: (.*)$/gm)]
      .map((m) => ({ type: m[1] as string, ...JSON.parse(m[2] as string) }))
      .filter((e) => e.nodeId === 'w');
    expect(events.map((e) => e.type)).toEqual([
      'node:started',
      'node:progress',
      'node:progress',
      'node:progress',
      'node:executed',
    ]);
    expect(events.filter((e) => e.type === 'node:progress').map((e) => e.data)).toEqual([
      { delta: 'Hello' },
      { delta: ', ' },
      { delta: 'world' },
    ]);
    const stored = await t.call('GET', `/api/v1/workspaces/${ws}/executions/${events[0].executionId}`, { token });
    expect(stored.status).toBe(200);
    expect(JSON.stringify(stored.body)).toContain('Hello, world');
    expect(JSON.stringify(stored.body)).not.toContain('"delta"');
  });
});
