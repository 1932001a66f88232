import { MemoryBlobStore } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../http/http-client.js';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { type LocalServer, sendJson, startLocalServer } from '../../testing/local-server.js';
import { runNode } from '../../testing/node-context.js';
import { httpRequestConnector } from './http-request.js';

let api: LocalServer;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
beforeAll(async () => {
  api = await startLocalServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const q = url.searchParams;
    switch (url.pathname) {
      case '/echo':
        return sendJson(res, 200, {
          method: req.method,
          query: Object.fromEntries(q),
          contentType: req.headers['content-type'] ?? null,
          auth: req.headers.authorization ?? null,
          custom: req.headers['x-custom'] ?? null,
          body: req.body.toString('latin1'),
        });
      case '/next': {
        const page = Number(q.get('p') ?? 1);
        return sendJson(res, 200, { data: [{ n: page * 10 }], next: page < 3 ? `/next?p=${page + 1}` : null });
      }
      case '/link': {
        const page = Number(q.get('page') ?? 1);
        const headers: Record<string, string> = {};
        if (page < 2)
          headers.link = `<${api.url}/link?page=${page + 1}>; rel="next", <${api.url}/link?page=2>; rel="last"`;
        return sendJson(res, 200, [{ page }], headers);
      }
      case '/offset': {
        const offset = Number(q.get('offset'));
        const all = [1, 2, 3, 4, 5].map((id) => ({ id }));
        return sendJson(res, 200, { items: all.slice(offset, offset + Number(q.get('limit'))) });
      }
      case '/pages': {
        const page = Number(q.get('page'));
        return sendJson(res, 200, page <= 2 ? [{ page }] : []);
      }
      case '/cursor': {
        const c = q.get('cursor');
        if (!c) return sendJson(res, 200, { results: [{ id: 'a' }], meta: { next_cursor: 'c2' } });
        return sendJson(res, 200, { results: [{ id: 'b' }], meta: { next_cursor: '' } });
      }
      case '/image.png':
        res.writeHead(200, { 'content-type': 'image/png' });
        return res.end(PNG);
      case '/missing':
        return sendJson(res, 404, { message: 'No such thing' });
      default:
        return sendJson(res, 404, {});
    }
  });
});
afterAll(() => api.close());

const blobs = new MemoryBlobStore();
const [node] = connectorNodeTypes(httpRequestConnector, { http: createHttpClient({ allow: ['127.0.0.1/32'] }), blobs });
const base = {
  method: 'GET',
  bodyType: 'none',
  responseFormat: 'auto',
  fullResponse: false,
  ignoreHttpErrors: false,
  pagination: 'none',
  maxPages: 10,
  timeoutMs: 5000,
  retries: 0,
};
const run = (params: Record<string, unknown>, extra: Parameters<typeof runNode>[1] = {}) =>
  runNode(node!, { params: { ...base, ...params }, ...extra });

