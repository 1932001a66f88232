import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSystemBlobStorage } from './file-system-blob-storage.js';
import { FileSystemBlobStore } from './file-system-blob-store.js';

describe('FileSystemBlobStore', () => {
  let root: string;
  let blobs: FileSystemBlobStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'weft-blobs-'));
    blobs = new FileSystemBlobStore({ root });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores, reads and overwrites bytes under nested keys', async () => {
    await blobs.put('ws1/ex1/0.json', new Uint8Array([1, 2, 3]));
    expect(await blobs.get('ws1/ex1/0.json')).toEqual(new Uint8Array([1, 2, 3]));
    await blobs.put('ws1/ex1/0.json', new Uint8Array([9]));
    expect(await blobs.get('ws1/ex1/0.json')).toEqual(new Uint8Array([9]));
    expect(await blobs.get('ws1/ex1/missing')).toBeUndefined();
    expect(await blobs.get('ws1')).toBeUndefined();
    expect(readdirSync(join(root, 'ws1', 'ex1'))).toEqual(['0.json']);
    expect(readdirSync(join(root, '.weft-internal', 'tmp'))).toEqual([]);
  });

  it('writes private files (0600) in private directories (0700)', async () => {
    await blobs.put('ws1/secret.pdf', new Uint8Array([1]), { contentType: 'application/pdf' });
    expect(statSync(join(root, 'ws1', 'secret.pdf')).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'ws1')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, '.weft-internal', 'meta', 'ws1', 'secret.pdf.json')).mode & 0o777).toBe(0o600);
  });

  it('leaves nothing behind when the body fails half way, and keeps the old blob', async () => {
    await blobs.put('k', new Uint8Array([7]));
    async function* failing() {
      yield new Uint8Array(1000);
      throw new Error('upload cut');
    }
    await expect(blobs.put('k', failing())).rejects.toThrow('upload cut');
    expect(await blobs.get('k')).toEqual(new Uint8Array([7]));
    expect(readdirSync(join(root, '.weft-internal', 'tmp'))).toEqual([]);
  });

  it('describes files written before sidecars existed, and ignores a sidecar of another file', async () => {
    mkdirSync(join(root, 'node-runs', 'ex1'), { recursive: true });
    writeFileSync(join(root, 'node-runs', 'ex1', '0.json'), '[1]');
    const sha = createHash('sha256').update('[1]').digest('hex');
    expect(await blobs.head('node-runs/ex1/0.json')).toMatchObject({
      size: 3,
      contentType: 'application/octet-stream',
      sha256: sha,
    });
    await blobs.put('k', new TextEncoder().encode('new'), { contentType: 'text/plain', metadata: { a: 'b' } });
    writeFileSync(join(root, 'k.replacement'), 'other');
    const { renameSync } = await import('node:fs');
    renameSync(join(root, 'k.replacement'), join(root, 'k'));
    expect(await blobs.head('k')).toMatchObject({
      contentType: 'application/octet-stream',
      metadata: {},
      sha256: createHash('sha256').update('other').digest('hex'),
    });
  });

  it('says which key clashes with a directory, and reserves its internal directory', async () => {
    await blobs.put('a/b', new Uint8Array([1]));
    await expect(blobs.put('a', new Uint8Array([1]))).rejects.toThrow(/"a" clashes with a directory/);
    await expect(blobs.put('a/b/c', new Uint8Array([1]))).rejects.toThrow(/"a\/b\/c" clashes/);
    await expect(blobs.put('.weft-internal/x', new Uint8Array([1]))).rejects.toThrow(/reserved/);
  });

  it('removes expired blobs when touched or swept, and empty directories with them', async () => {
    let now = Date.now();
    const expiring = new FileSystemBlobStore({ root, expireAfterDays: 1, now: () => now });
    await expiring.put('x/old', new Uint8Array([1]));
    await expiring.put('y/old', new Uint8Array([1]));
    await expiring.put('fresh', new Uint8Array([2]));
    const past = new Date(now - 2 * 86_400_000);
    utimesSync(join(root, 'x', 'old'), past, past);
    utimesSync(join(root, 'y', 'old'), past, past);
    expect(await expiring.get('x/old')).toBeUndefined();
    expect(await expiring.removeExpired()).toBe(1);
    expect(readdirSync(root).sort()).toEqual(['.weft-internal', 'fresh']);
    now += 86_400_000 + 60_000;
    expect(await expiring.head('fresh')).toBeUndefined();
  });

  it('deletes by prefix, whole directories or part of a name', async () => {
    for (const k of ['a/ex1/0', 'a/ex1/1', 'a/ex10/0', 'a/ex2/0', 'b/x']) await blobs.put(k, new Uint8Array([1]));
    expect(await blobs.deletePrefix('a/ex1/')).toBe(2);
    expect(await blobs.get('a/ex10/0')).toBeDefined();
    expect(await blobs.deletePrefix('a/ex')).toBe(2);
    expect(await blobs.deletePrefix('a/')).toBe(0);
    expect(await blobs.deletePrefix('nothing/here/')).toBe(0);
    expect(await blobs.get('b/x')).toBeDefined();
  });

  it('rejects keys that would leave the root', async () => {
    await expect(blobs.put('../escape', new Uint8Array([1]))).rejects.toThrow(/Invalid blob key/);
    await expect(blobs.put('/abs', new Uint8Array([1]))).rejects.toThrow(/Invalid blob key/);
    await expect(blobs.get('a//b')).rejects.toThrow(/Invalid blob key/);
  });

  it('defaults to ./.weft/blobs', () => {
    expect(new FileSystemBlobStore().root).toBe(join(process.cwd(), '.weft', 'blobs'));
  });

  it('keeps each named bucket in its own directory and refuses versioning', async () => {
    const storage = new FileSystemBlobStorage({ root, buckets: { backups: { name: 'acme-backups' } } });
    await storage.bucket('backups').put('db.sqlite', new Uint8Array([1]));
    expect(statSync(join(root, 'acme-backups', 'db.sqlite')).isFile()).toBe(true);
    expect(() => new FileSystemBlobStorage({ root, buckets: { backups: { versioning: true } } })).toThrow(
      /use the S3 adapter for versioning/,
    );
  });
});
