import type { JsonObject, ResolvedCredential } from '@weft/engine';
import { XMLParser } from 'fast-xml-parser';
import { Auth } from '../../auth/auth-scheme.js';
import { HttpError } from '../../http/http-error.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../../http/http-types.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';
import { signAwsV4 } from './aws-sigv4.js';

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false });

async function s3<T = unknown>(http: HttpClient, request: HttpRequest): Promise<HttpResponse<T>> {
  try {
    return await http.request<T>(request);
  } catch (err) {
    if (err instanceof HttpError && typeof err.body === 'string' && err.body.includes('<Error>')) {
      const e = (xml.parse(err.body) as { Error?: { Code?: string; Message?: string } }).Error;
      throw new Error(`S3 ${e?.Code ?? err.status}: ${e?.Message ?? 'request failed'}`);
    }
    throw err;
  }
}

function objectUrl(credential: ResolvedCredential | undefined, bucket: string, key = ''): string {
  const d = credential?.data ?? {};
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new Error(`S3: "${bucket}" is not a valid bucket name`);
  const region = String(d.region || 'us-east-1');
  const endpoint = new URL(String(d.endpoint || `https://s3.${region}.amazonaws.com`));
  const path = key
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
  if (d.virtualHosted === true) return `${endpoint.protocol}//${bucket}.${endpoint.host}/${path}`;
  return `${endpoint.origin}${endpoint.pathname.replace(/\/$/, '')}/${bucket}/${path}`;
}

const keys = Auth.custom({
  type: 's3.accessKey',
  displayName: 'S3 access key',
  description: 'AWS S3 or any S3-compatible store (MinIO, Cloudflare R2, Wasabi, Ceph).',
  fields: {
    accessKeyId: Property.ShortText({ label: 'Access key ID', required: true, expressions: false }),
    secretAccessKey: Property.SecretText({ label: 'Secret access key', required: true, expressions: false }),
    sessionToken: Property.SecretText({ label: 'Session token', expressions: false }),
    region: Property.ShortText({ label: 'Region', default: 'us-east-1', expressions: false }),
    endpoint: Property.ShortText({ label: 'Endpoint', description: 'Default: AWS for the region', expressions: false }),
    virtualHosted: Property.Checkbox({ label: 'Virtual-hosted bucket URLs', default: false }),
  },
  sign: (request, d) =>
    signAwsV4(
      request,
      {
        accessKeyId: String(d.accessKeyId ?? ''),
        secretAccessKey: String(d.secretAccessKey ?? ''),
        ...(typeof d.sessionToken === 'string' && d.sessionToken ? { sessionToken: d.sessionToken } : {}),
        region: String(d.region || 'us-east-1'),
        service: 's3',
      },
      Date.now(),
    ),
});

const bucket = Property.ShortText({ label: 'Bucket', required: true });
const key = Property.ShortText({ label: 'Key', required: true });

const putObject = defineAction({
  name: 'putObject',
  displayName: 'Upload object',
  description: "Uploads text or an input item's binary data",
  sideEffects: 'idempotent',
  props: {
    bucket,
    key,
    binaryProperty: Property.ShortText({ label: 'Binary property', default: 'data' }),
    text: Property.LongText({ label: 'Text content', description: 'Used when the item has no binary data' }),
    contentType: Property.ShortText({ label: 'Content type' }),
  },
  run: async (ctx) => {
    const p = ctx.props;
    const ref = ctx.item?.binary?.[p.binaryProperty];
    let body: Uint8Array;
    let contentType = p.contentType;
    if (ref) {
      body = await ctx.binary.get(ref);
      contentType ||= ref.mimeType;
    } else if (p.text !== undefined) {
      body = new TextEncoder().encode(p.text);
      contentType ||= 'text/plain; charset=utf-8';
    } else throw new Error(`S3: the input item has no binary property "${p.binaryProperty}" and no Text was given`);
    const res = await s3(ctx.http, {
      method: 'PUT',
      url: objectUrl(ctx.credential, p.bucket, p.key),
      body,
      headers: { 'content-type': contentType || 'application/octet-stream' },
      signal: ctx.signal,
    });
    return { bucket: p.bucket, key: p.key, etag: res.headers.etag ?? null, size: body.byteLength };
  },
});

