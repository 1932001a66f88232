import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestHost } from '../testing/test-host.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-recovery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const slow = {
  id: 'slow',
  name: 'Slow',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    {
      id: 'c',
      name: 'Busy',
      type: 'weft.code',
      parameters: {
        mode: 'eachItem',
        code: 'const t = Date.now(); while (Date.now() - t < 300) {} return { done: true };',
      },
    },
  ],
  connections: [{ source: 't', target: 'c' }],
};

describe('durability of in-process executions', () => {
  it('finishes an in-flight execution during graceful shutdown', async () => {
    const a = await startTestHost({ WEFT_DATA_DIR: dir }, { keepDir: true });
    const token = await a.login('owner@example.com', 'owner-password');
    const ws = (await a.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    await a.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: slow });
    const run = await a.call('POST', `/api/v1/workspaces/${ws}/workflows/slow/run`, { token, body: {} });
    expect(run.status).toBe(202);
    await a.close();
    const b = await startTestHost({ WEFT_DATA_DIR: dir }, { keepDir: true });
    const r = await b.host.runtime.engine.executions.get(ws, run.body.executionId);
    expect(r?.status).toBe('succeeded');
    await b.close();
  });

  it('resumes executions a crashed process left running', async () => {
    const a = await startTestHost({ WEFT_DATA_DIR: dir }, { keepDir: true });
    const rt = a.host.runtime;
    const [ws] = await rt.identity.listWorkspaceIds();
    const stored = await rt.engine.workflows.get(ws as string, 'slow');
    // What a process killed mid-run leaves behind: a `running` record and no finished nodes.
    await rt.engine.executions.create({
      id: 'orphan-1',
      workspaceId: ws as string,
      workflowId: 'slow',
      workflowVersion: stored?.version as number,
      status: 'running',
      mode: 'manual',
      input: { main: [{ json: {} }] },
      startedAt: Date.now(),
      depth: 0,
    });
    await a.close();
    const b = await startTestHost({ WEFT_DATA_DIR: dir }, { keepDir: true });
    await expect
      .poll(async () => (await b.host.runtime.engine.executions.get(ws, 'orphan-1'))?.status, { timeout: 10_000 })
      .toBe('succeeded');
    const runs = await b.host.runtime.engine.executions.listNodeRuns('orphan-1');
    expect(runs.map((r) => r.nodeId)).toEqual(['t', 'c']);
    await b.close();
  });
});
