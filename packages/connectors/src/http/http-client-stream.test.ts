import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, sendJson, startLocalServer } from '../testing/local-server.js';
import { BlockedAddressError } from './address-policy.js';
import { createHttpClient } from './http-client.js';
import { HttpError, HttpTimeoutError, ResponseTooLargeError } from './http-error.js';

let server: LocalServer;
// The /drip handler waits for this before its second chunk: the client must have seen the first.
let firstSeen: Promise<void> = Promise.resolve();
const hits = new Map<string, number>();

beforeAll(async () => {
  server = await startLocalServer(async (req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    switch (path) {
      case '/drip':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first;');
        await firstSeen;
        return res.end('second');
      case '/big':
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        for (let i = 0; i < 64; i++) res.write(Buffer.alloc(1024, 1));
        return res.end();
      case '/hang':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('start');
        return; // never ends: the client's abort or timeout must stop it
      case '/drop':
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('partial');
        setImmediate(() => res.destroy());
        return;
      case '/fail':
        return sendJson(res, 400, { error: 'bad request body' });
      default:
        return sendJson(res, 404, {});
    }
  });
});
afterAll(() => server.close());

const http = createHttpClient({ allow: ['127.0.0.1/32'] });
const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('utf8');

describe('createHttpClient streaming (onChunk)', () => {
  it('hands chunks over as they arrive, before the response has ended', async () => {
    let markSeen!: () => void;
    firstSeen = new Promise((r) => {
      markSeen = r;
    });
    const chunks: Uint8Array[] = [];
    const res = await http.request({
      url: `${server.url}/drip`,
      onChunk: (c) => {
        chunks.push(c);
        if (text(chunks).includes('first;')) markSeen();
      },
    });
    expect(text(chunks)).toBe('first;second');
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(res.status).toBe(200);
    expect(res.body).toBeUndefined();
    expect(res.bytes.byteLength).toBe(0);
  });

  it('keeps the address policy: a stream to a blocked address never starts', async () => {
    const strict = createHttpClient();
    await expect(strict.request({ url: `${server.url}/drip`, onChunk: () => {} })).rejects.toBeInstanceOf(
      BlockedAddressError,
    );
  });

  it('applies the size limit to the stream', async () => {
    let delivered = 0;
    const err = await http
      .request({
        url: `${server.url}/big`,
        maxResponseBytes: 10_000,
        onChunk: (c) => {
          delivered += c.byteLength;
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(delivered).toBeLessThanOrEqual(10_000);
  });

  it('stops on abort and on timeout mid-stream', async () => {
    const controller = new AbortController();
    const reason = new Error('user stopped the run');
    await expect(
      http.request({ url: `${server.url}/hang`, signal: controller.signal, onChunk: () => controller.abort(reason) }),
    ).rejects.toBe(reason);
    let got = '';
    await expect(
      http.request({
        url: `${server.url}/hang`,
        timeoutMs: 300,
        onChunk: (c) => {
          got += Buffer.from(c).toString();
        },
      }),
    ).rejects.toBeInstanceOf(HttpTimeoutError);
    expect(got).toBe('start');
  });

  it("rejects with the handler's own error, and never retries a stream that started", async () => {
    const mine = new Error('bad chunk');
    await expect(
      http.request({
        url: `${server.url}/drip`,
        retry: { attempts: 3, baseMs: 1 },
        onChunk: () => {
          throw mine;
        },
      }),
    ).rejects.toBe(mine);
    expect(hits.get('/drip')).toBe(2);
    await expect(
      http.request({ url: `${server.url}/drop`, retry: { attempts: 3, baseMs: 1 }, onChunk: () => {} }),
    ).rejects.toThrow();
    expect(hits.get('/drop')).toBe(1);
  });

  it('reads error responses whole, for their message, without streaming them', async () => {
    let called = false;
    const err = await http
      .request({
        url: `${server.url}/fail`,
        onChunk: () => {
          called = true;
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).body).toEqual({ error: 'bad request body' });
    expect(called).toBe(false);
  });
});
