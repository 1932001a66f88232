import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../create-app.js';
import type { AnyRoute } from '../http/route.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';

let t: TestHost;
let token: string;
const ids: Record<string, string> = {};
const failures: string[] = [];

const MALFORMED_BODIES: Array<[string, string]> = [
  ['truncated object', '{"name":'],
  ['lone bracket', '['],
  ['not json', 'hello'],
  ['null', 'null'],
  ['string', '"text"'],
  ['number', '12345'],
  ['array', '[1,2,3]'],
  ['empty object', '{}'],
  ['proto pollution', '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}'],
  ['deep nesting', `${'['.repeat(2000)}${']'.repeat(2000)}`],
  ['huge string', JSON.stringify({ name: 'x'.repeat(200_000), workflow: 'y'.repeat(1000) })],
  [
    'wrong types',
    JSON.stringify({
      name: 1,
      nodes: 'x',
      connections: {},
      input: 'x',
      wait: 'yes',
      role: 7,
      data: [],
      fromNode: {},
      code: 1,
      token: 1,
      email: [],
      password: {},
    }),
  ],
  [
    'nulls',
    JSON.stringify({ name: null, nodes: [null], input: [null], data: null, workflow: null, workflows: [null] }),
  ],
  ['unicode', JSON.stringify({ name: '\u0000\ud800\uffff💥', email: '💥@💥', nodes: [{ id: '\u0000' }] })],
];

