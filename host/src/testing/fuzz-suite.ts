import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiRoutes } from '../create-app.js';
import type { AnyRoute } from '../http/route.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';
import { BAD_HEADERS, BAD_PARAMS, BAD_QUERIES, known, MALFORMED_BODIES, SEED } from './fuzz-inputs.js';
import type { HostBackend } from './host-backends.js';
import {
  badCursor,
  deepJson,
  encodeAny,
  hugeInteger,
  openApiOperations,
  replaced,
  type Schema,
  schemaArbitrary,
  stringPaths,
  unstorableText,
} from './schema-arbitrary.js';
import { startTestHost, type TestHost } from './test-host.js';

/**
 * Sends malformed requests, generated from the OpenAPI document and from fixed lists, to every API
 * route and the webhook ingress of a real host, and fails on any 5xx or non-problem+json error.
 * One test file per backend, so vitest runs the SQLite and Postgres suites in parallel.
 *
 * @example
 * ```ts
 * describeFuzz(sqliteAndPostgres(await serviceUrl('pg'))[0]);
 * ```
 */
export function describeFuzz(backend: HostBackend): void {
  const [title, skip, open] = backend;
  describe(`fuzz on ${title}: malformed requests to every route never get a 5xx`, () => {
    let t: TestHost;
    let drop: (() => Promise<void>) | undefined;
    let token: string;
    let sessionLost = false;
    let doc: Schema;
    const ids: Record<string, string> = {};
    const failures: string[] = [];

    // Some routes end the session they are called with (logout): sign in again after one did.
    const fresh = async () => {
      if (!sessionLost) return;
      token = await t.login('owner@example.com', 'owner-password');
      sessionLost = false;
    };

    const send = async (
      label: string,
      method: string,
      path: string,
      init: { headers?: Record<string, string>; body?: string },
    ) => {
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
        if (res.status === 401 && init.headers?.authorization === `Bearer ${token}`) sessionLost = true;
        if (res.status >= 500) failures.push(`${label}: ${method} ${path.slice(0, 120)} -> ${res.status}`);
        else if (res.status >= 400 && !type.includes('application/problem+json'))
          failures.push(`${label}: ${method} ${path.slice(0, 120)} -> ${res.status} as ${type}`);
      } catch (e) {
        if ((e as Error).name !== 'AbortError')
          failures.push(`${label}: ${method} ${path.slice(0, 120)} -> ${(e as Error).message}`);
      } finally {
        clearTimeout(timer);
      }
    };
    const authed = (extra: Record<string, string> = {}) => ({
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...extra,
    });

    // Destructive routes get ids that do not exist, so a request that happens to be valid changes nothing.
    const valuesFor = (method: string) =>
      method.toLowerCase() === 'delete' ? { workspaceId: ids.workspaceId as string } : ids;
    const pathFor = (template: string, values: Record<string, string>) =>
      template.replace(
        /:([A-Za-z]+)|\{([A-Za-z]+)\}/g,
        (_m, a?: string, b?: string) => values[(a ?? b) as string] ?? 'missing',
      );
    const routes = () => apiRoutes(t.host.runtime);
    const apiPath = (r: AnyRoute, values: Record<string, string>) => `/api/v1${pathFor(r.path, values)}`;

    beforeAll(async () => {
      if (skip) return;
      const o = await open();
      drop = o.drop;
      t = await startTestHost({ ...o.env, WEFT_RATE_LIMIT_WORKSPACE: '1000000', WEFT_RATE_LIMIT_API_KEY: '1000000' });
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
      doc = (await t.call('GET', '/api/openapi.json')).body;
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });
    // A request that happened to be valid may have changed the webhook workflow: put it back.
    beforeEach(async () => {
      failures.length = 0;
      sessionLost = true;
      await fresh();
      const wf = `/api/v1/workspaces/${ids.workspaceId}/workflows/wf`;
      const body = orderWebhookWorkflow('fuzz', 'wf');
      if ((await t.call('PUT', wf, { token, body })).status === 404)
        await t.call('POST', `/api/v1/workspaces/${ids.workspaceId}/workflows`, { token, body });
      expect((await t.call('POST', `${wf}/activate`, { token })).status).toBe(200);
    });

    it.skipIf(skip)(
      'malformed and mistyped bodies, and wrong content types',
      async () => {
        for (const r of routes().filter((x) => x.method !== 'get' && x.method !== 'delete')) {
          await fresh();
          // One route's bodies go out together, like its bad path and query values below: they are
          // independent, and one at a time this test took 120 s of the Postgres run.
          await Promise.all([
            ...MALFORMED_BODIES.map(([label, body]) =>
              send(`body ${label}`, r.method.toUpperCase(), apiPath(r, valuesFor(r.method)), {
                headers: authed(),
                body,
              }),
            ),
            ...[
              'text/plain',
              'application/x-www-form-urlencoded',
              'multipart/form-data; boundary=x',
              'application/json; charset=latin-9',
              'application/xml',
            ].map((type) =>
              send(`content-type ${type}`, r.method.toUpperCase(), apiPath(r, valuesFor(r.method)), {
                headers: authed({ 'content-type': type }),
                body: '{"name":"x"}',
              }),
            ),
          ]);
        }
        expect(failures).toEqual([]);
      },
      180_000,
    );

    it.skipIf(skip)(
      'random JSON bodies (fast-check)',
      async () => {
        const posts = routes().filter((x) => x.method !== 'get' && x.method !== 'delete');
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom(...posts),
            fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }),
            async (r, value) => {
              await fresh();
              await send('random body', r.method.toUpperCase(), apiPath(r, valuesFor(r.method)), {
                headers: authed(),
                body: JSON.stringify(value),
              });
            },
          ),
          { numRuns: 300, seed: SEED },
        );
        expect(failures).toEqual([]);
      },
      180_000,
    );

    it.skipIf(skip)(
      'malformed path parameters and query strings',
      async () => {
        for (const r of routes()) {
          await fresh();
          for (const name of [...r.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string)) {
            // One route's bad values go out together: they are independent, and one at a time the
            // suite outgrew its time limit as routes were added.
            await Promise.all(
              BAD_PARAMS.filter((bad) => !(bad === '..' && r.method === 'delete')).map((bad) => {
                // The client resolves `..` before sending: on a delete it would reach the parent (the workspace).
                const values = {
                  ...valuesFor(r.method),
                  [name]: bad.startsWith('%') || bad === '..' ? bad : encodeURIComponent(bad),
                };
                return send(`param ${name}`, r.method.toUpperCase(), apiPath(r, values), {
                  headers: authed(),
                  ...(r.body ? { body: '{}' } : {}),
                });
              }),
            );
          }
          if (r.method === 'delete') continue;
          await Promise.all(
            BAD_QUERIES.map((q) =>
              send(`query ${q.slice(0, 20)}`, r.method.toUpperCase(), `${apiPath(r, valuesFor(r.method))}?${q}`, {
                headers: authed(),
                ...(r.body ? { body: '{}' } : {}),
              }),
            ),
          );
        }
        expect(failures).toEqual([]);
      },
      180_000,
    );

    it.skipIf(skip)(
      'from the OpenAPI document: bad cursors, huge integers, NUL and lone surrogates in every path and query parameter',
      async () => {
        const cases = openApiOperations(doc).flatMap((op) => op.parameters.map((p) => ({ op, p })));
        expect(cases.length).toBeGreaterThan(50);
        for (const { op, p } of cases) {
          const values =
            p.schema.type === 'integer'
              ? hugeInteger
              : p.name === 'cursor'
                ? badCursor
                : p.schema.type === 'string'
                  ? unstorableText
                  : undefined;
          if (!values) continue;
          await fresh();
          await fc.assert(
            fc.asyncProperty(values, async (value) => {
              const given = { ...valuesFor(op.method), ...(p.in === 'path' ? { [p.name]: encodeAny(value) } : {}) };
              const query = p.in === 'query' ? `?${p.name}=${encodeAny(value)}` : '';
              await send(`${p.in} ${p.name}`, op.method, `${pathFor(op.path, given)}${query}`, {
                headers: authed(),
                ...(op.body ? { body: '{}' } : {}),
              });
            }),
            { numRuns: 4, seed: SEED },
          );
        }
        expect(failures).toEqual([]);
      },
      300_000,
    );

    it.skipIf(skip)(
      'from the OpenAPI document: NUL and lone surrogates in every string field, deep JSON in every body',
      async () => {
        const components = (doc.components?.schemas ?? {}) as Record<string, Schema>;
        const ops = openApiOperations(doc).filter((op) => op.body);
        expect(ops.length).toBeGreaterThan(20);
        for (const op of ops) {
          await fresh();
          const path = pathFor(op.path, valuesFor(op.method));
          const [body] = fc.sample(schemaArbitrary(op.body as Schema, { components, known }), {
            numRuns: 1,
            seed: SEED,
          });
          const fields = stringPaths(body);
          const [bad] = fc.sample(fc.array(unstorableText, { minLength: fields.length, maxLength: fields.length }), {
            numRuns: 1,
            seed: SEED,
          });
          for (const [i, at] of fields.entries()) {
            await send(`string field /${at.join('/')}`, op.method, path, {
              headers: authed(),
              body: JSON.stringify(replaced(body, at, bad?.[i])),
            });
          }
          const [deep] = fc.sample(deepJson, { numRuns: 1, seed: SEED });
          const spots = [[], ...fields, ...(body && typeof body === 'object' ? Object.keys(body).map((k) => [k]) : [])];
          for (const at of spots) {
            const text = JSON.stringify(replaced(body, at, '\u0001deep\u0001')).replace(
              '"\\u0001deep\\u0001"',
              deep as string,
            );
            await send(`deep JSON at /${at.join('/')}`, op.method, path, { headers: authed(), body: text });
          }
        }
        expect(failures).toEqual([]);
      },
      300_000,
    );

    it.skipIf(skip)(
      'malformed headers (authorization, Last-Event-ID, Idempotency-Key, request id)',
      async () => {
        for (const r of routes()) {
          for (const h of BAD_HEADERS) {
            await send('header', r.method.toUpperCase(), apiPath(r, valuesFor(r.method)), {
              headers: { ...h, 'content-type': 'application/json' },
              ...(r.body ? { body: '{}' } : {}),
            });
          }
        }
        await fresh();
        await send('last-event-id', 'GET', `/api/v1/workspaces/${ids.workspaceId}/events`, {
          headers: { authorization: `Bearer ${token}`, 'last-event-id': 'not-a-number' },
        });
        const odd: Array<Record<string, string>> = [
          { 'idempotency-key': 'k'.repeat(5000) },
          { 'x-request-id': '\t<script>' },
          { 'content-type': 'application/json; charset=utf-16' },
        ];
        for (const headers of odd) {
          await send('webhook header', 'POST', '/hooks/fuzz', {
            headers: { 'content-type': 'application/json', ...headers },
            body: '{"lines":[]}',
          });
        }
        expect(failures).toEqual([]);
      },
      180_000,
    );

    it.skipIf(skip)(
      'webhook ingress: malformed bodies, unknown paths, NUL, lone surrogates and deep JSON in payloads and queries',
      async () => {
        for (const [label, body] of MALFORMED_BODIES)
          await send(`hook ${label}`, 'POST', '/hooks/fuzz', { headers: { 'content-type': 'application/json' }, body });
        for (const p of [
          '/hooks/',
          '/hooks/%',
          '/hooks/%ZZ',
          `/hooks/${'a'.repeat(3000)}`,
          '/hooks/fuzz/../fuzz',
          '/hooks/a%00b',
          '/api/v1/%ZZ',
          '/api/v1/nothing',
        ]) {
          await send('hook path', 'POST', p, { headers: { 'content-type': 'application/json' }, body: '{}' });
        }
        await fc.assert(
          fc.asyncProperty(
            fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }),
            unstorableText,
            fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain'),
            async (payload, text, type) => {
              const body =
                type === 'application/json' ? JSON.stringify({ lines: [], payload, text }) : `a=${encodeAny(text)}`;
              await send('hook payload', 'POST', `/hooks/fuzz?q=${encodeAny(text)}`, {
                headers: { 'content-type': type },
                body,
              });
            },
          ),
          { numRuns: 60, seed: SEED },
        );
        await fc.assert(
          fc.asyncProperty(deepJson, async (deep) => {
            await send('hook deep', 'POST', '/hooks/fuzz', {
              headers: { 'content-type': 'application/json' },
              body: `{"lines":[],"x":${deep}}`,
            });
          }),
          { numRuns: 4, seed: SEED },
        );
        expect(failures).toEqual([]);
      },
      180_000,
    );
  });
}
