import { isAbsolute, join, resolve } from 'node:path';
import { type BlobBucketConfig, type BlobBucketRole, resolveBlobBuckets } from '@weft/engine';

/** Where an S3-compatible blob store is and how to reach it (`WEFT_S3_*`). */
export interface S3Settings {
  /** `http(s)://host[:port]` of MinIO, R2 and the like; unset: AWS for `region`. */
  endpoint?: string;
  region: string;
  /** Static keys; unset: the AWS SDK's default chain (environment, profile, instance role). */
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `host/bucket/key` URLs instead of `bucket.host/key` (MinIO and most self-hosted stores). */
  forcePathStyle: boolean;
  /** Put before every bucket name (S3 names are global): `acme-` gives `acme-backups`. */
  bucketPrefix: string;
  /** Server-side encryption asked of the store. */
  serverSideEncryption?: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
}

/** The host's blob storage (`WEFT_BLOB_*`, `WEFT_S3_*`, `WEFT_BACKUP_*`). */
export interface BlobSettings {
  /** `fs`: directories under `root`; `s3`: an S3-compatible store. */
  store: 'fs' | 's3';
  /** File-system root of the buckets (default `<data dir>/buckets`). */
  root: string;
  s3?: S3Settings;
  /** Per-bucket names, lifecycle expiry, versioning, client-side encryption. */
  buckets: Partial<Record<BlobBucketRole, BlobBucketConfig>>;
  /** Bytes of workflow files one workspace may keep; 0: no limit. */
  quotaBytes: number;
  /** Largest upload one request may stream to the blob store (webhook files, signed PUTs). */
  uploadLimitBytes: number;
  /**
   * Path after the public URL under which this store's signed file-system links are served
   * (default `/blobs`); a data-residency region's is `/regions/<name>/blobs` (ADR 0014).
   */
  urlPath?: string;
  /** Hours between scheduled backups into the backups bucket; 0: none. */
  backupIntervalHours: number;
  /** How many scheduled backups are kept (older ones are deleted). */
  backupKeep: number;
}

type Read = (name: string, fallback?: string) => string | undefined;

const SSE = ['AES256', 'aws:kms'] as const;

/**
 * Reads blob storage settings. `WEFT_BLOB_URL` picks the store: unset or `file:<dir>` the file
 * system (relative dirs under the data directory), `s3:` an S3-compatible store configured by
 * `WEFT_S3_*`. Problems are appended to `problems`, each naming its variable.
 *
 * @example
 * ```ts
 * const problems: string[] = [];
 * const blob = blobSettings((n) => process.env[n], '/var/lib/weft', problems);
 * ```
 */
export function blobSettings(
  str: Read,
  int: (name: string, fallback: number, min: number, max?: number) => number,
  bool: (name: string, fallback: boolean) => boolean,
  dataDir: string,
  problems: string[],
): BlobSettings {
  const url = str('WEFT_BLOB_URL', 'file:buckets') as string;
  let store: BlobSettings['store'] = 'fs';
  let root = join(dataDir, 'buckets');
  let s3: S3Settings | undefined;
  if (url.startsWith('file:')) {
    const dir = url.slice('file:'.length).replace(/^\/\/(?=\/)/, '');
    if (!dir) problems.push('WEFT_BLOB_URL file: needs a directory, e.g. file:/var/lib/weft/buckets');
    else root = isAbsolute(dir) ? dir : resolve(dataDir, dir);
  } else if (url === 's3:' || url === 's3') {
    store = 's3';
    const endpoint = str('WEFT_S3_ENDPOINT');
    if (endpoint !== undefined && !/^https?:\/\/[^/]+\/?$/.test(endpoint)) {
      problems.push(`WEFT_S3_ENDPOINT must be an http(s) origin like http://127.0.0.1:9000, got "${endpoint}"`);
    }
    const accessKeyId = str('WEFT_S3_ACCESS_KEY_ID');
    const secretAccessKey = str('WEFT_S3_SECRET_ACCESS_KEY');
    if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
      problems.push('WEFT_S3_ACCESS_KEY_ID and WEFT_S3_SECRET_ACCESS_KEY must be set together');
    }
    const sse = str('WEFT_S3_SSE');
    if (sse !== undefined && !(SSE as readonly string[]).includes(sse)) {
      problems.push(`WEFT_S3_SSE must be one of ${SSE.join(', ')}, got "${sse}"`);
    }
    const bucketPrefix = str('WEFT_S3_BUCKET_PREFIX', '') as string;
    if (!/^[a-z0-9.-]{0,40}$/.test(bucketPrefix)) {
      problems.push(
        `WEFT_S3_BUCKET_PREFIX must be up to 40 lower-case letters, digits, '-' or '.', got "${bucketPrefix}"`,
      );
    }
    s3 = {
      ...(endpoint ? { endpoint: endpoint.replace(/\/$/, '') } : {}),
      region: str('WEFT_S3_REGION', 'us-east-1') as string,
      ...(accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : {}),
      forcePathStyle: bool('WEFT_S3_FORCE_PATH_STYLE', endpoint !== undefined),
      bucketPrefix,
      ...(sse ? { serverSideEncryption: sse as S3Settings['serverSideEncryption'] } : {}),
      ...(str('WEFT_S3_KMS_KEY_ID') ? { kmsKeyId: str('WEFT_S3_KMS_KEY_ID') } : {}),
    };
  } else {
    problems.push(`WEFT_BLOB_URL must be file:<directory> or s3:, got "${url}"`);
  }
  const buckets = bucketSettings(str('WEFT_BLOB_BUCKETS'), s3?.bucketPrefix ?? '', problems);
  return {
    store,
    root,
    ...(s3 ? { s3 } : {}),
    buckets,
    quotaBytes: int('WEFT_BLOB_QUOTA_BYTES', 0, 0),
    uploadLimitBytes: int('WEFT_UPLOAD_LIMIT_BYTES', 100 * 1024 * 1024, 1024),
    backupIntervalHours: int('WEFT_BACKUP_INTERVAL_HOURS', 0, 0, 24 * 365),
    backupKeep: int('WEFT_BACKUP_KEEP', 7, 1, 10_000),
  };
}

function bucketSettings(
  raw: string | undefined,
  prefix: string,
  problems: string[],
): Partial<Record<BlobBucketRole, BlobBucketConfig>> {
  let given: Partial<Record<BlobBucketRole, BlobBucketConfig>> = {};
  if (raw !== undefined) {
    try {
      const doc = typeof raw === 'string' ? JSON.parse(raw) : raw;
      if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('expected an object');
      given = doc;
    } catch (e) {
      problems.push(
        `WEFT_BLOB_BUCKETS must be a JSON object by bucket, e.g. {"backups":{"expireAfterDays":30}}: ${(e as Error).message}`,
      );
      return {};
    }
  }
  const out: Partial<Record<BlobBucketRole, BlobBucketConfig>> = {};
  try {
    for (const b of resolveBlobBuckets(given)) {
      out[b.role] = { ...given[b.role], name: `${prefix}${given[b.role]?.name ?? b.role}` };
    }
    resolveBlobBuckets(out);
  } catch (e) {
    problems.push(`WEFT_BLOB_BUCKETS: ${(e as Error).message}`);
    return {};
  }
  return out;
}
