import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  type BlobBucketConfig,
  type BlobBucketRole,
  type BlobBucketSettings,
  type BlobStorage,
  resolveBlobBuckets,
} from '@weft/engine';
import type { BlobKeyProvider } from './blob-encryption.js';
import { S3BlobStore, type S3BlobStoreOptions } from './s3-blob-store.js';

/** Options of {@link S3BlobStorage}. */
export interface S3BlobStorageOptions
  extends Pick<S3BlobStoreOptions, 'client' | 'serverSideEncryption' | 'kmsKeyId' | 'partSize' | 'queueSize'> {
  /** Names and settings per bucket; S3 bucket names are global, so prefix them in production. */
  buckets?: Partial<Record<BlobBucketRole, BlobBucketConfig>>;
  /** Keys for buckets with `clientSideEncryption` (by default `compliance-docs`). */
  keys?: BlobKeyProvider;
}

/**
 * Weft's named buckets on an S3-compatible store, one {@link S3BlobStore} each.
 * {@link S3BlobStorage.ensureBuckets} creates missing buckets and applies versioning and lifecycle
 * expiry; a store that does not implement one of them makes it fail, naming the bucket and
 * the feature, rather than silently running without.
 *
 * @example
 * ```ts
 * const client = new S3Client({ endpoint: 'http://127.0.0.1:9000', forcePathStyle: true, region: 'us-east-1' });
 * const storage = new S3BlobStorage({ client, keys, buckets: { backups: { name: 'acme-backups', expireAfterDays: 30 } } });
 * await storage.ensureBuckets();
 * ```
 */
export class S3BlobStorage implements BlobStorage {
  readonly buckets: readonly BlobBucketSettings[];
  readonly #client: S3Client;
  readonly #stores = new Map<BlobBucketRole, S3BlobStore>();

  constructor(options: S3BlobStorageOptions) {
    this.#client = options.client;
    this.buckets = resolveBlobBuckets(options.buckets);
    for (const b of this.buckets) {
      if (b.clientSideEncryption && !options.keys) {
        throw new TypeError(`Blob bucket ${b.role} is encrypted client-side: pass keys (a BlobKeyProvider)`);
      }
      const store = new S3BlobStore({
        client: options.client,
        bucket: b.name,
        versioning: b.versioning,
        ...(b.clientSideEncryption && options.keys && { clientSideEncryption: options.keys }),
        ...(options.serverSideEncryption && { serverSideEncryption: options.serverSideEncryption }),
        ...(options.kmsKeyId && { kmsKeyId: options.kmsKeyId }),
        ...(options.partSize && { partSize: options.partSize }),
        ...(options.queueSize && { queueSize: options.queueSize }),
      });
      this.#stores.set(b.role, store);
    }
  }

  bucket(role: BlobBucketRole): S3BlobStore {
    const store = this.#stores.get(role);
    if (!store) throw new TypeError(`Unknown blob bucket ${role}`);
    return store;
  }

  /** Creates each bucket that does not exist and applies its versioning and lifecycle settings. */
  async ensureBuckets(): Promise<void> {
    for (const b of this.buckets) {
      const exists = await this.#client.send(new HeadBucketCommand({ Bucket: b.name })).then(
        () => true,
        (err: { $metadata?: { httpStatusCode?: number } }) => {
          if (err.$metadata?.httpStatusCode === 404) return false;
          throw err;
        },
      );
      if (!exists) await this.#client.send(new CreateBucketCommand({ Bucket: b.name }));
      if (b.versioning) {
        await this.#apply(b, 'versioning', () =>
          this.#client.send(
            new PutBucketVersioningCommand({ Bucket: b.name, VersioningConfiguration: { Status: 'Enabled' } }),
          ),
        );
      }
      if (b.expireAfterDays !== undefined) {
        const days = b.expireAfterDays;
        await this.#apply(b, 'lifecycle expiry', () =>
          this.#client.send(
            new PutBucketLifecycleConfigurationCommand({
              Bucket: b.name,
              LifecycleConfiguration: {
                Rules: [{ ID: 'weft-expiry', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: days } }],
              },
            }),
          ),
        );
      }
    }
  }

  async #apply(b: BlobBucketSettings, feature: string, send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (err) {
      const e = err as Error & { name?: string };
      throw new Error(
        `Blob bucket ${b.role} (${b.name}): the S3 endpoint refused ${feature}: ${e.name}: ${e.message}`,
        {
          cause: err,
        },
      );
    }
  }
}
