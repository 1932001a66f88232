import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { MemoryBlobStore, NodeRegistry } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../http/http-client.js';
import { connectorNodeTypes } from '../../kit/connector-node-types.js';
import { type LocalServer, type SeenRequest, startLocalServer } from '../../testing/local-server.js';
import { runNode } from '../../testing/node-context.js';
import { signAwsV4 } from './aws-sigv4.js';
import { s3Connector } from './s3-connector.js';

const SECRET = 'local-secret-key-0123456789';
const objects = new Map<string, { body: Buffer; type: string }>();

/** Recomputes the SigV4 signature of what arrived, as S3 does. */
function verified(req: SeenRequest): boolean {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers))
    if (typeof v === 'string' && k !== 'authorization') headers.set(k, v);
  const amz = String(req.headers['x-amz-date']);
  const now = Date.UTC(
    +amz.slice(0, 4),
    +amz.slice(4, 6) - 1,
    +amz.slice(6, 8),
    +amz.slice(9, 11),
    +amz.slice(11, 13),
    +amz.slice(13, 15),
  );
  if (createHash('sha256').update(req.body).digest('hex') !== req.headers['x-amz-content-sha256']) return false;
  const check = {
    method: req.method,
    url: new URL(`http://${req.headers.host}${req.url}`),
    headers,
    bodyBytes: new Uint8Array(req.body),
  };
  signAwsV4(check, { accessKeyId: 'AKLOCAL', secretAccessKey: SECRET, region: 'eu-central-1', service: 's3' }, now);
  return check.headers.get('authorization') === req.headers.authorization;
}

const xmlError = (res: ServerResponse, status: number, code: string, message: string) => {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`);
};

let s3: LocalServer;
beforeAll(async () => {
  s3 = await startLocalServer((req, res) => {
    if (!verified(req))
      return xmlError(
        res,
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
    const url = new URL(req.url, 'http://x');
    const [, bucket, ...rest] = url.pathname.split('/');
    const key = rest.map(decodeURIComponent).join('/');
    if (bucket !== 'photos') return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (req.method === 'PUT') {
      objects.set(key, { body: req.body, type: String(req.headers['content-type']) });
      res.writeHead(200, { etag: `"${createHash('md5').update(req.body).digest('hex')}"` });
      return res.end();
    }
    if (req.method === 'DELETE') {
      objects.delete(key);
      res.writeHead(204);
      return res.end();
    }
    if (key) {
      const o = objects.get(key);
      if (!o) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, { 'content-type': o.type });
      return res.end(o.body);
    }
    const all = [...objects.keys()].filter((k) => k.startsWith(url.searchParams.get('prefix') ?? '')).sort();
    const start = Number(url.searchParams.get('continuation-token') ?? 0);
    const max = Number(url.searchParams.get('max-keys'));
    const page = all.slice(start, start + Math.min(max, 2));
    const truncated = start + page.length < all.length;
    res.writeHead(200, { 'content-type': 'application/xml' });
    res.end(
      `<ListBucketResult><IsTruncated>${truncated}</IsTruncated>${page.map((k) => `<Contents><Key>${k}</Key><Size>${objects.get(k)?.body.length}</Size></Contents>`).join('')}${truncated ? `<NextContinuationToken>${start + page.length}</NextContinuationToken>` : ''}</ListBucketResult>`,
    );
  });
});
afterAll(() => s3.close());

const blobs = new MemoryBlobStore();
const registry = new NodeRegistry().register(
  ...connectorNodeTypes(s3Connector, { http: createHttpClient({ allow: ['127.0.0.1/32'] }), blobs }),
);
const credential = (secret = SECRET) => ({
  id: 's3',
  type: 's3.accessKey',
  data: { accessKeyId: 'AKLOCAL', secretAccessKey: secret, region: 'eu-central-1', endpoint: s3.url },
});
const run = (action: string, params: Record<string, unknown>, extra: Parameters<typeof runNode>[1] = {}) =>
  runNode(registry.get(`s3.${action}`)!, { params, credential: credential(), ...extra });

describe('S3-compatible storage', () => {
  it('uploads text and binary, downloads into the blob store, with signed requests', async () => {
    const [a] = await run('putObject', {
      bucket: 'photos',
      key: 'notes/a b.txt',
      binaryProperty: 'data',
      text: 'hello',
    });
    expect(a?.json).toMatchObject({
      key: 'notes/a b.txt',
      size: 5,
      etag: `"${createHash('md5').update('hello').digest('hex')}"`,
    });
    await blobs.put('ws1/ex0/img1', new Uint8Array([1, 2, 3]));
    const item = {
      json: {},
      binary: { data: { id: 'ws1/ex0/img1', mimeType: 'image/png', size: 3, fileName: 'p.png' } },
    };
    await run('putObject', { bucket: 'photos', key: 'img/p.png', binaryProperty: 'data' }, { items: [item] });
    expect(objects.get('img/p.png')?.type).toBe('image/png');
    const [got] = await run('getObject', { bucket: 'photos', key: 'img/p.png', maxBytes: 1000 });
    expect(got?.json).toMatchObject({ size: 3, contentType: 'image/png' });
    expect([...((await blobs.get(got!.binary!.data!.id)) ?? [])]).toEqual([1, 2, 3]);
  });

  it('lists across continuation tokens and deletes', async () => {
    await run('putObject', { bucket: 'photos', key: 'img/q.png', binaryProperty: 'data', text: 'q' });
    await run('putObject', { bucket: 'photos', key: 'img/r.png', binaryProperty: 'data', text: 'r' });
    const listed = await run('listObjects', { bucket: 'photos', prefix: 'img/', limit: 1000 });
    expect(listed.map((i) => i.json.key)).toEqual(['img/p.png', 'img/q.png', 'img/r.png']);
    expect((await run('deleteObject', { bucket: 'photos', key: 'img/q.png' }))[0]?.json).toMatchObject({
      deleted: true,
    });
    expect((await run('listObjects', { bucket: 'photos', prefix: 'img/', limit: 1000 })).length).toBe(2);
  });

  it('turns S3 XML errors into clear messages', async () => {
    await expect(run('getObject', { bucket: 'photos', key: 'missing', maxBytes: 10_000 })).rejects.toThrow(
      'S3 NoSuchKey: The specified key does not exist.',
    );
    await expect(run('getObject', { bucket: 'other', key: 'x', maxBytes: 10_000 })).rejects.toThrow('S3 NoSuchBucket');
    await expect(
      runNode(registry.get('s3.getObject')!, {
        params: { bucket: 'photos', key: 'x', maxBytes: 10_000 },
        credential: credential('wrong'),
      }),
    ).rejects.toThrow(/S3 SignatureDoesNotMatch/);
    await expect(run('getObject', { bucket: 'Bad_Bucket', key: 'x', maxBytes: 10_000 })).rejects.toThrow(
      'S3: "Bad_Bucket" is not a valid bucket name',
    );
  });
});
