import { MemoryRateLimiter } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstantClock } from '../testing/instant-clock.js';
import { type LocalServer, sendJson, startLocalServer } from '../testing/local-server.js';
import { BlockedAddressError } from './address-policy.js';
import { CircuitBreaker, CircuitOpenError } from './circuit-breaker.js';
import { createHttpClient } from './http-client.js';
import { HttpError, HttpTimeoutError, ResponseTooLargeError } from './http-error.js';

let server: LocalServer;
let flaky = 0;
beforeAll(async () => {
  server = await startLocalServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    switch (url.pathname) {
      case '/echo':
        return sendJson(res, 200, {
          method: req.method,
          query: Object.fromEntries(url.searchParams),
          contentType: req.headers['content-type'] ?? null,
          authorization: req.headers.authorization ?? null,
          body: req.body.toString('utf8'),
        });
      case '/redirect-private':
        res.writeHead(302, { location: `http://127.0.0.2:${server.port}/echo` });
        return res.end();
      case '/redirect-same':
        res.writeHead(303, { location: '/echo?from=redirect' });
        return res.end();
      case '/big':
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        for (let i = 0; i < 64; i++) res.write(Buffer.alloc(1024, 1));
        return res.end();
      case '/slow':
        await new Promise((r) => setTimeout(r, 500));
        return sendJson(res, 200, {});
      case '/flaky':
        flaky++;
        if (flaky < 3) return sendJson(res, 503, { error: 'busy' }, { 'retry-after': '2' });
        return sendJson(res, 200, { tries: flaky });
      case '/fail':
        return sendJson(res, 500, { error: 'boom' });
      case '/missing':
        return sendJson(res, 404, { message: 'Not Found' });
      default:
        return sendJson(res, 404, {});
    }
  });
});
afterAll(() => server.close());

const allowLoopback = ['127.0.0.1/32'];

