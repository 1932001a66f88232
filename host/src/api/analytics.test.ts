import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');

const ok = {
  id: 'ok',
  name: 'Succeeds',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 's', name: 'Set', type: 'weft.noOp', parameters: {} },
  ],
  connections: [{ source: 't', target: 's' }],
};
const bad = {
  id: 'bad',
  name: 'Fails',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'e', name: 'Stop', type: 'weft.stopAndError', parameters: { message: 'boom' } },
  ],
  connections: [{ source: 't', target: 'e' }],
};

describe.each(sqliteAndPostgres(pg))('analytics API on %s', (_name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  const get = (path: string, as = token) => t.call('GET', `/api/v1/workspaces/${ws}/analytics/${path}`, { token: as });

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    t = await startTestHost({ ...o.env, WEFT_ANALYTICS: '1' });
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    for (const wf of [ok, bad])
      expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: wf })).status).toBe(201);
    for (let i = 0; i < 6; i++) {
      await t.call('POST', `/api/v1/workspaces/${ws}/workflows/ok/run`, { token, body: { wait: true } });
      if (i % 3 === 0)
        await t.call('POST', `/api/v1/workspaces/${ws}/workflows/bad/run`, { token, body: { wait: true } });
    }
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows/ok/test`, { token, body: {} });
    // Roll up as if the buckets of these runs had closed.
    await t.host.runtime.analytics.rollUp(Date.now() + 10 * 60_000);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)('counts finished production runs in realtime, failures included', async () => {
    const r = await get('realtime');
    expect(r.status).toBe(200);
    expect(r.body.windows.map((w: { minutes: number }) => w.minutes)).toEqual([1, 5, 15]);
    expect(r.body.windows[2]).toMatchObject({ runs: 8, failed: 2, errorRate: 0.25 });
    expect(r.body.windows[2].p95Ms).toBeGreaterThanOrEqual(0);
    expect(r.body).toMatchObject({ inFlight: 0, queued: 0 });
  });

  it.skipIf(skip)('pushes the realtime figures as Server-Sent Events', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${t.base}/api/v1/workspaces/${ws}/analytics/realtime/stream?interval=1`, {
      headers: { authorization: `Bearer ${token}` },
      signal: ctrl.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    while (!/event: realtime\ndata: .*\n/.test(text)) text += (await reader.read()).value ?? '';
    ctrl.abort();
    const first = JSON.parse(/event: realtime\ndata: (.*)\n/.exec(text)![1]!);
    expect(first.windows[2]).toMatchObject({ minutes: 15, runs: 8, failed: 2 });
    expect(first).toMatchObject({ inFlight: 0, queued: 0 });
    expect((await get('realtime/stream?interval=0')).status).toBe(400);
  });

  it.skipIf(skip)('serves historical series from the rollups, per workspace, workflow and node', async () => {
    const from = Date.now() - 3_600_000;
    const to = Date.now() + 3_600_000;
    const runs = await get(`historical?metric=runs&from=${from}&to=${to}&step=300000`);
    expect(runs.status).toBe(200);
    expect(runs.body.points.reduce((s: number, p: { value: number }) => s + p.value, 0)).toBe(8);
    const failed = await get(`historical?metric=failed&from=${from}&to=${to}&step=7200000&workflowId=bad`);
    expect(failed.body.points.reduce((s: number, p: { value: number }) => s + p.value, 0)).toBe(2);
    const node = await get(`historical?metric=runs&from=${from}&to=${to}&step=7200000&workflowId=ok&nodeId=s`);
    expect(node.body.points.reduce((s: number, p: { value: number }) => s + p.value, 0)).toBe(6);
    const bad = await get(`historical?metric=runs&from=${from}&to=${to}&step=1000000`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ in: 'query', path: 'step' });
    expect((await get(`historical?metric=nope`)).status).toBe(400);
    const scored = await get(`historical?metric=runs&from=${from}&to=${to}&step=300000&anomalies=true`);
    const withRuns = scored.body.points.filter((p: { value: number | null }) => p.value !== null);
    expect(withRuns.length).toBeGreaterThan(0);
    for (const p of withRuns) expect(p).toMatchObject({ score: expect.any(Number), anomaly: expect.any(Boolean) });
  });

  it.skipIf(skip)('scores health with each factor, and low for a workflow that always fails', async () => {
    const good = await get('health-score?workflowId=ok');
    expect(good.status).toBe(200);
    expect(good.body.score).toBe(100);
    const failing = await get('health-score?workflowId=bad');
    expect(failing.body.factors.find((f: { factor: string }) => f.factor === 'success')).toMatchObject({
      points: 0,
      value: 0,
    });
    expect(failing.body.score).toBeLessThan(70);
  });

  it.skipIf(skip)('reports the SLO budget and fires no alert below the minimum volume', async () => {
    const s = await get('slo?workflowId=bad&target=0.99');
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ objective: 'success', total: 2, bad: 2 });
    // The windows end at the rollup watermark; whether the last 5 minutes hold the runs depends on
    // the clock, so only the 30-minute and longer windows are asserted on.
    type Alert = { rule: string; firing: boolean; suppressed?: string };
    const byRule = (alerts: Alert[]) => Object.fromEntries(alerts.map((a) => [a.rule, a]));
    const quiet = byRule(s.body.alerts);
    expect(s.body.alerts.some((a: Alert) => a.firing)).toBe(false);
    expect(quiet['medium burn']?.suppressed).toBe('2 events in 6h, fewer than 50');
    expect(quiet['slow burn']?.suppressed).toBe('2 events in 3d, fewer than 50');
    const fires = byRule((await get('slo?workflowId=bad&target=0.99&minimumEvents=1')).body.alerts);
    expect([fires['medium burn']?.firing, fires['slow burn']?.firing]).toEqual([true, true]);
  });

  it.skipIf(skip)('computes ROI per workflow and exports it as CSV', async () => {
    const r = await get('roi?workflowId=ok&minutesSavedPerRun=10&hourlyRate=60&currency=EUR');
    expect(r.body).toMatchObject({ currency: 'EUR', successfulRuns: 6, hoursSaved: 1, value: 60, roi: null });
    const csv = await get('roi?format=csv&minutesSavedPerRun=10&hourlyRate=60');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.text.split('\r\n').slice(0, 3)).toEqual([
      'workflow,currency,successful_runs,hours_saved,value,cost,net,roi',
      'bad,USD,0,0,0,0,0,',
      'ok,USD,6,1,60,0,60,',
    ]);
  });
});
