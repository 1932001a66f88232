import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { buildBlobStorage } from './build-blob.js';

describe('host blob storage configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-build-blob-'));
  let s3: S3rver;
  let endpoint: string;
  beforeAll(async () => {
    s3 = new S3rver({ port: 0, address: '127.0.0.1', directory: join(dir, 's3'), silent: true });
    endpoint = `http://127.0.0.1:${((await s3.run()) as { port: number }).port}`;
  });
  afterAll(async () => {
    await s3.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('puts buckets on an S3-compatible store from WEFT_S3_*, creating them with the prefix', async () => {
    const config = loadConfig({
      WEFT_DATA_DIR: join(dir, 'data'),
      WEFT_BLOB_URL: 's3:',
      WEFT_S3_ENDPOINT: endpoint,
      WEFT_S3_ACCESS_KEY_ID: 'S3RVER',
      WEFT_S3_SECRET_ACCESS_KEY: 'S3RVER',
      WEFT_S3_BUCKET_PREFIX: 'acme-',
    });
    const blob = await buildBlobStorage(config);
    try {
      expect(blob.storage.buckets.map((b) => b.name)).toEqual([
        'acme-workflow-exports',
        'acme-compliance-docs',
        'acme-user-uploads',
        'acme-backups',
      ]);
      const docs = blob.storage.bucket('compliance-docs');
      await docs.put('ws1/dpa.txt', new TextEncoder().encode('signed'), { contentType: 'text/plain' });
      expect(new TextDecoder().decode(await docs.get('ws1/dpa.txt'))).toBe('signed');
      // Encrypted client-side: the store itself holds other bytes.
      const raw = await fetch(`${endpoint}/acme-compliance-docs/ws1/dpa.txt`);
      expect(await raw.text()).not.toContain('signed');
      const uploads = blob.storage.bucket('user-uploads');
      await uploads.put('ws1/e/f', new TextEncoder().encode('file'), { contentType: 'text/plain' });
      const url = await uploads.presign('ws1/e/f', { method: 'GET', expiresIn: 60 });
      expect(url.startsWith(`${endpoint}/acme-user-uploads/`)).toBe(true);
      expect(await (await fetch(url)).text()).toBe('file');
      expect(blob.byName('acme-user-uploads')).toBeUndefined();
    } finally {
      blob.close();
    }
  });

  it('defaults to directories under the data directory with host-signed URLs', async () => {
    const config = loadConfig({ WEFT_DATA_DIR: join(dir, 'fs'), WEFT_PUBLIC_URL: 'https://weft.example.com/app' });
    const blob = await buildBlobStorage(config);
    const url = await blob.storage.bucket('backups').presign('a.tar.gz', { method: 'GET', expiresIn: 60 });
    expect(url.startsWith('https://weft.example.com/app/blobs/backups/a.tar.gz?')).toBe(true);
    expect(blob.byName('backups')).toBe(blob.storage.bucket('backups'));
  });

  it('names each bad setting', () => {
    const bad = () =>
      loadConfig({
        WEFT_DATA_DIR: join(dir, 'bad'),
        WEFT_BLOB_URL: 's3:',
        WEFT_S3_ENDPOINT: 'ftp://x',
        WEFT_S3_ACCESS_KEY_ID: 'only-one',
        WEFT_BLOB_BUCKETS: '{"backups":{"expireAfterDays":0}}',
        WEFT_BLOB_QUOTA_BYTES: '-1',
      });
    expect(bad).toThrow(ConfigError);
    const message = (() => {
      try {
        bad();
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message).toMatch(/WEFT_S3_ENDPOINT must be an http\(s\) origin/);
    expect(message).toMatch(/WEFT_S3_ACCESS_KEY_ID and WEFT_S3_SECRET_ACCESS_KEY must be set together/);
    expect(message).toMatch(/WEFT_BLOB_BUCKETS: Blob bucket backups: expireAfterDays/);
    expect(message).toMatch(/WEFT_BLOB_QUOTA_BYTES must be an integer/);
    expect(() => loadConfig({ WEFT_DATA_DIR: join(dir, 'bad'), WEFT_BLOB_URL: 'ftp://x' })).toThrow(
      /WEFT_BLOB_URL must be file:<directory> or s3:/,
    );
  });
});