describe('HTTP Request', () => {
  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('sends %s with query and headers', async (method) => {
    const [item] = await run({
      method,
      url: `${api.url}/echo`,
      query: [{ name: 'a', value: '1' }],
      headers: [{ name: 'X-Custom', value: 'yes' }],
    });
    expect(item?.json).toMatchObject({ method, query: { a: '1' }, custom: 'yes' });
  });

  it('sends HEAD and gets an empty body', async () => {
    const [item] = await run({ method: 'HEAD', url: `${api.url}/echo`, fullResponse: true });
    expect(item?.json).toMatchObject({ status: 200, body: null });
  });

  it('sends JSON, form, raw and multipart bodies (with a file from binary input)', async () => {
    const json = await run({ method: 'POST', url: `${api.url}/echo`, bodyType: 'json', jsonBody: { a: [1] } });
    expect(json[0]?.json).toMatchObject({ contentType: 'application/json', body: '{"a":[1]}' });
    const form = await run({
      method: 'POST',
      url: `${api.url}/echo`,
      bodyType: 'form',
      formFields: [{ name: 'x', value: 'a b' }],
    });
    expect(form[0]?.json.body).toBe('x=a+b');
    const raw = await run({
      method: 'POST',
      url: `${api.url}/echo`,
      bodyType: 'raw',
      rawBody: '<a/>',
      rawContentType: 'application/xml',
    });
    expect(raw[0]?.json).toMatchObject({ contentType: 'application/xml', body: '<a/>' });
    await blobs.put('ws1/ex0/f1', new Uint8Array(PNG));
    const file = { id: 'ws1/ex0/f1', mimeType: 'image/png', size: PNG.length, fileName: 'logo.png' };
    const mp = await run(
      {
        method: 'POST',
        url: `${api.url}/echo`,
        bodyType: 'multipart',
        multipartFields: [
          { name: 'note', value: 'hi' },
          { name: 'file', binaryProperty: 'data' },
        ],
      },
      { items: [{ json: {}, binary: { data: file } }] },
    );
    expect(String(mp[0]?.json.contentType)).toMatch(/^multipart\/form-data/);
    expect(String(mp[0]?.json.body)).toContain('filename="logo.png"');
    expect(String(mp[0]?.json.body)).toContain(PNG.toString('latin1'));
    const upload = await run(
      { method: 'PUT', url: `${api.url}/echo`, bodyType: 'binary', bodyBinaryProperty: 'data' },
      { items: [{ json: {}, binary: { data: file } }] },
    );
    expect(upload[0]?.json).toMatchObject({ contentType: 'image/png', body: PNG.toString('latin1') });
    await expect(
      run(
        {
          method: 'POST',
          url: `${api.url}/echo`,
          bodyType: 'multipart',
          multipartFields: [{ name: 'f', binaryProperty: 'nope' }],
        },
        { items: [{ json: {} }] },
      ),
    ).rejects.toThrow('Multipart field "f": the input item has no binary property "nope"');
  });

  it('follows next URLs, Link headers, offsets, page numbers and cursors', async () => {
    const next = await run({
      url: `${api.url}/next`,
      itemsPath: 'data',
      pagination: 'nextUrl',
      paginationPath: 'next',
    });
    expect(next.map((i) => i.json.n)).toEqual([10, 20, 30]);
    const link = await run({ url: `${api.url}/link`, pagination: 'linkHeader' });
    expect(link.map((i) => i.json.page)).toEqual([1, 2]);
    const offset = await run({
      url: `${api.url}/offset`,
      itemsPath: 'items',
      pagination: 'offset',
      paginationParam: 'offset',
      pageSize: 2,
      pageSizeParam: 'limit',
    });
    expect(offset.map((i) => i.json.id)).toEqual([1, 2, 3, 4, 5]);
    const pages = await run({ url: `${api.url}/pages`, pagination: 'page', paginationParam: 'page' });
    expect(pages.map((i) => i.json.page)).toEqual([1, 2]);
    const cursor = await run({
      url: `${api.url}/cursor`,
      itemsPath: 'results',
      pagination: 'cursor',
      paginationParam: 'cursor',
      paginationPath: 'meta.next_cursor',
    });
    expect(cursor.map((i) => i.json.id)).toEqual(['a', 'b']);
    const capped = await run({
      url: `${api.url}/next`,
      itemsPath: 'data',
      pagination: 'nextUrl',
      paginationPath: 'next',
      maxPages: 2,
    });
    expect(capped).toHaveLength(2);
    await expect(run({ url: `${api.url}/next`, pagination: 'cursor' })).rejects.toThrow(
      'Pagination "cursor" needs "Page parameter"',
    );
  });

  it('stores binary responses in the blob store', async () => {
    const [item] = await run({ url: `${api.url}/image.png` });
    expect(item?.json).toEqual({ mimeType: 'image/png', size: PNG.length, fileName: 'image.png' });
    const ref = item?.binary?.data;
    expect(ref?.id).toMatch(/^ws1\/ex1\//);
    expect(Buffer.from((await blobs.get(ref!.id))!)).toEqual(PNG);
  });

  it('fails with the API message, or returns the error response when asked', async () => {
    await expect(run({ url: `${api.url}/missing` })).rejects.toThrow(
      /Node "Node 1" \(http.request v1\): GET .*\/missing failed with HTTP 404: .*No such thing/,
    );
    const [item] = await run({ url: `${api.url}/missing`, ignoreHttpErrors: true, fullResponse: true });
    expect(item?.json).toMatchObject({ status: 404, body: { message: 'No such thing' } });
  });

  it('applies basic, bearer, header and query credentials, and keeps them out of its output', async () => {
    const echo = async (credential: { id: string; type: string; data: Record<string, string> }) => {
      const json = (await run({ url: `${api.url}/echo` }, { credential }))[0]?.json;
      return { json, sent: api.requests.at(-1)! };
    };
    const basic = await echo({ id: 'c', type: 'http.basic', data: { username: 'user', password: 'pass-word' } });
    expect(basic.sent.headers.authorization).toBe(`Basic ${Buffer.from('user:pass-word').toString('base64')}`);
    expect(basic.json?.auth).toBe('Basic [REDACTED]');
    const bearer = await echo({ id: 'c', type: 'http.bearer', data: { token: 'tk-1234' } });
    expect(bearer.sent.headers.authorization).toBe('Bearer tk-1234');
    expect(bearer.json?.auth).toBe('Bearer [REDACTED]');
    const header = await echo({ id: 'c', type: 'http.headerAuth', data: { name: 'X-Custom', value: 'hv-5678' } });
    expect(header.sent.headers['x-custom']).toBe('hv-5678');
    expect(header.json?.custom).toBe('[REDACTED]');
    const query = await echo({ id: 'c', type: 'http.queryAuth', data: { name: 'key', value: 'qk-9012' } });
    expect(query.sent.url).toBe('/echo?key=qk-9012');
    expect(query.json?.query).toEqual({ key: '[REDACTED]' });
  });

  it('refuses private targets by default', async () => {
    const [plain] = connectorNodeTypes(httpRequestConnector, {});
    await expect(runNode(plain!, { params: { ...base, url: `${api.url}/echo` } })).rejects.toThrow(/blocked: loopback/);
  });
});
