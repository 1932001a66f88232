import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { BlobStore } from '@weft/engine';

/**
 * {@link BlobStore} on the local filesystem: each key is a file under `root` (default
 * `./.weft/blobs`), `/` in keys making sub-directories. Writes go to a temporary file renamed into
 * place, so a reader never sees half a blob. Content types are not kept.
 *
 * @example
 * ```ts
 * const blobs = new FileSystemBlobStore({ root: '/var/lib/weft/blobs' });
 * await blobs.put('node-runs/ex1/3.json', bytes);
 * ```
 */
export class FileSystemBlobStore implements BlobStore {
  /** Absolute directory holding the blobs. */
  readonly root: string;

  constructor(options: { root?: string } = {}) {
    this.root = resolve(options.root ?? './.weft/blobs');
  }

  #path(key: string): string {
    if (!key || key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '.' || part === '')) {
      throw new Error(`Invalid blob key "${key}": use relative, '/'-separated names without '.' or '..' segments`);
    }
    const path = join(this.root, ...key.split('/'));
    if (!path.startsWith(this.root + sep)) throw new Error(`Blob key "${key}" escapes ${this.root}`);
    return path;
  }

  async put(key: string, data: Uint8Array): Promise<void> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${randomUUID()}.tmp`;
    await writeFile(tmp, data);
    await rename(tmp, path);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.#path(key)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR') {
        return undefined;
      }
      throw err;
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    const cut = prefix.lastIndexOf('/');
    const dirKey = cut >= 0 ? prefix.slice(0, cut) : '';
    const namePrefix = prefix.slice(cut + 1);
    const dir = dirKey ? this.#path(dirKey) : this.root;
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR')
        return 0;
      throw err;
    }
    let deleted = 0;
    for (const name of entries) {
      if (!name.startsWith(namePrefix) || name.endsWith('.tmp')) continue;
      const path = join(dir, name);
      deleted += await countFiles(path);
      await rm(path, { recursive: true, force: true });
    }
    return deleted;
  }
}

async function countFiles(path: string): Promise<number> {
  const s = await stat(path).catch(() => undefined);
  if (!s) return 0;
  if (!s.isDirectory()) return 1;
  let n = 0;
  for (const name of await readdir(path)) n += await countFiles(join(path, name));
  return n;
}