const BAD_PARAMS = [
  '%',
  '%ZZ',
  '..',
  '%2e%2e%2f',
  'a'.repeat(5000),
  '%00',
  '💥',
  '%F0%9F%92',
  "'; drop table users; --",
];
const BAD_QUERIES = [
  'limit=abc',
  'limit=-1',
  'limit=1e309',
  'limit=1&limit=2',
  'status=exploded',
  'status=',
  'cursor=%',
  'cursor=abc:def',
  'since=NaN',
  'q=%25%5C_',
  'format=xml',
  'from=0&to=-4',
  'executionId[]=1',
  'lastEventId=abc',
  'all=maybe',
  `q=${'x'.repeat(3000)}`,
];
const BAD_HEADERS: Array<Record<string, string>> = [
  { authorization: 'Bearer' },
  { authorization: 'Basic YTpi' },
  { authorization: `Bearer ${'a'.repeat(10_000)}` },
  { authorization: 'Bearer a.b.c' },
  { authorization: 'Bearer weft_deadbeef_nope' },
  { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwic2lkIjoieCJ9.' },
];

function pathFor(route: AnyRoute, values: Record<string, string>): string {
  return `/api/v1${route.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => values[name] ?? 'missing')}`;
}

async function send(
  label: string,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string },
) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 10_000);
  try {
    const res = await fetch(`${t.base}${path}`, {
      method,
      signal: ctrl.signal,
      headers: init.headers ?? {},
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('event-stream')) ctrl.abort();
    else await res.text();
    if (res.status >= 500) failures.push(`${label}: ${method} ${path.slice(0, 120)} -> ${res.status}`);
    else if (res.status >= 400 && !type.includes('application/problem+json'))
      failures.push(`${label}: ${method} ${path.slice(0, 120)} -> ${res.status} as ${type}`);
  } catch (e) {
    if ((e as Error).name !== 'AbortError')
      failures.push(`${label}: ${method} ${path.slice(0, 120)} -> ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  t = await startTestHost({ WEFT_RATE_LIMIT_WORKSPACE: '1000000', WEFT_RATE_LIMIT_API_KEY: '1000000' });
  token = await t.login('owner@example.com', 'owner-password');
  ids.workspaceId = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
  const ws = ids.workspaceId;
  await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: orderWebhookWorkflow('fuzz', 'wf') });
  await t.call('POST', `/api/v1/workspaces/${ws}/workflows/wf/activate`, { token });
  const hook = await t.call('POST', '/hooks/fuzz', { body: { lines: [] } });
  ids.executionId = hook.headers.get('x-weft-execution-id') as string;
  ids.workflowId = 'wf';
  ids.version = '1';
  ids.credentialId = (
    await t.call('POST', `/api/v1/workspaces/${ws}/credentials`, {
      token,
      body: { type: 'custom', name: 'c', data: { a: 'b' } },
    })
  ).body.id;
});
afterAll(async () => {
  await t?.close();
});

describe('fuzz: malformed requests to every route never get a 5xx', () => {
  const routes = () => apiRoutes(t.host.runtime);
  // Destructive routes get ids that do not exist, so a request that happens to be valid changes nothing.
  const valuesFor = (r: AnyRoute) => (r.method === 'delete' ? { workspaceId: ids.workspaceId as string } : ids);
  const auth = { authorization: `Bearer ${'TOKEN'}` };

  it('malformed and mistyped bodies, and wrong content types', async () => {
    for (const r of routes().filter((x) => x.method !== 'get' && x.method !== 'delete')) {
      const headers = { ...auth, authorization: `Bearer ${token}` };
      for (const [label, body] of MALFORMED_BODIES) {
        await send(`body ${label}`, r.method.toUpperCase(), pathFor(r, valuesFor(r)), {
          headers: { ...headers, 'content-type': 'application/json' },
          body,
        });
      }
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin-9',
        'application/xml',
      ]) {
        await send(`content-type ${type}`, r.method.toUpperCase(), pathFor(r, valuesFor(r)), {
          headers: { ...headers, 'content-type': type },
          body: '{"name":"x"}',
        });
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('random JSON bodies (fast-check)', async () => {
    const posts = routes().filter((x) => x.method !== 'get' && x.method !== 'delete');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts), fc.jsonValue({ maxDepth: 4 }), async (r, value) => {
        await send('random body', r.method.toUpperCase(), pathFor(r, valuesFor(r)), {
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(value),
        });
      }),
      { numRuns: 300, seed: 20261125 },
    );
    expect(failures).toEqual([]);
  }, 120_000);

  it('malformed path parameters and query strings', async () => {
    for (const r of routes()) {
      const names = [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string);
      for (const name of names) {
        for (const bad of BAD_PARAMS) {
          const values = {
            ...valuesFor(r),
            [name]: bad.startsWith('%') || bad === '..' ? bad : encodeURIComponent(bad),
          };
          await send(`param ${name}`, r.method.toUpperCase(), pathFor(r, values), {
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            ...(r.body ? { body: '{}' } : {}),
          });
        }
      }
      if (r.method === 'delete') continue;
      for (const q of BAD_QUERIES) {
        await send(`query ${q.slice(0, 20)}`, r.method.toUpperCase(), `${pathFor(r, valuesFor(r))}?${q}`, {
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(r.body ? { body: '{}' } : {}),
        });
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('malformed headers (authorization, Last-Event-ID, Idempotency-Key, request id)', async () => {
    for (const r of routes()) {
      for (const h of BAD_HEADERS) {
        await send('header', r.method.toUpperCase(), pathFor(r, valuesFor(r)), {
          headers: { ...h, 'content-type': 'application/json' },
          ...(r.body ? { body: '{}' } : {}),
        });
      }
    }
    const ws = ids.workspaceId as string;
    await send('last-event-id', 'GET', `/api/v1/workspaces/${ws}/events`, {
      headers: { authorization: `Bearer ${token}`, 'last-event-id': 'not-a-number' },
    });
    for (const headers of [
      { 'idempotency-key': 'k'.repeat(5000) },
      { 'x-request-id': '\t<script>' },
      { 'content-type': 'application/json; charset=utf-16' },
    ]) {
      await send('webhook header', 'POST', '/hooks/fuzz', {
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"lines":[]}',
      });
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('webhook ingress with malformed bodies and unknown paths', async () => {
    for (const [label, body] of MALFORMED_BODIES) {
      await send(`hook ${label}`, 'POST', '/hooks/fuzz', { headers: { 'content-type': 'application/json' }, body });
    }
    for (const p of [
      '/hooks/',
      '/hooks/%',
      '/hooks/%ZZ',
      `/hooks/${'a'.repeat(3000)}`,
      '/hooks/fuzz/../fuzz',
      '/api/v1/%ZZ',
      '/api/v1/nothing',
    ]) {
      await send('hook path', 'POST', p, { headers: { 'content-type': 'application/json' }, body: '{}' });
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
