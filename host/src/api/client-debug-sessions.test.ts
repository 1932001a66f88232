import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WeftApiError, WeftClient } from '@weft/client';
import type { Workflow } from '@weft/engine';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host, loadConfig } from '../index.js';

const OWNER = { email: 'owner@example.com', password: 'owner-password' };

const set = (id: string, name: string, field: string, value: string) => ({
  id,
  name,
  type: 'weft.set',
  parameters: { fields: [{ name: field, value }] },
});

/** Start -> Double -> Label -> Done. */
const chain = {
  name: 'Debug chain',
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
} as unknown as Workflow;

let host: Host;
let dir: string;
let client: WeftClient;
let ws: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-client-debug-'));
  const config = loadConfig({
    WEFT_DATA_DIR: dir,
    WEFT_PORT: '0',
    WEFT_HOST: '127.0.0.1',
    WEFT_LOG_LEVEL: 'silent',
    WEFT_SEED_EXAMPLES: 'false',
    WEFT_OWNER_EMAIL: OWNER.email,
    WEFT_OWNER_PASSWORD: OWNER.password,
    WEFT_SHUTDOWN_GRACE_MS: '2000',
  });
  host = await createHost(config, { logger: pino({ level: 'silent' }), announce: () => {} });
  client = new WeftClient({ baseUrl: await host.listen() });
  await client.auth.login(OWNER);
  ws = (await client.auth.me()).workspaces[0]?.id as string;
});

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('client.debugSessions against a real host', () => {
  it('steps a stored workflow one node at a time, in order, to its output; then it is finished', async () => {
    const saved = await client.workflows.create(ws, chain);
    const started = await client.debugSessions.start(
      ws,
      { workflowId: saved.id, version: 1 },
      { input: [{ json: { n: 21 } }] },
    );
    expect(started).toMatchObject({
      status: 'paused',
      workflowId: saved.id,
      workflowVersion: 1,
      next: [{ nodeId: 'start', nodeName: 'Start' }],
      nodeRuns: [],
    });
    const seen: { node: string | undefined; out: unknown }[] = [];
    let status = started.status;
    while (status === 'paused') {
      const r = await client.debugSessions.step(ws, started.id);
      expect(r.ran).toHaveLength(1);
      seen.push({ node: r.ran[0]?.nodeName, out: r.ran[0]?.output?.main?.[0]?.json });
      status = r.status;
      if (status === 'succeeded')
        expect(r.output).toEqual([{ json: { n: 21, twice: 42, label: 'n=42', done: 'yes' } }]);
    }
    expect(status).toBe('succeeded');
    expect(seen).toEqual([
      { node: 'Start', out: { n: 21 } },
      { node: 'Double', out: { n: 21, twice: 42 } },
      { node: 'Label', out: { n: 21, twice: 42, label: 'n=42' } },
      { node: 'Done', out: { n: 21, twice: 42, label: 'n=42', done: 'yes' } },
    ]);
    const again = await client.debugSessions.step(ws, started.id).catch((e) => e);
    expect(again).toBeInstanceOf(WeftApiError);
    expect([again.status, again.code]).toEqual([409, 'debug-session-finished']);
    const detail = await client.debugSessions.get(ws, started.id);
    expect(detail.nodeRuns.map((r) => r.nodeName)).toEqual(['Start', 'Double', 'Label', 'Done']);
    expect((await client.executions.get(ws, detail.executionId)).mode).toBe('debug');
  });

  it('debugs an unsaved draft: continue pauses before a breakpoint, then runs to the end', async () => {
    const s = await client.debugSessions.start(
      ws,
      { workflow: chain },
      { input: [{ json: { n: 1 } }], breakpoints: ['Label'] },
    );
    expect([s.workflowVersion, s.breakpoints]).toEqual([0, ['Label']]);
    const toLabel = await client.debugSessions.continue(ws, s.id);
    expect(toLabel.status).toBe('paused');
    expect(toLabel.next.map((n) => n.nodeName)).toEqual(['Label']);
    expect(toLabel.ran.map((r) => r.nodeName)).toEqual(['Start', 'Double']);
    const end = await client.debugSessions.continue(ws, s.id, { breakpoints: [] });
    expect(end.ran.map((r) => r.nodeName)).toEqual(['Label', 'Done']);
    expect(end).toMatchObject({ status: 'succeeded', breakpoints: [], next: [] });
  });

  it('uses pin data given on a step, and stop cancels the session', async () => {
    const s = await client.debugSessions.start(ws, { workflow: chain });
    await client.debugSessions.step(ws, s.id);
    const pinned = await client.debugSessions.step(ws, s.id, { pinData: { Double: [{ json: { twice: 'pinned' } }] } });
    expect(pinned.ran[0]?.output?.main).toEqual([{ json: { twice: 'pinned' } }]);
    expect(pinned.pinned).toEqual(['Double']);
    const stopped = await client.debugSessions.stop(ws, s.id);
    expect(stopped).toMatchObject({ status: 'cancelled', next: [] });
    expect((await client.debugSessions.get(ws, s.id)).status).toBe('cancelled');
  });

  it('throws WeftApiError naming the bad field', async () => {
    const err = await client.debugSessions.start(ws, { workflow: chain }, { breakpoints: ['Nope'] }).catch((e) => e);
    expect(err).toBeInstanceOf(WeftApiError);
    expect([err.status, err.code]).toEqual([400, 'unknown-node']);
    expect(err.errors[0]).toMatchObject({ in: 'body', path: '/breakpoints/0' });
    const missing = await client.debugSessions.get(ws, 'no-such-session').catch((e) => e);
    expect([missing.status, missing.code]).toEqual([404, 'debug-session-not-found']);
  });
});