const getObject = defineAction({
  name: 'getObject',
  displayName: 'Download object',
  description: 'Downloads an object as binary data',
  sideEffects: 'none',
  props: {
    bucket,
    key,
    maxBytes: Property.Number({ label: 'Largest object (bytes)', default: 50 * 1024 * 1024, integer: true, min: 1 }),
  },
  run: async (ctx) => {
    const p = ctx.props;
    const res = await s3(ctx.http, {
      url: objectUrl(ctx.credential, p.bucket, p.key),
      responseType: 'bytes',
      maxResponseBytes: p.maxBytes,
      signal: ctx.signal,
    });
    const mimeType = res.headers['content-type'] ?? 'application/octet-stream';
    const ref = await ctx.binary.put(res.bytes, { mimeType, fileName: p.key.split('/').pop() || p.key });
    return {
      json: {
        bucket: p.bucket,
        key: p.key,
        size: res.bytes.byteLength,
        contentType: mimeType,
        etag: res.headers.etag ?? null,
      },
      binary: { data: ref },
    };
  },
});

const listObjects = defineAction({
  name: 'listObjects',
  displayName: 'List objects',
  description: 'Lists objects under a prefix, following continuation tokens',
  sideEffects: 'none',
  props: {
    bucket,
    prefix: Property.ShortText({ label: 'Prefix' }),
    limit: Property.Number({ label: 'Most objects', default: 1000, integer: true, min: 1 }),
  },
  run: async (ctx) => {
    const p = ctx.props;
    const out: JsonObject[] = [];
    let token: string | undefined;
    do {
      const res = await s3<string>(ctx.http, {
        url: objectUrl(ctx.credential, p.bucket),
        query: {
          'list-type': 2,
          prefix: p.prefix || undefined,
          'max-keys': Math.min(1000, p.limit - out.length),
          'continuation-token': token,
        },
        responseType: 'text',
        signal: ctx.signal,
      });
      const r = (xml.parse(res.body) as { ListBucketResult?: Record<string, unknown> }).ListBucketResult ?? {};
      const contents = r.Contents === undefined ? [] : Array.isArray(r.Contents) ? r.Contents : [r.Contents];
      for (const c of contents as Record<string, string>[]) {
        out.push({
          key: c.Key ?? '',
          size: Number(c.Size ?? 0),
          lastModified: c.LastModified ?? null,
          etag: c.ETag ?? null,
        });
      }
      token = r.IsTruncated === 'true' ? String(r.NextContinuationToken ?? '') || undefined : undefined;
    } while (token && out.length < p.limit);
    return out.slice(0, p.limit);
  },
});

const deleteObject = defineAction({
  name: 'deleteObject',
  displayName: 'Delete object',
  description: 'Deletes an object (succeeds when it is already gone)',
  sideEffects: 'idempotent',
  props: { bucket, key },
  run: async (ctx) => {
    await s3(ctx.http, {
      method: 'DELETE',
      url: objectUrl(ctx.credential, ctx.props.bucket, ctx.props.key),
      signal: ctx.signal,
    });
    return { bucket: ctx.props.bucket, key: ctx.props.key, deleted: true };
  },
});

/**
 * S3-compatible object storage: upload, download (binary), list with continuation, delete;
 * requests signed with AWS Signature V4.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(s3Connector, { http, blobs }));
 * ```
 */
export const s3Connector = defineConnector({
  name: 's3',
  displayName: 'S3 object storage',
  description: 'Store and fetch files in AWS S3 or any S3-compatible service.',
  version: '1.0.0',
  icon: svgIcon('#E25444', '<path d="M5 7h14l-1.8 12H6.8z"/><ellipse cx="12" cy="7" rx="7" ry="2.2"/>'),
  auth: keys,
  actions: [putObject, getObject, listObjects, deleteObject],
});
