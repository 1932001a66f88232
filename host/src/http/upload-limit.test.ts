import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const LIMIT = 8 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

interface SlowResult {
  status: number;
  body: string;
  sent: number;
  connection: string | undefined;
  /** Highest RSS growth over the start, sampled every 20 ms while sending. */
  rssGrowth: number;
}

/**
 * Sends `total` bytes in 64 KiB chunks, a little at a time and only as fast as the server reads
 * them, stopping as soon as an answer arrives; measures this process' RSS (the host runs here).
 */
function sendSlowly(url: string, headers: Record<string, string>, total: number, head = Buffer.alloc(0)) {
  return new Promise<SlowResult>((resolve, reject) => {
    const start = process.memoryUsage().rss;
    let peak = start;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    let sent = 0;
    let answered: IncomingMessage | undefined;
    const req = httpRequest(url, { method: 'POST', headers });
    req.on('response', (res) => {
      answered = res;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => {
        clearInterval(sampler);
        resolve({
          status: res.statusCode ?? 0,
          body,
          sent,
          connection: res.headers.connection,
          rssGrowth: peak - start,
        });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const over = new Promise<void>((ok) => {
      req.once('response', () => ok());
      req.once('close', () => ok());
    });
    const pump = async () => {
      if (head.length) req.write(head);
      while (!answered && sent < total) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) await Promise.race([once(req, 'drain'), over]);
        await new Promise((r) => setTimeout(r, 1));
      }
      if (!answered) req.end();
    };
    void pump();
  });
}

describe('uploads stream to the blob store and stop at WEFT_UPLOAD_LIMIT_BYTES', () => {
  let t: TestHost;
  let ws: string;
  let token: string;
  const path = `upload-limit-${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    t = await startTestHost({ WEFT_UPLOAD_LIMIT_BYTES: String(LIMIT), WEFT_BODY_LIMIT_BYTES: String(1024 * 1024) });
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, {
      token,
      body: {
        id: 'uploads',
        name: 'uploads',
        nodes: [
          {
            id: 'hook',
            name: 'Hook',
            type: 'weft.webhook',
            parameters: { path, methods: ['POST'], responseMode: 'immediately' },
          },
        ],
        connections: [],
      },
    });
    expect((await t.call('POST', `/api/v1/workspaces/${ws}/workflows/uploads/activate`, { token })).status).toBe(200);
  });
  afterAll(() => t?.close());

  const storedFiles = async () => (await t.host.runtime.files.list({ prefix: `${ws}/` })).items;

  it('a raw file larger than the JSON body limit is accepted and stored whole', async () => {
    const bytes = Buffer.alloc(3 * 1024 * 1024, 0x62);
    const r = await fetch(`${t.base}/hooks/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/pdf', 'x-file-name': 'big.pdf' },
      body: bytes,
    });
    expect(r.status).toBe(202);
    const { executionId } = (await r.json()) as { executionId: string };
    const execution = await t.host.runtime.engine.executions.get(ws, executionId);
    const ref = execution?.input.main?.[0]?.binary?.data;
    expect(ref).toMatchObject({ size: bytes.length, fileName: 'big.pdf', mimeType: 'application/pdf' });
    expect(await storedFiles()).toHaveLength(1);
  });

  it('a raw body sent slowly past the limit gets 413 naming the limit; reading stops and memory stays flat', async () => {
    const total = 160 * 1024 * 1024;
    const r = await sendSlowly(`${t.base}/hooks/${path}`, { 'content-type': 'application/octet-stream' }, total);
    expect(r.status).toBe(413);
    expect(r.connection).toBe('close');
    console.info(`raw upload refused after ${r.sent} bytes sent, RSS +${(r.rssGrowth / 2 ** 20).toFixed(1)} MiB`);
    expect(JSON.parse(r.body)).toMatchObject({
      code: 'upload-too-large',
      detail: expect.stringContaining(`limit of ${LIMIT} bytes (WEFT_UPLOAD_LIMIT_BYTES)`),
    });
    // The server stopped reading at the limit: the client could send little more than socket buffers hold.
    expect(r.sent).toBeLessThan(LIMIT + 8 * 1024 * 1024);
    expect(r.rssGrowth).toBeLessThan(48 * 1024 * 1024);
    expect(await storedFiles()).toHaveLength(1); // only the first test's file: nothing partial kept
  });

  it('a multipart file past the limit gets the same 413 and leaves no file behind', async () => {
    const boundary = 'weftboundary';
    const head = Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="note"\r\n\r\nhello\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="doc"; filename="huge.bin"\r\n` +
        'content-type: application/octet-stream\r\n\r\n',
    );
    const r = await sendSlowly(
      `${t.base}/hooks/${path}`,
      { 'content-type': `multipart/form-data; boundary=${boundary}` },
      160 * 1024 * 1024,
      head,
    );
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).detail).toContain(`${LIMIT} bytes`);
    expect(r.sent).toBeLessThan(LIMIT + 8 * 1024 * 1024);
    expect(r.rssGrowth).toBeLessThan(48 * 1024 * 1024);
    expect(await storedFiles()).toHaveLength(1);
  });

  it('a declared Content-Length over the limit is refused before any byte is read', async () => {
    const r = await sendSlowly(
      `${t.base}/hooks/${path}`,
      { 'content-type': 'image/png', 'content-length': String(LIMIT + 1) },
      LIMIT + 1,
    );
    expect(r.status).toBe(413);
    expect(r.sent).toBeLessThan(4 * 1024 * 1024);
  });

  it('an import upload to its signed PUT link stops at the limit too', async () => {
    const link = await t.call('POST', `/api/v1/workspaces/${ws}/imports`, { token });
    expect(link.status).toBe(201);
    const url = new URL(link.body.url);
    const put = (headers: Record<string, string>, total: number) =>
      new Promise<SlowResult>((resolve, reject) => {
        // Same slow sender, with PUT.
        const req = httpRequest(`${t.base}${url.pathname}${url.search}`, { method: 'PUT', headers });
        let sent = 0;
        let done = false;
        req.on('response', (res) => {
          done = true;
          let body = '';
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body, sent, connection: res.headers.connection, rssGrowth: 0 });
            req.destroy();
          });
        });
        req.on('error', (err) => {
          if (!done) reject(err);
        });
        void (async () => {
          while (!done && sent < total) {
            sent += CHUNK.length;
            if (!req.write(CHUNK)) await new Promise((ok) => setTimeout(ok, 20));
          }
          if (!done) req.end();
        })();
      });
    const r = await put({ 'content-type': 'application/json' }, 64 * 1024 * 1024);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).detail).toContain('WEFT_UPLOAD_LIMIT_BYTES');
    expect(r.sent).toBeLessThan(LIMIT + 8 * 1024 * 1024);
    const imported = await t.call('POST', `/api/v1/workspaces/${ws}/imports/${link.body.uploadId}`, { token });
    expect(imported.status).toBe(404); // nothing was stored
  });
});
