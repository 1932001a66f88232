import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ONE_HOUR, QuantileSketch } from '@weft/analytics';
import type { RollupRow } from '@weft/engine';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { decryptPush, pushBrowserKeys } from '../testing/push-browser-keys.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { WebhookReceiver } from '../testing/webhook-receiver.js';
import { createAlertEvaluator } from './alert-evaluator.js';

const pg = await serviceUrl('pg');

const failing = {
  id: 'bad',
  name: 'Fails',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'e', name: 'Stop', type: 'weft.stopAndError', parameters: { message: 'boom' } },
  ],
  connections: [{ source: 't', target: 'e' }],
};
const onEvent = (id: string, event: string) => ({
  id,
  name: id,
  nodes: [
    { id: 'on', name: 'On alert', type: 'weft.event', parameters: { event } },
    { id: 'n', name: 'Noted', type: 'weft.noOp', parameters: {} },
  ],
  connections: [{ source: 'on', target: 'n' }],
});

describe.each(sqliteAndPostgres(pg))('weft.alert.* events on %s', (_name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  let rx: WebhookReceiver;
  const pushes: Array<{ url: string; headers: IncomingMessage['headers']; body: Buffer }> = [];
  const pushService = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pushes.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(201).end();
    });
  });
  const call = (method: string, path: string, body?: unknown) =>
    t.call(method, `/api/v1/workspaces/${ws}${path}`, { token, ...(body !== undefined ? { body } : {}) });
  const runsOf = async (workflowId: string, want: number) => {
    let items: Array<{ id: string }> = [];
    for (let i = 0; i < 200; i++) {
      items = (await call('GET', `/executions?workflowId=${workflowId}`)).body.items;
      if (items.length >= want) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    return items;
  };

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    rx = await WebhookReceiver.start();
    t = await startTestHost({
      ...o.env,
      WEFT_ANALYTICS: '1',
      WEFT_HTTP_ALLOW: '127.0.0.1',
      WEFT_WEBHOOK_OUT_POLL_MS: '50',
    });
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    for (const w of [
      failing,
      onEvent('on-burn', 'weft.alert.slo_burn'),
      onEvent('on-ok', 'weft.alert.slo_burn.resolved'),
    ])
      expect((await call('POST', '/workflows', w)).status).toBe(201);
    const sub = await call('POST', '/webhook-subscriptions', {
      name: 'Alerts',
      url: rx.url,
      events: ['alert.slo_burn', 'alert.slo_burn.resolved'],
    });
    expect(sub.status).toBe(201);
    for (const id of ['on-burn', 'on-ok']) expect((await call('POST', `/workflows/${id}/activate`)).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await rx?.close();
    pushService.close();
    await drop?.();
  });

  it.skipIf(skip)('publishes one alert when failures burn the budget and one when it stops', async () => {
    const rt = t.host.runtime;
    expect((await call('PUT', '/workflows/bad/analytics-settings', { minimumEvents: 3 })).status).toBe(200);
    for (let i = 0; i < 4; i++) await call('POST', '/workflows/bad/run', { wait: true });
    // Two phones subscribed after the runs: one to alerts, which gets the start and the resolution,
    // one to failures only, which gets nothing (alerts have a push type of their own).
    await new Promise<void>((r) => pushService.listen(0, '127.0.0.1', r));
    rt.push.allowInsecureEndpoints = true;
    const keys = pushBrowserKeys();
    const service = `http://127.0.0.1:${(pushService.address() as AddressInfo).port}`;
    for (const [device, events] of [
      ['alerts-phone', ['alert']],
      ['failures-phone', ['workflow-failed']],
    ] as const) {
      const subscribed = await call('POST', '/push-subscriptions', {
        subscription: {
          endpoint: `${service}/${device}`,
          keys: device === 'alerts-phone' ? keys.json : pushBrowserKeys().json,
        },
        events,
      });
      expect(subscribed.status).toBe(201);
    }
    const later = Date.now() + 10 * 60_000;
    await rt.analytics.rollUp(later);
    // Further rounds, and a second evaluator as another process would run, see no new transition.
    await rt.analytics.rollUp(later + 1000);
    const other = createAlertEvaluator({
      analytics: rt.analytics,
      h: rt.h,
      logger: rt.logger,
      publish: async () => {},
    });
    expect((await other(later + 2000)).filter((x) => x.kind === 'slo_burn')).toEqual([]);
    const burn = await runsOf('on-burn', 1);
    expect(burn).toHaveLength(1);
    const exec = (await call('GET', `/executions/${burn[0]!.id}`)).body;
    expect(exec.input.main[0].json).toMatchObject({
      event: 'weft.alert.slo_burn',
      payload: { workflowId: 'bad', kind: 'slo_burn', active: true, target: 0.99, objective: 'success' },
    });
    expect(exec.input.main[0].json.payload.rules.length).toBeGreaterThan(0);
    expect(await runsOf('on-ok', 0)).toHaveLength(0);
    // Listed as firing; the workspace as a whole stays under its volume guard (default 50 runs).
    const firing = await call('GET', '/analytics/alerts');
    expect(firing.status).toBe(200);
    expect(firing.body.items).toEqual([
      expect.objectContaining({ workflowId: 'bad', scope: 'workflow', kind: 'slo_burn', since: later }),
    ]);
    expect(firing.body.items[0].detail.rules.length).toBeGreaterThan(0);

    // The burn stops counting (volume guard raised): resolved, once.
    await call('PUT', '/workflows/bad/analytics-settings', { minimumEvents: 1000 });
    await rt.analytics.rollUp(later + 3000);
    await rt.analytics.rollUp(later + 4000);
    expect((await other(later + 5000)).filter((x) => x.kind === 'slo_burn')).toEqual([]);
    const ok = await runsOf('on-ok', 1);
    expect(ok).toHaveLength(1);
    expect((await call('GET', '/analytics/alerts')).body.items).toEqual([]);
    expect((await call('GET', `/executions/${ok[0]!.id}`)).body.input.main[0].json).toMatchObject({
      event: 'weft.alert.slo_burn.resolved',
      payload: { workflowId: 'bad', active: false },
    });
    await rt.push.idle();
    expect(pushes.map((p) => p.url)).toEqual(['/alerts-phone', '/alerts-phone']);
    expect(pushes[0]?.headers['content-encoding']).toBe('aes128gcm');
    expect(pushes[0]?.headers.urgency).toBe('high');
    expect(pushes.map((p) => decryptPush(p.body, keys))).toEqual([
      {
        kind: 'alert',
        workspaceId: ws,
        workflowId: 'bad',
        workflowName: 'Fails',
        alert: 'slo_burn',
        active: true,
        message: expect.stringMatching(/^The error budget is burning at \d+\.\dx \(/),
      },
      {
        kind: 'alert',
        workspaceId: ws,
        workflowId: 'bad',
        workflowName: 'Fails',
        alert: 'slo_burn',
        active: false,
        message: 'The error budget stopped burning fast',
      },
    ]);
    // Outbound webhook subscribers got each transition once too.
    const got = await rx.until((all) => all.length >= 2);
    await new Promise((r) => setTimeout(r, 200));
    const types = got.map((r) => JSON.parse(r.body) as { type: string; data: { workflowId: string } });
    expect(types.map((x) => x.type).sort()).toEqual(['alert.slo_burn', 'alert.slo_burn.resolved']);
    expect(types.map((x) => x.data.workflowId)).toEqual(['bad', 'bad']);
    expect(await runsOf('on-burn', 0)).toHaveLength(1);
    expect(await runsOf('on-ok', 0)).toHaveLength(1);
  });

  it.skipIf(skip)(
    'starts one anomaly alert when the error rate jumps against its baseline, and resolves it',
    async () => {
      const rt = t.host.runtime;
      const hour = Math.floor(Date.now() / ONE_HOUR) * ONE_HOUR;
      const row = (start: number, status: string, bucketMs = 300_000): RollupRow => ({
        workspaceId: ws,
        workflowId: 'spiky',
        nodeId: '',
        status,
        bucketMs,
        bucketStart: start,
        count: 10,
        sumMs: 100,
        minMs: 10,
        maxMs: 10,
        retries: 0,
        sketch: new QuantileSketch().add(10, 10).encode(),
      });
      // Rollups of three days of clean hours, then of an hour where every run fails.
      // The workspace-wide rows (workflowId '') jump with it: the workspace alerts on its own, once.
      const rollups = async (from: number, to: number, failedHour?: number) => {
        for (const bucketMs of [300_000, ONE_HOUR]) {
          const rows: RollupRow[] = [];
          for (let h = from; h < to; h += ONE_HOUR)
            for (const workflowId of ['spiky', ''])
              rows.push({ ...row(h, h === failedHour ? 'failed' : 'succeeded', bucketMs), workflowId });
          await rt.analytics.store.replaceBuckets(bucketMs === ONE_HOUR ? '1h' : '5m', bucketMs, from, to, rows);
        }
      };
      await rollups(hour - 72 * ONE_HOUR, hour, hour - ONE_HOUR);
      const published: Array<{ name: string; payload: Record<string, unknown> }> = [];
      const evaluate = createAlertEvaluator({
        analytics: rt.analytics,
        h: rt.h,
        logger: rt.logger,
        publish: async (_ws, name, payload) => void published.push({ name, payload }),
      });
      await evaluate(hour + 60_000);
      await evaluate(hour + 120_000);
      const anomalies = () => published.filter((p) => p.name.startsWith('weft.alert.anomaly'));
      const of = (wf: string) => anomalies().filter((p) => p.payload.workflowId === wf);
      expect(of('spiky')).toEqual([
        {
          name: 'weft.alert.anomaly',
          payload: expect.objectContaining({ scope: 'workflow', metric: 'errorRate', value: 1, at: hour - ONE_HOUR }),
        },
      ]);
      expect(of('')).toEqual([
        {
          name: 'weft.alert.anomaly',
          payload: expect.objectContaining({ scope: 'workspace', metric: 'errorRate', value: 1, at: hour - ONE_HOUR }),
        },
      ]);
      const listed = (await call('GET', '/analytics/alerts')).body.items as Array<{ scope: string; kind: string }>;
      expect(
        listed
          .filter((a) => a.kind === 'anomaly')
          .map((a) => a.scope)
          .sort(),
      ).toEqual(['workflow', 'workspace']);
      // The next hour is clean again: resolved, once.
      await rollups(hour, hour + ONE_HOUR);
      await evaluate(hour + ONE_HOUR + 60_000);
      await evaluate(hour + ONE_HOUR + 120_000);
      for (const wf of ['spiky', ''])
        expect(of(wf).map((p) => p.name)).toEqual(['weft.alert.anomaly', 'weft.alert.anomaly.resolved']);
      const after = (await call('GET', '/analytics/alerts')).body.items as Array<{ kind: string }>;
      expect(after.filter((a) => a.kind === 'anomaly')).toEqual([]);
    },
  );
});
