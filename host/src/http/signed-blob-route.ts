import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { serveSignedBlob } from '@weft/engine';
import type { Logger } from 'pino';
import type { HostRuntime } from '../runtime/host-runtime.js';
import { headersOf } from './hook-request.js';
import { sendProblem } from './problem.js';
import { closeAfterAnswer, limitedBody, problemIn } from './webhook-files.js';

/** MIME types a browser may show inline from a signed URL; everything else downloads. */
const INLINE = /^(image\/(png|jpeg|gif|webp|avif)|text\/plain|application\/pdf|audio\/[\w.+-]+|video\/[\w.+-]+)$/;

/**
 * Content headers that make a user's file safe to serve from the host's origin: never sniffed,
 * sandboxed (no scripts, no same-origin access even if it is HTML or SVG), downloaded unless its
 * type is one a browser only displays.
 *
 * @example
 * ```ts
 * for (const [k, v] of Object.entries(fileHeaders('image/png', 'a.png', true))) res.setHeader(k, v);
 * ```
 */
export function fileHeaders(
  contentType: string,
  fileName: string | undefined,
  inline: boolean,
): Record<string, string> {
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  const show = inline && INLINE.test(type);
  const name = fileName ?? 'file';
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return {
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'",
    'cross-origin-resource-policy': 'same-origin',
    'cache-control': 'private, no-store',
    'content-disposition': `${show ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`,
  };
}

/**
 * Serves the host's own pre-signed blob URLs (`<public URL>/blobs/<bucket>/<key>?method&expires&sig`)
 * for the file-system store: `GET`/`HEAD` stream the blob, `PUT` stores the request body (at most
 * `WEFT_UPLOAD_LIMIT_BYTES`, else 413 `upload-too-large` without reading on). The
 * signature is the only credential; bodies stream both ways. On S3 the URLs point at the store
 * and this answers 404.
 *
 * @example
 * ```ts
 * app.all('/blobs/{*key}', signedBlobRoute(runtime, logger));
 * ```
 */
export function signedBlobRoute(rt: HostRuntime, logger: Logger) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const method = req.method ?? 'GET';
      // Express strips the app's own mount path; the signer's base URL carries the public one.
      const path = (req.url ?? '/').replace(/^\/blobs(?=\/)/, '');
      const request = new Request(`${rt.blob.signer.baseUrl}${path}`, {
        method,
        headers: req.headers['content-type'] ? { 'content-type': req.headers['content-type'] } : {},
        ...(method === 'PUT'
          ? { body: Readable.toWeb(limitedBody(req, headersOf(req), rt.config.blob.uploadLimitBytes)), duplex: 'half' }
          : {}),
      } as RequestInit);
      const response = await serveSignedBlob(request, {
        signer: rt.blob.signer,
        bucket: (name) => rt.blob.byName(name),
      });
      res.statusCode = response.status;
      response.headers.forEach((v, k) => {
        res.setHeader(k, v);
      });
      if (response.ok && method !== 'PUT') {
        const headers = fileHeaders(response.headers.get('content-type') ?? '', undefined, true);
        headers['content-disposition'] = headers['content-disposition']?.split(';')[0] ?? 'attachment';
        for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      }
      if (!response.body) {
        res.end();
        return;
      }
      await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res);
    } catch (err) {
      const problem = problemIn(err);
      if (problem) {
        // Over the upload limit (or a bad encoding): the rest of the body is not read.
        if (!req.complete && !res.headersSent) closeAfterAnswer(req, res);
        sendProblem(res, problem);
        return;
      }
      logger.error({ err, url: req.url }, 'signed blob request failed');
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end('blob request failed');
      } else res.destroy();
    }
  };
}
