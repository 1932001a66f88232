import { join, resolve } from 'node:path';
import {
  type BlobBucketConfig,
  type BlobBucketRole,
  type BlobBucketSettings,
  type BlobStorage,
  type BlobUrlSigner,
  resolveBlobBuckets,
} from '@weft/engine';
import { FileSystemBlobStore } from './file-system-blob-store.js';

/** Options of {@link FileSystemBlobStorage}. */
export interface FileSystemBlobStorageOptions {
  /** Directory holding one sub-directory per bucket, e.g. `<data dir>/buckets`; default `./.weft/buckets`. */
  root?: string;
  /** Names and settings per bucket. `versioning` is refused: this store keeps one version per key. */
  buckets?: Partial<Record<BlobBucketRole, BlobBucketConfig>>;
  /** Signs pre-signed URLs for the host to serve (`serveSignedBlob` with {@link FileSystemBlobStorage.byName}). */
  signer?: BlobUrlSigner;
  /** Epoch ms; default `Date.now`. */
  now?: () => number;
}

/**
 * Named buckets on the local file system, the embedded default: `<root>/<bucket name>/<key>`,
 * one {@link FileSystemBlobStore} each. Lifecycle expiry applies when a blob is next touched and
 * in {@link FileSystemBlobStorage.removeExpired}. Bytes are stored as given (the files are private
 * to the process user); client-side encryption is an S3 adapter feature.
 *
 * @example
 * ```ts
 * const storage = new FileSystemBlobStorage({ root: join(dataDir, 'buckets'), signer });
 * await storage.bucket('user-uploads').put('ws1/photo.png', stream, { contentType: 'image/png' });
 * ```
 */
export class FileSystemBlobStorage implements BlobStorage {
  readonly root: string;
  readonly buckets: readonly BlobBucketSettings[];
  readonly #stores = new Map<BlobBucketRole, FileSystemBlobStore>();

  constructor(options: FileSystemBlobStorageOptions = {}) {
    this.root = resolve(options.root ?? './.weft/buckets');
    this.buckets = resolveBlobBuckets(options.buckets);
    for (const b of this.buckets) {
      if (b.versioning) {
        throw new TypeError(
          `Blob bucket ${b.role}: the file-system store keeps one version per key; use the S3 adapter for versioning`,
        );
      }
      const store = new FileSystemBlobStore({
        root: join(this.root, b.name),
        name: b.name,
        ...(b.expireAfterDays !== undefined && { expireAfterDays: b.expireAfterDays }),
        ...(options.signer && { signer: options.signer }),
        ...(options.now && { now: options.now }),
      });
      this.#stores.set(b.role, store);
    }
  }

  bucket(role: BlobBucketRole): FileSystemBlobStore {
    const store = this.#stores.get(role);
    if (!store) throw new TypeError(`Unknown blob bucket ${role}`);
    return store;
  }

  /** The bucket stored under `name` (for serving signed URLs), if any. */
  byName(name: string): FileSystemBlobStore | undefined {
    return [...this.#stores.values()].find((s) => s.name === name);
  }

  /** Runs every bucket's lifecycle sweep; returns how many blobs were removed. */
  async removeExpired(): Promise<number> {
    let removed = 0;
    for (const store of this.#stores.values()) removed += await store.removeExpired();
    return removed;
  }
}
