import type { ExecutionMode, ExecutionRecord, ExecutionStatus } from '@weft/engine';
import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');

const backends = sqliteAndPostgres(pg);

/** Manual trigger -> Set: the order reference exists only in the Set node's output. */
const ordersWorkflow = {
  id: 'orders-search',
  name: 'Orders search',
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    {
      id: 'tag',
      name: 'Tag',
      type: 'weft.set',
      parameters: { fields: [{ name: 'orderRef', value: 'ORD-{{ $json.n * 7 }}' }] },
    },
  ],
  connections: [{ source: 'start', target: 'tag' }],
};

const T0 = 1_700_000_000_000;
const MODES: ExecutionMode[] = ['manual', 'webhook', 'schedule', 'retry'];
const STATUSES: ExecutionStatus[] = ['succeeded', 'failed', 'cancelled', 'waiting', 'running', 'succeeded'];

/** 24 executions with known times (pairs share a start time), modes, statuses, durations, inputs. */
function seeded(workspaceId: string, prefix = 'seed'): ExecutionRecord[] {
  return Array.from({ length: 24 }, (_, i) => {
    const status = STATUSES[i % STATUSES.length] as ExecutionStatus;
    const startedAt = T0 + Math.floor(i / 2) * 60_000;
    const finished = ['succeeded', 'failed', 'cancelled'].includes(status);
    return {
      id: `${prefix}-${String(i).padStart(3, '0')}`,
      workspaceId,
      workflowId: 'seeded',
      workflowVersion: 1,
      status,
      mode: MODES[i % MODES.length] as ExecutionMode,
      input: { main: [{ json: { customer: i % 3 === 0 ? 'acme' : 'globex', n: i } }] },
      startedAt,
      ...(finished ? { finishedAt: startedAt + ((i * 37) % 500) + 1 } : {}),
      depth: 0,
    };
  });
}

