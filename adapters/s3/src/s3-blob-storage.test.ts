import { randomBytes } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticBlobKeys } from './blob-encryption.js';
import { S3BlobStorage } from './s3-blob-storage.js';
import { S3BlobStore } from './s3-blob-store.js';
import { startS3rver } from './s3rver.test-support.js';

let s3: Awaited<ReturnType<typeof startS3rver>>;
beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3?.close();
});

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
let n = 0;
const names = () => {
  const tag = `t${Date.now().toString(36)}${n++}`;
  return {
    'workflow-exports': { name: `${tag}-exports` },
    'compliance-docs': { name: `${tag}-compliance` },
    'user-uploads': { name: `${tag}-uploads` },
    backups: { name: `${tag}-backups` },
  };
};

describe('S3BlobStorage on s3rver', () => {
  it('stores compliance documents encrypted at rest and reads them after a key rotation', async () => {
    const buckets = names();
    const before = new S3BlobStorage({ client: s3.client, buckets, keys: staticBlobKeys([k1]) });
    await before.ensureBuckets();
    const text = 'GDPR request 42: '.repeat(10_000);
    async function* body() {
      yield Buffer.from(text);
    }
    const info = await before.bucket('compliance-docs').put('ws1/dsr-42.txt', body(), { contentType: 'text/plain' });
    const raw = await s3.client.send(
      new GetObjectCommand({ Bucket: buckets['compliance-docs'].name, Key: 'ws1/dsr-42.txt' }),
    );
    const stored = Buffer.from(
      await (raw.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    expect(stored.includes(Buffer.from('GDPR request'))).toBe(false);
    expect(raw.Metadata?.['weft-enc-key-id']).toBe('k1');

    const after = new S3BlobStorage({ client: s3.client, buckets, keys: staticBlobKeys([k2, k1]) });
    const docs = after.bucket('compliance-docs');
    expect(new TextDecoder().decode(await docs.get('ws1/dsr-42.txt'))).toBe(text);
    expect(await docs.head('ws1/dsr-42.txt')).toMatchObject({
      size: text.length,
      sha256: info.sha256,
      contentType: 'text/plain',
    });
    await docs.put('ws1/dsr-43.txt', new TextEncoder().encode('new'));
    const head = await s3.client.send(
      new HeadObjectCommand({ Bucket: buckets['compliance-docs'].name, Key: 'ws1/dsr-43.txt' }),
    );
    expect(head.Metadata?.['weft-enc-key-id']).toBe('k2');

    const forgotten = new S3BlobStorage({ client: s3.client, buckets, keys: staticBlobKeys([k2]) });
    await expect(forgotten.bucket('compliance-docs').get('ws1/dsr-42.txt')).rejects.toThrow(/key "k1"/);
  });

  it('leaves other buckets in plain bytes, and will not pre-sign into an encrypted bucket', async () => {
    const buckets = names();
    const storage = new S3BlobStorage({ client: s3.client, buckets, keys: staticBlobKeys([k1]) });
    await storage.ensureBuckets();
    await storage.bucket('user-uploads').put('a.txt', new TextEncoder().encode('plain'));
    const raw = await s3.client.send(new GetObjectCommand({ Bucket: buckets['user-uploads'].name, Key: 'a.txt' }));
    expect(await (raw.Body as { transformToString(): Promise<string> }).transformToString()).toBe('plain');
    await expect(storage.bucket('compliance-docs').presign('a.txt', { method: 'GET', expiresIn: 60 })).rejects.toThrow(
      /encrypted client-side: S3 cannot serve or accept its bytes directly/,
    );
  });

  it('says when the endpoint lacks versioning or lifecycle rules (s3rver implements neither)', async () => {
    const versioned = new S3BlobStorage({
      client: s3.client,
      keys: staticBlobKeys([k1]),
      buckets: { ...names(), backups: { name: `v${Date.now().toString(36)}-backups`, versioning: true } },
    });
    // s3rver reads PutBucketVersioning as CreateBucket and answers BucketAlreadyExists.
    await expect(versioned.ensureBuckets()).rejects.toThrow(
      /backups \(v.*-backups\): the S3 endpoint refused versioning: /,
    );
    const expiring = new S3BlobStorage({
      client: s3.client,
      keys: staticBlobKeys([k1]),
      buckets: { ...names(), backups: { name: `e${Date.now().toString(36)}-backups`, expireAfterDays: 30 } },
    });
    await expect(expiring.ensureBuckets()).rejects.toThrow(/refused lifecycle expiry: \w+/);
  });

  it('needs keys for client-side encrypted buckets and well-formed metadata names', async () => {
    expect(() => new S3BlobStorage({ client: s3.client })).toThrow(
      'Blob bucket compliance-docs is encrypted client-side: pass keys (a BlobKeyProvider)',
    );
    const store = new S3BlobStore({ client: s3.client, bucket: 'unused' });
    await expect(store.put('k', new Uint8Array([1]), { metadata: { Owner: 'x' } })).rejects.toThrow(
      'Blob metadata name "Owner" must be lower-case letters, digits and \'-\'',
    );
  });
});
