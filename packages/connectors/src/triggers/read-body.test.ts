import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyTooLargeError, readBody } from './read-body.js';

async function* chunks(sizes: number[], seen: number[]) {
  for (const n of sizes) {
    seen.push(n);
    yield new Uint8Array(n).fill(65);
  }
}

describe('readBody', () => {
  it('reads a body within the limit', async () => {
    const body = await readBody(chunks([3, 4], []), 10);
    expect(new TextDecoder().decode(body)).toBe('AAAAAAA');
  });

  it('stops reading as soon as the limit is passed', async () => {
    const seen: number[] = [];
    await expect(readBody(chunks([6, 6, 6, 6], seen), 10)).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(seen).toEqual([6, 6]);
    await expect(readBody(chunks([1], []), 10, '11')).rejects.toThrow('Request body exceeds 10 bytes');
  });
});

describe('readBody on a real request', () => {
  let raw: import('node:http').Server;
  let status = 0;
  beforeAll(async () => {
    raw = (await import('node:http')).createServer(async (req, res) => {
      try {
        const body = await readBody(req, 1000, req.headers['content-length']);
        res.end(String(body.byteLength));
      } catch (err) {
        status = (err as BodyTooLargeError).status;
        res.writeHead(413, { connection: 'close' }).end();
      }
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => raw.close(() => r())));

  it('answers 413 for an oversized upload', async () => {
    const { port } = raw.address() as import('node:net').AddressInfo;
    const code = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': 5000 } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(Buffer.alloc(5000));
    });
    expect(code).toBe(413);
    expect(status).toBe(413);
  });
});
