import { describe, expect, it } from 'vitest';
import { resolveBlobBuckets } from '../ports/blob-store.js';
import { MemoryBlobStorage, MemoryBlobStore } from './memory-blob-store.js';

describe('MemoryBlobStore', () => {
  it('drops blobs older than expireAfterDays', async () => {
    let now = Date.UTC(2026, 0, 1);
    const blobs = new MemoryBlobStore({ expireAfterDays: 2, now: () => now });
    await blobs.put('old', new Uint8Array([1]));
    now += 86_400_000;
    await blobs.put('new', new Uint8Array([2]));
    now += 86_400_000;
    expect(await blobs.head('old')).toBeUndefined();
    expect((await blobs.list()).items.map((i) => i.key)).toEqual(['new']);
    expect(await blobs.get('new')).toEqual(new Uint8Array([2]));
  });

  it('says presign needs a signer', async () => {
    await expect(new MemoryBlobStore().presign('k', { method: 'GET', expiresIn: 5 })).rejects.toThrow(/needs a signer/);
  });
});

describe('resolveBlobBuckets', () => {
  it('defaults names to the roles and encrypts compliance-docs client-side', () => {
    const buckets = resolveBlobBuckets({ backups: { name: 'acme-backups', expireAfterDays: 30, versioning: true } });
    expect(buckets.map((b) => b.name)).toEqual(['workflow-exports', 'compliance-docs', 'user-uploads', 'acme-backups']);
    expect(buckets.find((b) => b.role === 'compliance-docs')?.clientSideEncryption).toBe(true);
    expect(buckets.find((b) => b.role === 'backups')).toMatchObject({
      versioning: true,
      expireAfterDays: 30,
      clientSideEncryption: false,
    });
    expect(new MemoryBlobStorage({ buckets: { backups: { name: 'acme-backups' } } }).bucket('backups').name).toBe(
      'acme-backups',
    );
  });

  it('names what is wrong', () => {
    expect(() => resolveBlobBuckets({ backups: { name: 'Bad_Name' } })).toThrow(/backups: name "Bad_Name"/);
    expect(() => resolveBlobBuckets({ backups: { name: 'user-uploads' } })).toThrow(
      /"user-uploads" is used for two buckets/,
    );
    expect(() => resolveBlobBuckets({ backups: { expireAfterDays: 0 } })).toThrow(/expireAfterDays/);
    expect(() => resolveBlobBuckets({ photos: {} } as never)).toThrow(/Unknown blob bucket photos/);
  });
});
