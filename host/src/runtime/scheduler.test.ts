import { ManualClock } from '@weft/engine';
import { SqlTriggerState } from '@weft/sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { Scheduler } from './scheduler.js';

const everyMinute = {
  id: 'every-minute',
  name: 'Every minute',
  nodes: [
    {
      id: 's',
      name: 'Tick',
      type: 'weft.schedule',
      parameters: { mode: 'interval', everyMinutes: 1, missedTicks: 'skip' },
    },
    {
      id: 'x',
      name: 'Stamp',
      type: 'weft.set',
      parameters: { fields: [{ name: 'ran', value: '{{ $json.firedAt }}' }] },
    },
  ],
  connections: [{ source: 's', target: 'x' }],
};

let t: TestHost;
let token: string;
let ws: string;
beforeAll(async () => {
  t = await startTestHost();
  token = await t.login('owner@example.com', 'owner-password');
  ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
});
afterAll(async () => {
  await t?.close();
});

describe('schedules', () => {
  it('fires each tick exactly once across two schedulers sharing the database', async () => {
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: everyMinute })).status).toBe(201);
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows/every-minute/activate`, { token })).status).toBe(
      200,
    );
    const rt = t.host.runtime;
    expect(rt.scheduler.size).toBe(1);
    const listed = await t.call('GET', `/api/v1/workspaces/${ws}/schedules`, { token });
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        workflowId: 'every-minute',
        nodeId: 's',
        policy: 'skip',
        nextFireAt: expect.any(String),
      }),
    ]);
    await rt.scheduler.stop();
    const clock = new ManualClock(Date.now());
    const make = () =>
      new Scheduler({
        workflows: rt.engine.workflows,
        state: new SqlTriggerState(rt.h),
        launcher: rt.launcher,
        logger: rt.logger,
        clock,
      });
    const a = make();
    const b = make();
    await a.load([ws]);
    await b.load([ws]);
    expect(await a.tick()).toBe(0); // first sight: remembers now, fires nothing
    await clock.advance(61_000);
    const fired = (await a.tick()) + (await b.tick());
    expect(fired).toBe(1);
    await rt.launcher.drain(5000);
    const list = await t.call('GET', `/api/v1/workspaces/${ws}/executions?workflowId=every-minute`, { token });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].mode).toBe('schedule');
    expect(list.body.items[0].status).toBe('succeeded');
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows/every-minute/deactivate`, { token });
    expect(rt.scheduler.size).toBe(0);
  });

  it('refuses to activate a workflow with an invalid cron expression', async () => {
    const bad = {
      ...everyMinute,
      id: 'bad-cron',
      nodes: [{ ...everyMinute.nodes[0], parameters: { mode: 'cron', cron: 'every tuesday' } }, everyMinute.nodes[1]],
    };
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: bad });
    const r = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/bad-cron/activate`, { token });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('invalid-schedule');
  });
});
