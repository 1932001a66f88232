import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');

const wf = (id: string, fail: boolean) => ({
  id,
  name: id,
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    fail
      ? { id: 'e', name: 'Stop', type: 'weft.stopAndError', parameters: { message: 'boom' } }
      : { id: 's', name: 'Set', type: 'weft.noOp', parameters: {} },
  ],
  connections: [{ source: 't', target: fail ? 'e' : 's' }],
});

describe.each(sqliteAndPostgres(pg))('stored analytics settings on %s', (_name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  const call = (method: string, path: string, body?: unknown) =>
    t.call(method, `/api/v1/workspaces/${ws}${path}`, { token, ...(body !== undefined ? { body } : {}) });

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    t = await startTestHost({ ...o.env, WEFT_ANALYTICS: '1' });
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    for (const w of [wf('ok', false), wf('bad', true)]) expect((await call('POST', '/workflows', w)).status).toBe(201);
    for (let i = 0; i < 4; i++) await call('POST', '/workflows/ok/run', { wait: true });
    await call('POST', '/workflows/bad/run', { wait: true });
    await t.host.runtime.analytics.rollUp(Date.now() + 10 * 60_000);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)('keeps workspace defaults and workflow values, the workflow’s over the default', async () => {
    expect((await call('GET', '/workflows/ok/analytics-settings')).body).toEqual({ settings: {}, effective: {} });
    const d = await call('PUT', '/analytics-settings', { sloTarget: 0.9, currency: 'EUR', minutesSavedPerRun: 5 });
    expect(d.status).toBe(200);
    expect(d.body.settings).toEqual({ sloTarget: 0.9, currency: 'EUR', minutesSavedPerRun: 5 });
    const w = await call('PUT', '/workflows/ok/analytics-settings', {
      minutesSavedPerRun: 15,
      hourlyRate: 40,
      costPerExecution: 0.5,
    });
    expect(w.body).toEqual({
      settings: { minutesSavedPerRun: 15, hourlyRate: 40, costPerExecution: 0.5 },
      effective: { sloTarget: 0.9, currency: 'EUR', minutesSavedPerRun: 15, hourlyRate: 40, costPerExecution: 0.5 },
    });
    expect((await call('GET', '/workflows/ok/analytics-settings')).body).toEqual(w.body);
    expect((await call('GET', '/workflows/bad/analytics-settings')).body.effective.minutesSavedPerRun).toBe(5);
  });

  it.skipIf(skip)('feeds ROI and SLO when the query sets nothing, and the query still wins', async () => {
    await call('PUT', '/workflows/ok/analytics-settings', {
      minutesSavedPerRun: 15,
      hourlyRate: 40,
      costPerExecution: 0.5,
    });
    const roi = await call('GET', '/analytics/roi?workflowId=ok');
    expect(roi.body).toMatchObject({ currency: 'EUR', successfulRuns: 4, hoursSaved: 1, value: 40 });
    expect(roi.body.cost).toMatchObject({ executions: 2, total: 2 });
    expect((await call('GET', '/analytics/roi?workflowId=ok&minutesSavedPerRun=30')).body.hoursSaved).toBe(2);
    await call('PUT', '/workflows/bad/analytics-settings', { latencyObjectiveMs: 60_000, windowDays: 7 });
    const slo = await call('GET', '/analytics/slo?workflowId=bad');
    expect(slo.body).toMatchObject({ target: 0.9, objective: 'latency', latencyMs: 60_000, periodDays: 7, bad: 0 });
    expect((await call('GET', '/analytics/slo?workflowId=bad&target=0.5')).body.target).toBe(0.5);
  });

  it.skipIf(skip)('refuses bad values by name and unknown workflows', async () => {
    const bad = await call('PUT', '/workflows/ok/analytics-settings', { sloTarget: 1.5 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('sloTarget');
    expect((await call('PUT', '/workflows/ok/analytics-settings', { nope: 1 })).status).toBe(400);
    expect((await call('GET', '/workflows/missing/analytics-settings')).status).toBe(404);
    expect((await call('PUT', '/workflows/missing/analytics-settings', {})).status).toBe(404);
  });
});
