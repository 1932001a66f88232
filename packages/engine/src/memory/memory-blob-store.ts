import { blobBodyStream, readBlobBody, sha256Hex } from '../blobs/blob-body.js';
import type { BlobUrlSigner } from '../blobs/blob-url-signer.js';
import {
  type BlobBody,
  type BlobBucketConfig,
  type BlobBucketRole,
  type BlobBucketSettings,
  type BlobInfo,
  type BlobListPage,
  BlobNotFoundError,
  type BlobObject,
  type BlobPresignOptions,
  type BlobPutOptions,
  type BlobStorage,
  type BlobStore,
  checkBlobKey,
  resolveBlobBuckets,
} from '../ports/blob-store.js';

/** Options of {@link MemoryBlobStore}. */
export interface MemoryBlobStoreOptions {
  /** Bucket name used in signed URLs; default `default`. */
  name?: string;
  /** Signs `presign` URLs that the host serves with `serveSignedBlob`; without it `presign` throws. */
  signer?: BlobUrlSigner;
  /** Keep every version of every key. */
  versioning?: boolean;
  /** Blobs older than this many days are gone (dropped when next touched). */
  expireAfterDays?: number;
  /** Epoch ms; default `Date.now`. */
  now?: () => number;
}

interface Entry {
  bytes: Uint8Array;
  info: BlobInfo;
}

/**
 * One bucket of blobs in process memory, for tests and in-browser use.
 *
 * @example
 * ```ts
 * const blobs = new MemoryBlobStore();
 * await blobs.put('a', new Uint8Array([1, 2, 3]), { contentType: 'image/png' });
 * ```
 */
export class MemoryBlobStore implements BlobStore {
  readonly name: string;
  readonly #blobs = new Map<string, Entry>();
  readonly #versions = new Map<string, Entry[]>();
  readonly #options: MemoryBlobStoreOptions;
  readonly #now: () => number;
  #versionSeq = 0;

  constructor(options: MemoryBlobStoreOptions = {}) {
    this.name = options.name ?? 'default';
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  async put(key: string, data: BlobBody, options: BlobPutOptions = {}): Promise<BlobInfo> {
    checkBlobKey(key);
    const bytes = (await readBlobBody(data)).slice();
    const info: BlobInfo = {
      key,
      size: bytes.byteLength,
      contentType: options.contentType ?? 'application/octet-stream',
      sha256: await sha256Hex(bytes),
      metadata: { ...options.metadata },
      lastModified: new Date(this.#now()),
    };
    if (this.#options.versioning) {
      info.versionId = `${this.#now().toString(36)}-${(++this.#versionSeq).toString(36).padStart(6, '0')}`;
      this.#versions.set(key, [{ bytes, info }, ...(this.#versions.get(key) ?? [])]);
    }
    this.#blobs.set(key, { bytes, info });
    return copyInfo(info);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.#live(checkBlobKey(key))?.bytes.slice();
  }

  async getStream(key: string, options: { versionId?: string } = {}): Promise<BlobObject> {
    checkBlobKey(key);
    const entry = options.versionId
      ? this.#versions.get(key)?.find((v) => v.info.versionId === options.versionId)
      : this.#live(key);
    if (!entry) throw new BlobNotFoundError(key, options.versionId);
    return { info: copyInfo(entry.info), body: blobBodyStream(entry.bytes.slice()) };
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    const entry = this.#live(checkBlobKey(key));
    return entry && copyInfo(entry.info);
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.#live(checkBlobKey(key)) !== undefined;
    this.#blobs.delete(key);
    return existed;
  }

  async deletePrefix(prefix: string): Promise<number> {
    let n = 0;
    for (const key of [...this.#blobs.keys()]) {
      if (key.startsWith(prefix) && this.#live(key)) {
        this.#blobs.delete(key);
        n++;
      }
    }
    return n;
  }

  async list(options: { prefix?: string; cursor?: string; limit?: number } = {}): Promise<BlobListPage> {
    const { prefix = '', cursor, limit = 1000 } = options;
    const keys = [...this.#blobs.keys()]
      .filter((k) => k.startsWith(prefix) && (cursor === undefined || k > cursor) && this.#live(k))
      .sort();
    const page = keys.slice(0, limit);
    const items = page.map((k) => copyInfo((this.#blobs.get(k) as Entry).info));
    const last = page.at(-1);
    return keys.length > limit && last !== undefined ? { items, cursor: last } : { items };
  }

  async presign(key: string, options: BlobPresignOptions): Promise<string> {
    checkBlobKey(key);
    if (!this.#options.signer) throw new Error(`Blob bucket ${this.name}: presign needs a signer (BlobUrlSigner)`);
    return this.#options.signer.sign(this.name, key, options);
  }

  async listVersions(key: string): Promise<BlobInfo[]> {
    return (this.#versions.get(checkBlobKey(key)) ?? []).map((v) => copyInfo(v.info));
  }

  #live(key: string): Entry | undefined {
    const entry = this.#blobs.get(key);
    const days = this.#options.expireAfterDays;
    if (entry && days !== undefined && entry.info.lastModified.getTime() + days * 86_400_000 <= this.#now()) {
      this.#blobs.delete(key);
      return undefined;
    }
    return entry;
  }
}

/**
 * Named buckets in process memory, one {@link MemoryBlobStore} each.
 *
 * @example
 * ```ts
 * const storage = new MemoryBlobStorage({ buckets: { backups: { expireAfterDays: 30 } } });
 * await storage.bucket('backups').put('db.sqlite', bytes);
 * ```
 */
export class MemoryBlobStorage implements BlobStorage {
  readonly buckets: readonly BlobBucketSettings[];
  readonly #stores = new Map<BlobBucketRole, MemoryBlobStore>();

  constructor(
    options: {
      buckets?: Partial<Record<BlobBucketRole, BlobBucketConfig>>;
      signer?: BlobUrlSigner;
      now?: () => number;
    } = {},
  ) {
    this.buckets = resolveBlobBuckets(options.buckets);
    for (const b of this.buckets) {
      const store = new MemoryBlobStore({
        name: b.name,
        versioning: b.versioning,
        ...(b.expireAfterDays !== undefined && { expireAfterDays: b.expireAfterDays }),
        ...(options.signer && { signer: options.signer }),
        ...(options.now && { now: options.now }),
      });
      this.#stores.set(b.role, store);
    }
  }

  bucket(role: BlobBucketRole): MemoryBlobStore {
    const store = this.#stores.get(role);
    if (!store) throw new TypeError(`Unknown blob bucket ${role}`);
    return store;
  }

  /** The bucket stored under `name` (for serving signed URLs), if any. */
  byName(name: string): MemoryBlobStore | undefined {
    return [...this.#stores.values()].find((s) => s.name === name);
  }
}

function copyInfo(info: BlobInfo): BlobInfo {
  return { ...info, metadata: { ...info.metadata }, lastModified: new Date(info.lastModified) };
}
