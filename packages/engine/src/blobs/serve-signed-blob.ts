import { BlobNotFoundError, type BlobStore } from '../ports/blob-store.js';
import type { BlobUrlSigner } from './blob-url-signer.js';

/**
 * Answers a request for a URL made by {@link BlobUrlSigner}: `GET`/`HEAD` stream the blob, `PUT`
 * stores the request body (its `Content-Type` kept). Refused URLs get 400/403 and a plain-text
 * reason; unknown buckets and missing keys get 404. Web `Request`/`Response`, so any host can mount
 * it: Express via a small adapter, a service worker, Deno, Bun.
 *
 * @example
 * ```ts
 * const response = await serveSignedBlob(request, { signer, bucket: (name) => buckets.get(name) });
 * ```
 */
export async function serveSignedBlob(
  request: Request,
  options: { signer: BlobUrlSigner; bucket: (name: string) => BlobStore | undefined },
): Promise<Response> {
  const grant = await options.signer.verify(request.url, request.method);
  if ('reason' in grant) return text(grant.status, grant.reason);
  const store = options.bucket(grant.bucket);
  if (!store) return text(404, `no bucket named ${grant.bucket}`);
  if (grant.method === 'PUT') {
    if (!request.body) return text(400, 'PUT needs a request body');
    const contentType = request.headers.get('content-type') ?? undefined;
    const info = await store.put(grant.key, request.body, contentType ? { contentType } : {});
    return new Response(null, { status: 200, headers: { etag: `"${info.sha256}"` } });
  }
  try {
    const { info, body } = await store.getStream(grant.key);
    const headers = {
      'content-type': info.contentType,
      'content-length': String(info.size),
      etag: `"${info.sha256}"`,
      'last-modified': info.lastModified.toUTCString(),
    };
    if (request.method === 'HEAD') {
      await body.cancel();
      return new Response(null, { status: 200, headers });
    }
    return new Response(body, { status: 200, headers });
  } catch (err) {
    if (err instanceof BlobNotFoundError) return text(404, err.message);
    throw err;
  }
}

function text(status: number, message: string): Response {
  return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
