import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const flow = {
  id: 'dl',
  name: 'Dead letter',
  nodes: [{ id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} }],
  connections: [],
};

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(async () => {
  await t?.close();
});

describe('dead-letter queue API', () => {
  it('lists a workspace’s dead letters, replays one and discards another', async () => {
    const rt = t.host.runtime;
    await rt.worker?.stop();
    const token = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: flow });
    const a = await rt.engine.enqueue(ws, 'dl');
    const b = await rt.engine.enqueue(ws, 'dl');
    const claimed = await rt.queue.claim({ workerId: 'test', leaseMs: 60_000, max: 10 });
    expect(claimed).toHaveLength(2);
    for (const job of claimed) await rt.queue.deadLetter(job, 'store unavailable (simulated)');

    const list = await t.call('GET', `/api/v1/workspaces/${ws}/dead-letters`, { token });
    expect(list.body.items.map((d: { job: { executionId: string } }) => d.job.executionId).sort()).toEqual(
      [a.executionId, b.executionId].sort(),
    );
    expect(list.body.items[0].error).toContain('simulated');
    const [first, second] = list.body.items;

    const viewer = await t.call('POST', `/api/v1/workspaces/${ws}/invites`, {
      token,
      body: { role: 'viewer', email: 'v@example.com' },
    });
    const v = await t.call('POST', '/api/v1/auth/signup', {
      body: { token: viewer.body.token, email: 'v@example.com', password: 'password-123' },
    });
    expect(
      (await t.call('POST', `/api/v1/workspaces/${ws}/dead-letters/${first.id}/replay`, { token: v.body.accessToken }))
        .status,
    ).toBe(403);

    const replayed = await t.call('POST', `/api/v1/workspaces/${ws}/dead-letters/${first.id}/replay`, { token });
    expect(replayed.body).toEqual({ replayed: true, executionId: first.job.executionId });
    expect((await t.call('DELETE', `/api/v1/workspaces/${ws}/dead-letters/${second.id}`, { token })).status).toBe(204);
    expect((await t.call('GET', `/api/v1/workspaces/${ws}/dead-letters`, { token })).body.items).toEqual([]);
    expect((await t.call('DELETE', `/api/v1/workspaces/${ws}/dead-letters/${second.id}`, { token })).status).toBe(404);

    // The replayed job runs once a worker claims it again.
    const again = await rt.queue.claim({ workerId: 'test', leaseMs: 60_000, max: 10 });
    expect(again.map((j) => j.job.executionId)).toEqual([first.job.executionId]);
    await rt.engine.runJob(again[0]?.job as never);
    await rt.queue.ack(again[0] as never);
    expect((await rt.engine.executions.get(ws, first.job.executionId))?.status).toBe('succeeded');
  });
});