const newestFirst = (a: ExecutionRecord, b: ExecutionRecord) =>
  b.startedAt - a.startedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe.each(backends)('execution search over HTTP on %s', (_name, skip, open) => {
  let t: TestHost;
  let drop: (() => Promise<void>) | undefined;
  let token: string;
  let ws: string;
  let records: ExecutionRecord[];
  const runs: Record<string, string> = {};

  /** Every page of a search, following `nextCursor`; fails on a repeated id. */
  async function all(query: string, workspace = ws, auth = token): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 200; pages++) {
      const c = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const r = await t.call('GET', `/api/v1/workspaces/${workspace}/executions?${query}${c}`, { token: auth });
      expect(r.status, r.text).toBe(200);
      ids.push(...r.body.items.map((e: { id: string }) => e.id));
      cursor = r.body.nextCursor;
      if (!cursor) break;
    }
    expect(new Set(ids).size).toBe(ids.length);
    return ids;
  }

  const expected = (keep: (r: ExecutionRecord) => boolean) =>
    records
      .filter(keep)
      .sort(newestFirst)
      .map((r) => r.id);
  const duration = (r: ExecutionRecord) => (r.finishedAt === undefined ? undefined : r.finishedAt - r.startedAt);

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    t = await startTestHost(o.env);
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: ordersWorkflow })).status).toBe(
      201,
    );
    for (const [key, json] of [
      ['acme331', { customer: 'acme', n: 331 }],
      ['globex5', { customer: 'globex', n: 5 }],
      ['acme12', { customer: 'acme', n: 12 }],
    ] as const) {
      const r = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/orders-search/run`, {
        token,
        body: { input: [{ json }], wait: true },
      });
      expect(r.body.result?.status, r.text).toBe('succeeded');
      runs[key] = r.body.executionId;
    }
    records = seeded(ws);
    for (const r of records) await t.host.runtime.engine.executions.create(r);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it.skipIf(skip)('each filter narrows to exactly the matching executions, newest first', async () => {
    const wf = 'workflowId=seeded&limit=4';
    expect(await all(wf)).toEqual(expected(() => true));
    expect(await all('workflowId=orders-search')).toEqual([runs.acme12, runs.globex5, runs.acme331]);
    expect(await all(`${wf}&status=failed,cancelled`)).toEqual(
      expected((r) => r.status === 'failed' || r.status === 'cancelled'),
    );
    expect(await all(`${wf}&mode=webhook,schedule`)).toEqual(
      expected((r) => r.mode === 'webhook' || r.mode === 'schedule'),
    );
    const since = T0 + 3 * 60_000;
    const until = T0 + 8 * 60_000;
    expect(await all(`${wf}&since=${since}&until=${until}`)).toEqual(
      expected((r) => r.startedAt >= since && r.startedAt < until),
    );
    expect(await all(`${wf}&minDurationMs=200`)).toEqual(expected((r) => (duration(r) ?? -1) >= 200));
    expect(await all(`${wf}&maxDurationMs=100`)).toEqual(
      expected((r) => duration(r) !== undefined && (duration(r) as number) <= 100),
    );
    expect(await all(`${wf}&q=seed-01`)).toEqual(expected((r) => r.id.startsWith('seed-01')));
  });

  it.skipIf(skip)('finds an execution by text and by a JSON field found only in a node output', async () => {
    const input = (await t.call('GET', `/api/v1/workspaces/${ws}/executions/${runs.acme331}`, { token })).body;
    expect(JSON.stringify(input.input)).not.toContain('ORD-2317');
    expect(input.nodeRuns[1].output.main[0].json.orderRef).toBe('ORD-2317');

    expect(await all('contains=ORD-2317')).toEqual([runs.acme331]);
    expect(await all('contains=ord-2317')).toEqual([runs.acme331]);
    expect(await all('field=orderRef&value=ORD-2317')).toEqual([runs.acme331]);
    expect(await all('field=json.orderRef&value=ORD-35')).toEqual([runs.globex5]);
    expect(await all('workflowId=orders-search&field=json.customer&value=acme')).toEqual([runs.acme12, runs.acme331]);
    expect(await all('field=n&value=331')).toEqual([runs.acme331]);
    expect(await all(`field=n&value=${encodeURIComponent('"331"')}`)).toEqual([]);
    expect(await all('contains=ORD-99999')).toEqual([]);
    // The trigger input is searched too (seeded executions have no node runs).
    expect(await all('workflowId=seeded&field=customer&value=acme')).toEqual(
      expected((r) => r.input.main?.[0]?.json.customer === 'acme'),
    );
  });

  it.skipIf(skip)('combined filters with small pages and a small scan window return every match once', async () => {
    const acme = (r: ExecutionRecord) => r.input.main?.[0]?.json.customer === 'acme';
    expect(await all('workflowId=seeded&contains=acme&limit=2&scanLimit=3')).toEqual(expected(acme));
    const since = T0 + 60_000;
    expect(await all(`workflowId=seeded&status=succeeded,failed,waiting&since=${since}&contains=acme&limit=1`)).toEqual(
      expected((r) => acme(r) && r.startedAt >= since && ['succeeded', 'failed', 'waiting'].includes(r.status)),
    );
    expect(await all('workflowId=seeded&mode=manual,schedule&field=customer&value=globex&limit=2&scanLimit=5')).toEqual(
      expected((r) => !acme(r) && (r.mode === 'manual' || r.mode === 'schedule')),
    );
    const short = await t.call(
      'GET',
      `/api/v1/workspaces/${ws}/executions?workflowId=seeded&contains=acme&scanLimit=1`,
      {
        token,
      },
    );
    expect(short.body).toMatchObject({ items: [], scanLimitReached: true });
    expect(short.body.nextCursor).toMatch(/^\d+:seed-023$/);
  });

  it.skipIf(skip)('never returns another workspace’s executions', async () => {
    const rt = t.host.runtime;
    const user = await rt.identity.createUser({
      email: `other-${Math.random().toString(36).slice(2)}@example.com`,
      passwordHash: await hashPassword('password-123'),
    });
    const wsB = (await rt.identity.createWorkspace('B', user.id)).id;
    const other = await t.login(user.email, 'password-123');
    for (const r of seeded(wsB, 'b-seed').slice(0, 4)) await rt.engine.executions.create(r);
    const mine = await all('contains=acme&limit=50');
    expect(mine.some((id) => id.startsWith('b-seed'))).toBe(false);
    expect(await all('contains=acme', wsB, other)).toEqual(['b-seed-003', 'b-seed-000']);
    expect(await all('field=customer&value=acme', wsB, other)).toEqual(['b-seed-003', 'b-seed-000']);
    const intruder = await t.call('GET', `/api/v1/workspaces/${ws}/executions?contains=acme`, { token: other });
    expect(intruder.status).toBe(404);
  });

  it.skipIf(skip)('answers 400 naming the parameter for bad values', async () => {
    const cases: [string, string][] = [
      ['status=finished', '/status'],
      ['mode=cron', '/mode'],
      ['since=5&until=5', '/until'],
      ['minDurationMs=10&maxDurationMs=5', '/maxDurationMs'],
      ['minDurationMs=-1', '/minDurationMs'],
      ['field=customer', '/value'],
      ['value=acme', '/field'],
      [`field=customer&value=${encodeURIComponent('{"a":1}')}`, '/value'],
      ['field=a..b&value=1', '/field'],
      ['cursor=abc', '/cursor'],
      ['limit=0', '/limit'],
      ['scanLimit=100000&contains=x', '/scanLimit'],
    ];
    for (const [query, path] of cases) {
      const r = await t.call('GET', `/api/v1/workspaces/${ws}/executions?${query}`, { token });
      expect([query, r.status, r.body?.code, r.body?.errors?.[0]?.path]).toEqual([query, 400, 'invalid-query', path]);
      expect(r.body.detail).toContain(path.slice(1));
    }
  });
});