describe('createHttpClient', () => {
  it('refuses loopback unless the allow-list names it', async () => {
    const http = createHttpClient();
    await expect(http.request({ url: `${server.url}/echo` })).rejects.toBeInstanceOf(BlockedAddressError);
    expect(server.requests).toHaveLength(0);
    const allowed = createHttpClient({ allow: allowLoopback });
    const res = await allowed.request<{ method: string }>({ url: `${server.url}/echo` });
    expect(res.body.method).toBe('GET');
  });

  it('refuses IPv4-mapped IPv6 and metadata addresses before connecting', async () => {
    const http = createHttpClient();
    await expect(http.request({ url: `http://[::ffff:127.0.0.1]:${server.port}/echo` })).rejects.toThrow(/loopback/);
    await expect(http.request({ url: 'http://169.254.169.254/latest/meta-data' })).rejects.toThrow(/metadata/);
    await expect(http.request({ url: 'http://metadata.google.internal/' })).rejects.toThrow(/cloud-metadata/);
  });

  it('checks the resolved address and pins it for the connection (DNS rebinding)', async () => {
    const resolve = async () => [{ address: '127.0.0.1', family: 4 }];
    const blocked = createHttpClient({ resolve });
    await expect(blocked.request({ url: `http://rebind.test:${server.port}/echo` })).rejects.toThrow(
      /rebind\.test \(127\.0\.0\.1\) blocked: loopback/,
    );
    const pinned = createHttpClient({ resolve, allow: allowLoopback });
    const res = await pinned.request<{ method: string }>({ url: `http://rebind.test:${server.port}/echo` });
    expect(res.body.method).toBe('GET');
  });

  it('checks every redirect hop', async () => {
    const http = createHttpClient({ allow: allowLoopback });
    await expect(http.request({ url: `${server.url}/redirect-private` })).rejects.toThrow(/127\.0\.0\.2.*loopback/);
    const res = await http.request<{ method: string; query: object }>({
      method: 'POST',
      url: `${server.url}/redirect-same`,
      json: { a: 1 },
    });
    expect(res.body).toMatchObject({ method: 'GET', query: { from: 'redirect' } });
  });

  it('encodes query, JSON, form and multipart bodies', async () => {
    const http = createHttpClient({ allow: allowLoopback });
    type Echo = { query: Record<string, string>; contentType: string; body: string };
    const q = await http.request<Echo>({ url: `${server.url}/echo`, query: { a: 1, b: ['x', 'y'], c: undefined } });
    expect(q.body.query).toEqual({ a: '1', b: 'y' });
    const j = await http.request<Echo>({ method: 'POST', url: `${server.url}/echo`, json: { hi: true } });
    expect(j.body).toMatchObject({ contentType: 'application/json', body: '{"hi":true}' });
    const f = await http.request<Echo>({ method: 'POST', url: `${server.url}/echo`, form: { a: 'b c', n: 2 } });
    expect(f.body).toMatchObject({ contentType: 'application/x-www-form-urlencoded', body: 'a=b+c&n=2' });
    const m = await http.request<Echo>({
      method: 'POST',
      url: `${server.url}/echo`,
      multipart: { note: 'hello', file: { data: 'file-content', fileName: 'a.txt', contentType: 'text/plain' } },
    });
    expect(m.body.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(m.body.body).toContain('filename="a.txt"');
    expect(m.body.body).toContain('file-content');
    await expect(http.request({ url: `${server.url}/echo`, json: {}, body: 'x' })).rejects.toThrow(
      /both body and json/,
    );
  });

  it('aborts a streamed response past the size limit', async () => {
    const http = createHttpClient({ allow: allowLoopback, maxResponseBytes: 10_000 });
    await expect(http.request({ url: `${server.url}/big` })).rejects.toBeInstanceOf(ResponseTooLargeError);
    const ok = await http.request<Uint8Array>({ url: `${server.url}/big`, maxResponseBytes: 100_000 });
    expect(ok.body).toBeInstanceOf(Uint8Array);
    expect(ok.bytes.byteLength).toBe(65_536);
  });

  it('times out', async () => {
    const http = createHttpClient({ allow: allowLoopback, timeoutMs: 50, retry: { attempts: 1 } });
    await expect(http.request({ url: `${server.url}/slow` })).rejects.toBeInstanceOf(HttpTimeoutError);
  });

  it('retries honouring Retry-After, and throws HttpError with the API message', async () => {
    const clock = new InstantClock();
    const http = createHttpClient({ allow: allowLoopback, clock, retry: { attempts: 3 } });
    const res = await http.request<{ tries: number }>({ url: `${server.url}/flaky` });
    expect(res.body.tries).toBe(3);
    expect(res.attempts).toBe(3);
    expect(clock.sleeps).toEqual([2000, 2000]);
    const err = await http.request({ url: `${server.url}/missing` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(404);
    expect((err as Error).message).toContain('Not Found');
  });

  it('opens the circuit after repeated failures and lets one probe through after the reset', async () => {
    const clock = new InstantClock();
    const breaker = new CircuitBreaker({ failureThreshold: 2, resetMs: 1000, clock });
    const http = createHttpClient({ allow: allowLoopback, clock, circuitBreaker: breaker, retry: { attempts: 1 } });
    const before = server.requests.length;
    await expect(http.request({ url: `${server.url}/fail` })).rejects.toBeInstanceOf(HttpError);
    await expect(http.request({ url: `${server.url}/fail` })).rejects.toBeInstanceOf(HttpError);
    await expect(http.request({ url: `${server.url}/fail` })).rejects.toBeInstanceOf(CircuitOpenError);
    expect(server.requests.length - before).toBe(2);
    clock.current += 1000;
    expect(breaker.state(`127.0.0.1:${server.port}`)).toBe('half-open');
    await http.request({ url: `${server.url}/echo` });
    expect(breaker.state(`127.0.0.1:${server.port}`)).toBe('closed');
  });

  it('does not leave a half-open circuit stuck when the probe is refused locally', async () => {
    const clock = new InstantClock();
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetMs: 1000, clock });
    const http = createHttpClient({ allow: allowLoopback, clock, circuitBreaker: breaker, retry: { attempts: 1 } });
    await expect(http.request({ url: `${server.url}/fail` })).rejects.toBeInstanceOf(HttpError);
    clock.current += 1000;
    await expect(http.request({ url: `${server.url}/big`, maxResponseBytes: 10 })).rejects.toBeInstanceOf(
      ResponseTooLargeError,
    );
    expect(breaker.state(`127.0.0.1:${server.port}`)).toBe('half-open');
    await http.request({ url: `${server.url}/echo` });
    expect(breaker.state(`127.0.0.1:${server.port}`)).toBe('closed');
  });

  it('rate-limits per credential key and applies the signer', async () => {
    const clock = new InstantClock();
    const limiter = new MemoryRateLimiter({ clock });
    const http = createHttpClient({
      allow: allowLoopback,
      clock,
      rateLimit: { limiter, rule: { limit: 2, windowMs: 1000 } },
    }).withSigner({
      key: 'cred:1',
      sign: (r) => r.headers.set('authorization', 'Bearer abc'),
    });
    for (let i = 0; i < 3; i++) {
      const res = await http.request<{ authorization: string }>({ url: `${server.url}/echo` });
      expect(res.body.authorization).toBe('Bearer abc');
    }
    // Two in the first second; the third waits until the sliding window has room (1.5 s).
    expect(clock.sleeps).toEqual([1500]);
  });

  it('takes a rule per key: other keys are limited apart or not at all, and a wait can be aborted', async () => {
    const clock = new InstantClock();
    const limiter = new MemoryRateLimiter({ clock });
    const http = createHttpClient({
      allow: allowLoopback,
      clock,
      rateLimit: { limiter, rule: (key) => (key === 'slow' ? { limit: 1, windowMs: 60_000 } : undefined) },
    });
    for (let i = 0; i < 3; i++) await http.request({ url: `${server.url}/echo`, rateLimitKey: 'free' });
    await http.request({ url: `${server.url}/echo`, rateLimitKey: 'slow' });
    expect(clock.sleeps).toEqual([]);
    // The next 'slow' call waits until the sliding window has room; the caller gives up meanwhile.
    const controller = new AbortController();
    clock.sleep = async (ms, signal) => {
      clock.sleeps.push(ms);
      controller.abort(new Error('stop waiting'));
      signal?.throwIfAborted();
    };
    await expect(
      http.request({ url: `${server.url}/echo`, rateLimitKey: 'slow', signal: controller.signal }),
    ).rejects.toThrow('stop waiting');
    expect(clock.sleeps).toEqual([120_000]);
  });
});
