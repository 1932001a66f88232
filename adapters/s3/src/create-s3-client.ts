import { S3Client } from '@aws-sdk/client-s3';

/** Options of {@link createS3Client}. */
export interface CreateS3ClientOptions {
  /** `http(s)://host[:port]` of an S3-compatible store (MinIO, R2, Ceph); unset: AWS. */
  endpoint?: string;
  /** Default `us-east-1`. */
  region?: string;
  /** `host/bucket/key` URLs (MinIO and most self-hosted stores); default true with an endpoint. */
  forcePathStyle?: boolean;
  /** Static keys; unset: the SDK's default chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * An `S3Client` for {@link S3BlobStorage} that works with AWS and with S3-compatible stores:
 * checksums are sent and checked only where S3 requires them, since MinIO, R2 and older
 * S3-compatible servers reject or ignore the SDK's newer default checksum headers.
 *
 * @example
 * ```ts
 * const client = createS3Client({ endpoint: 'http://127.0.0.1:9000', credentials: { accessKeyId, secretAccessKey } });
 * const storage = new S3BlobStorage({ client });
 * ```
 */
export function createS3Client(options: CreateS3ClientOptions = {}): S3Client {
  return new S3Client({
    region: options.region ?? 'us-east-1',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
