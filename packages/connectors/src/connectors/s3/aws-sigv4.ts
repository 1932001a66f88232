import { createHash, createHmac } from 'node:crypto';
import type { PreparedRequest } from '../../http/http-types.js';

/**
 * AWS credentials and scope for {@link signAwsV4}.
 *
 * @example
 * ```ts
 * const key: AwsSigningKey = { accessKeyId, secretAccessKey, region: 'eu-west-1', service: 's3' };
 * ```
 */
export interface AwsSigningKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
  /** `s3` for object storage. */
  service: string;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
// RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone).
const encode = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Signs a request with AWS Signature Version 4 (header form): sets `x-amz-date`,
 * `x-amz-content-sha256`, `x-amz-security-token` when given, and `authorization`. Works for S3 and
 * S3-compatible stores (MinIO, R2, Wasabi, Ceph).
 *
 * @example
 * ```ts
 * signAwsV4(request, { accessKeyId, secretAccessKey, region: 'eu-west-1', service: 's3' }, Date.now());
 * ```
 */
export function signAwsV4(request: PreparedRequest, key: AwsSigningKey, now: number): void {
  const amzDate = new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = request.headers.get('x-amz-content-sha256') ?? sha256(request.bodyBytes ?? new Uint8Array());
  request.headers.set('x-amz-date', amzDate);
  request.headers.set('x-amz-content-sha256', payloadHash);
  if (key.sessionToken) request.headers.set('x-amz-security-token', key.sessionToken);
  const headers = new Map<string, string>([['host', request.url.host]]);
  request.headers.forEach((v, k) => {
    if (k === 'host' || k.startsWith('x-amz-') || k === 'content-type' || k === 'content-md5' || k === 'range') {
      headers.set(k, v.trim().replace(/\s+/g, ' '));
    }
  });
  const names = [...headers.keys()].sort();
  const path = request.url.pathname
    .split('/')
    .map((seg) => encode(decodeURIComponent(seg)))
    .join('/');
  const query = [...request.url.searchParams.entries()]
    .map(([k, v]) => [encode(k), encode(v)] as const)
    .sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : 1) : a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonical = [
    request.method,
    path || '/',
    query,
    ...names.map((n) => `${n}:${headers.get(n)}`),
    '',
    names.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${day}/${key.region}/${key.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${key.secretAccessKey}`, day), key.region), key.service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(toSign).digest('hex');
  request.headers.set(
    'authorization',
    `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  );
}
