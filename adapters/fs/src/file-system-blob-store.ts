import { createHash, randomUUID } from 'node:crypto';
import { open, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  type BlobBody,
  type BlobInfo,
  type BlobListPage,
  BlobNotFoundError,
  type BlobObject,
  type BlobPresignOptions,
  type BlobPutOptions,
  type BlobStore,
  type BlobUrlSigner,
  checkBlobKey,
} from '@weft/engine';
import {
  type BlobSidecar,
  fileBodyStream,
  INTERNAL_DIR,
  isMissing,
  moveInto,
  pruneEmptyDirs,
  walkKeys,
  writeTempFile,
} from './blob-files.js';

/** Options of {@link FileSystemBlobStore}. */
export interface FileSystemBlobStoreOptions {
  /** Directory holding the bucket; default `./.weft/blobs`. Created with mode 0700. */
  root?: string;
  /** Bucket name used in signed URLs; default `default`. */
  name?: string;
  /** Signs `presign` URLs that the host serves with `serveSignedBlob`; without it `presign` throws. */
  signer?: BlobUrlSigner;
  /** Blobs older than this many days are gone: removed when next touched or by `removeExpired`. */
  expireAfterDays?: number;
  /** Epoch ms; default `Date.now`. */
  now?: () => number;
}

/**
 * One bucket of blobs in a directory: each key is a file under `root` (`/` in keys making
 * sub-directories, as before this store took buckets, so existing payload files stay readable),
 * its content type, SHA-256 and metadata in a sidecar under `root/.weft-internal/meta`. Writes
 * stream into a private temporary file (0600; directories 0700) that is renamed into place, so a
 * reader sees the old blob or the new one, never part of one. A sidecar records the inode of the
 * file it describes: a sidecar left behind by a racing writer in another process is ignored (the
 * SHA-256 is then computed from the file) rather than trusted. A key cannot be both a blob and a
 * prefix of other keys' directories (`a` and `a/b`), which S3 allows.
 *
 * @example
 * ```ts
 * const blobs = new FileSystemBlobStore({ root: '/var/lib/weft/blobs' });
 * await blobs.put('node-runs/ex1/3.json', bytes, { contentType: 'application/json' });
 * const { body } = await blobs.getStream('node-runs/ex1/3.json');
 * ```
 */
export class FileSystemBlobStore implements BlobStore {
  /** Absolute directory holding the blobs. */
  readonly root: string;
  readonly name: string;
  readonly #options: FileSystemBlobStoreOptions;
  readonly #now: () => number;
  readonly #writes = new Map<string, Promise<unknown>>();

