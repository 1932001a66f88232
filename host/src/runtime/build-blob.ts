import { createHmac, hkdfSync } from 'node:crypto';
import { parseMasterKeys } from '@weft/connectors';
import { type BlobStorage, type BlobStore, BlobUrlSigner } from '@weft/engine';
import { FileSystemBlobStorage } from '@weft/fs';
import type { HostConfig } from '../config/load-config.js';

/** What {@link buildBlobStorage} returns. */
export interface BuiltBlobStorage {
  /** The named buckets (workflow-exports, compliance-docs, user-uploads, backups). */
  storage: BlobStorage;
  /**
   * The file-system bucket stored under a name, for the host route serving signed URLs
   * (`/blobs/<bucket>/<key>`); always undefined on S3, whose URLs point at the store itself.
   */
  byName(name: string): BlobStore | undefined;
  /** Signs and checks the host's own blob URLs (file-system store). */
  signer: BlobUrlSigner;
  /** Runs lifecycle expiry where the store does not do it itself (file system); returns blobs removed. */
  removeExpired(): Promise<number>;
  close(): void;
}

/** The path under the host's public URL where signed file-system blob URLs are served. */
export const BLOB_ROUTE = '/blobs';

/**
 * Builds the host's blob buckets from `config.blob`: directories under the data directory by
 * default, or an S3-compatible store (`WEFT_BLOB_URL=s3:` and `WEFT_S3_*`), whose missing buckets
 * are created with their versioning and lifecycle settings. Pre-signed URLs of the file-system
 * store are host URLs under `<public URL>/blobs`, signed with a key derived from the session
 * secret; buckets encrypted client-side (compliance-docs on S3) use keys derived from the master
 * keys, so rotating `WEFT_MASTER_KEY` keeps older blobs readable while the old key is listed.
 *
 * @example
 * ```ts
 * const blob = await buildBlobStorage(config);
 * await blob.storage.bucket('backups').put('2026-12-07.tar', stream);
 * ```
 */
export async function buildBlobStorage(
  config: Pick<HostConfig, 'blob' | 'publicUrl' | 'jwtSecret' | 'masterKeys'>,
): Promise<BuiltBlobStorage> {
  const secret = createHmac('sha256', config.jwtSecret).update('weft blob urls').digest();
  const signer = new BlobUrlSigner({ baseUrl: `${config.publicUrl}${config.blob.urlPath ?? BLOB_ROUTE}`, secret });
  const { blob } = config;
  if (blob.store === 's3' && blob.s3) {
    const s3 = blob.s3;
    // Loaded only when used: the AWS SDK adds to start-up time and memory of file-system hosts.
    const { createS3Client, S3BlobStorage, staticBlobKeys } = await import('@weft/s3');
    const client = createS3Client({
      region: s3.region,
      forcePathStyle: s3.forcePathStyle,
      ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
      ...(s3.accessKeyId && s3.secretAccessKey
        ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } }
        : {}),
    });
    const keys = staticBlobKeys(
      parseMasterKeys(config.masterKeys).map((k) => ({
        id: k.id,
        key: new Uint8Array(hkdfSync('sha256', k.key, new Uint8Array(), 'weft blob encryption', 32)),
      })),
    );
    const storage = new S3BlobStorage({
      client,
      keys,
      buckets: blob.buckets,
      ...(s3.serverSideEncryption ? { serverSideEncryption: s3.serverSideEncryption } : {}),
      ...(s3.kmsKeyId ? { kmsKeyId: s3.kmsKeyId } : {}),
    });
    try {
      await storage.ensureBuckets();
    } catch (err) {
      client.destroy();
      throw new Error(
        `Blob storage on S3${s3.endpoint ? ` at ${s3.endpoint}` : ''} is not usable: ${(err as Error).message}`,
      );
    }
    return {
      storage,
      byName: () => undefined,
      signer,
      removeExpired: async () => 0,
      close: () => client.destroy(),
    };
  }
  const storage = new FileSystemBlobStorage({ root: blob.root, buckets: blob.buckets, signer });
  return {
    storage,
    byName: (name) => storage.byName(name),
    signer,
    removeExpired: () => storage.removeExpired(),
    close: () => {},
  };
}
