import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
    expect(readdirSync(join(root, 'ws1', 'ex1')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
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
});
