import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../create-app.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

/** Sends raw bytes (chunked when `chunked`), returning status, headers and body text. */
function send(
  base: string,
  path: string,
  body: Buffer,
  headers: Record<string, string>,
  chunked = false,
): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    if (chunked) {
      // No Content-Length: the size is only known while reading.
      for (let i = 0; i < body.length; i += 1024) req.write(body.subarray(i, i + 1024));
      req.end();
    } else req.end(body);
  });
}

describe('webhook ingress (node:http data plane)', () => {
  let t: TestHost;
  const echo = {
    id: 'echo',
    name: 'Echo',
    nodes: [
      {
        id: 'hook',
        name: 'Hook',
        type: 'weft.webhook',
        parameters: { path: 'ingress/echo', methods: ['POST'], responseMode: 'lastNode' },
      },
      {
        id: 'out',
        name: 'Out',
        type: 'weft.set',
        parameters: { fields: [{ name: 'got', value: '{{ $json.body }}' }] },
      },
    ],
    connections: [{ source: 'hook', target: 'out' }],
  };

  beforeAll(async () => {
    t = await startTestHost({ WEFT_BODY_LIMIT_BYTES: '4096' });
    const token = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, { token, body: echo })).status).toBe(201);
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows/echo/activate`, { token })).status).toBe(200);
  });
  afterAll(() => t?.close());

  const json = { 'content-type': 'application/json' };

  it('runs the workflow with the parsed body, and gives every answer a request id', async () => {
    const r = await send(t.base, '/hooks/ingress/echo', Buffer.from('{"order":7}'), json);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).got).toEqual({ order: 7 });
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers['x-weft-execution-id']).toBeTruthy();
    const given = await send(t.base, '/hooks/ingress/echo', Buffer.from('{}'), { ...json, 'x-request-id': 'trace-1' });
    expect(given.headers['x-request-id']).toBe('trace-1');
  });

  it('inflates gzip bodies and refuses encodings it cannot read', async () => {
    const gz = await send(t.base, '/hooks/ingress/echo', gzipSync('{"zipped":true}'), {
      ...json,
      'content-encoding': 'gzip',
    });
    expect(gz.status).toBe(200);
    expect(JSON.parse(gz.text).got).toEqual({ zipped: true });
    const bad = await send(t.base, '/hooks/ingress/echo', Buffer.from('x'), { ...json, 'content-encoding': 'zstd' });
    expect(bad.status).toBe(415);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(bad.text)).toMatchObject({
      code: 'unsupported-encoding',
      errors: [{ path: 'content-encoding' }],
    });
    const corrupt = await send(t.base, '/hooks/ingress/echo', Buffer.from('not gzip'), {
      ...json,
      'content-encoding': 'gzip',
    });
    expect(corrupt.status).toBe(400);
  });

  it('refuses bodies over the limit, declared or streamed, and keeps serving', async () => {
    const big = Buffer.from(JSON.stringify({ pad: 'x'.repeat(6000) }));
    const declared = await send(t.base, '/hooks/ingress/echo', big, json);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.text).code).toBe('body-too-large');
    const streamed = await send(t.base, '/hooks/ingress/echo', big, json, true);
    expect(streamed.status).toBe(413);
    // a gzip bomb is measured after inflating
    const bomb = await send(t.base, '/hooks/ingress/echo', gzipSync(big), { ...json, 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    expect((await send(t.base, '/hooks/ingress/echo', Buffer.from('{"after":1}'), json)).status).toBe(200);
  });

  it('answers malformed paths and unknown hooks with problems naming them', async () => {
    const bad = await send(t.base, '/hooks/ingress/%E0%A4%A', Buffer.from('{}'), json);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toMatchObject({ code: 'invalid-uri', errors: [{ in: 'params', path: 'path' }] });
    const missing = await send(t.base, '/hooks/ingress/nope', Buffer.from('{}'), json);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.text).detail).toContain('/hooks/ingress/nope');
  });

  it('serves the same hooks when the app is mounted under a prefix in an embedder’s Express server', async () => {
    const outer = express();
    outer.use('/automation', createApp(t.host.runtime, t.host.logger));
    const server = await new Promise<ReturnType<typeof outer.listen>>((resolve) => {
      const s = outer.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await send(base, '/automation/hooks/ingress/echo', Buffer.from('{"via":"embed"}'), json);
      expect(r.status).toBe(200);
      expect(JSON.parse(r.text).got).toEqual({ via: 'embed' });
    } finally {
      server.close();
    }
  });
});