  constructor(options: FileSystemBlobStoreOptions = {}) {
    this.root = resolve(options.root ?? './.weft/blobs');
    this.name = options.name ?? 'default';
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async put(key: string, data: BlobBody, options: BlobPutOptions = {}): Promise<BlobInfo> {
    const path = this.#path(key);
    const tmpDir = join(this.root, INTERNAL_DIR, 'tmp');
    const written = await writeTempFile(tmpDir, data);
    const sidecar: BlobSidecar = {
      ino: written.ino,
      contentType: options.contentType ?? 'application/octet-stream',
      sha256: written.sha256,
      metadata: { ...options.metadata },
    };
    const metaTmp = join(tmpDir, `${randomUUID()}.json`);
    await writeFile(metaTmp, JSON.stringify(sidecar), { mode: 0o600, flag: 'wx' });
    try {
      await this.#serial(key, async () => {
        await moveInto(written.path, path);
        await moveInto(metaTmp, this.#metaPath(key));
      });
    } catch (err) {
      await Promise.all([unlink(written.path).catch(() => {}), unlink(metaTmp).catch(() => {})]);
      if (['EISDIR', 'ENOTDIR', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? '')) {
        throw new TypeError(`Blob key "${key}" clashes with a directory of other keys in ${this.root}`);
      }
      throw err;
    }
    return { key, size: written.size, ...pick(sidecar), lastModified: new Date(this.#now()) };
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const path = this.#path(key);
    if (this.#options.expireAfterDays !== undefined && !(await this.#liveStat(key, path))) return undefined;
    try {
      return new Uint8Array(await readFile(path));
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async getStream(key: string, options: { versionId?: string } = {}): Promise<BlobObject> {
    const path = this.#path(key);
    if (options.versionId) throw new BlobNotFoundError(key, options.versionId);
    let file: import('node:fs/promises').FileHandle;
    try {
      file = await open(path, 'r');
    } catch (err) {
      if (isMissing(err)) throw new BlobNotFoundError(key);
      throw err;
    }
    try {
      const st = await file.stat();
      if (!st.isFile() || this.#expired(st.mtimeMs)) throw new BlobNotFoundError(key);
      const info = await this.#info(key, path, st);
      return { info, body: fileBodyStream(file) };
    } catch (err) {
      await file.close();
      throw err;
    }
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    const path = this.#path(key);
    const st = await this.#liveStat(key, path);
    return st && this.#info(key, path, st);
  }

  async delete(key: string): Promise<boolean> {
    const path = this.#path(key);
    if (!(await this.#liveStat(key, path))) return false;
    return this.#remove(key, path);
  }

  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    for (const key of await this.#keys(prefix)) if (await this.#remove(key, this.#path(key))) deleted++;
    return deleted;
  }

  async list(options: { prefix?: string; cursor?: string; limit?: number } = {}): Promise<BlobListPage> {
    const { prefix = '', cursor, limit = 1000 } = options;
    const keys = (await this.#keys(prefix)).filter((k) => cursor === undefined || k > cursor).sort();
    const items: BlobInfo[] = [];
    let i = 0;
    for (; i < keys.length && items.length < limit; i++) {
      const info = await this.head(keys[i] as string);
      if (info) items.push(info);
    }
    const last = items.at(-1);
    return i < keys.length && last ? { items, cursor: last.key } : { items };
  }

  async presign(key: string, options: BlobPresignOptions): Promise<string> {
    this.#path(key);
    if (!this.#options.signer) throw new Error(`Blob bucket ${this.name}: presign needs a signer (BlobUrlSigner)`);
    return this.#options.signer.sign(this.name, key, options);
  }

  /** Always empty: this store keeps one version per key. */
  async listVersions(key: string): Promise<BlobInfo[]> {
    this.#path(key);
    return [];
  }

  /** Removes every blob past `expireAfterDays` (the lifecycle sweep a scheduler runs); returns how many. */
  async removeExpired(): Promise<number> {
    if (this.#options.expireAfterDays === undefined) return 0;
    let removed = 0;
    for (const key of await this.#keys('')) {
      const path = this.#path(key);
      const st = await stat(path).catch(() => undefined);
      if (st && this.#expired(st.mtimeMs) && (await this.#remove(key, path))) removed++;
    }
    return removed;
  }

  #path(key: string): string {
    checkBlobKey(key);
    const parts = key.split('/');
    if (parts[0] === INTERNAL_DIR) throw new TypeError(`Invalid blob key "${key}": ${INTERNAL_DIR}/ is reserved`);
    return join(this.root, ...parts);
  }

  #metaPath(key: string): string {
    return `${join(this.root, INTERNAL_DIR, 'meta', ...key.split('/'))}.json`;
  }

  #expired(mtimeMs: number): boolean {
    const days = this.#options.expireAfterDays;
    return days !== undefined && mtimeMs + days * 86_400_000 <= this.#now();
  }

  async #liveStat(key: string, path: string): Promise<import('node:fs').Stats | undefined> {
    const st = await stat(path).catch((err: unknown) => {
      if (isMissing(err)) return undefined;
      throw err;
    });
    if (!st?.isFile()) return undefined;
    if (this.#expired(st.mtimeMs)) {
      await this.#remove(key, path);
      return undefined;
    }
    return st;
  }

  async #info(key: string, path: string, st: import('node:fs').Stats): Promise<BlobInfo> {
    const sidecar = await readFile(this.#metaPath(key), 'utf8')
      .then((text) => JSON.parse(text) as BlobSidecar)
      .catch(() => undefined);
    const known = sidecar?.ino === st.ino ? sidecar : undefined;
    return {
      key,
      size: st.size,
      contentType: known?.contentType ?? 'application/octet-stream',
      sha256: known?.sha256 ?? (await hashFile(path)),
      metadata: { ...known?.metadata },
      lastModified: st.mtime,
    };
  }

  async #remove(key: string, path: string): Promise<boolean> {
    return this.#serial(key, async () => {
      const existed = await unlink(path).then(
        () => true,
        (err: unknown) => {
          if (isMissing(err)) return false;
          throw err;
        },
      );
      const meta = this.#metaPath(key);
      await unlink(meta).catch(() => {});
      await pruneEmptyDirs(dirname(path), this.root);
      await pruneEmptyDirs(dirname(meta), join(this.root, INTERNAL_DIR, 'meta'));
      return existed;
    });
  }

  async #keys(prefix: string): Promise<string[]> {
    const cut = prefix.lastIndexOf('/');
    const base = cut >= 0 ? prefix.slice(0, cut) : '';
    let dir = this.root;
    if (base) {
      try {
        dir = this.#path(base);
      } catch {
        return [];
      }
    }
    const keys: string[] = [];
    for await (const key of walkKeys(dir, base)) if (key.startsWith(prefix)) keys.push(key);
    return keys;
  }

  // Renames of a blob and its sidecar run one pair at a time per key, so in one process the
  // sidecar always describes the file beside it.
  async #serial<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#writes.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => {});
    this.#writes.set(key, settled);
    try {
      return await run;
    } finally {
      if (this.#writes.get(key) === settled) this.#writes.delete(key);
    }
  }
}

function pick(s: BlobSidecar): Pick<BlobInfo, 'contentType' | 'sha256' | 'metadata'> {
  return { contentType: s.contentType, sha256: s.sha256, metadata: { ...s.metadata } };
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'r');
  try {
    for await (const chunk of file.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}
