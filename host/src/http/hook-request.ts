import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { ProblemError } from './problem.js';

/**
 * The webhook path of a request URL (after `/hooks/`, without the query), each segment
 * percent-decoded as Express decodes route parameters.
 *
 * @example
 * ```ts
 * hookPath('/hooks/shop/new%20order?x=1'); // 'shop/new order'
 * ```
 */
export function hookPath(url: string): string {
  const q = url.indexOf('?');
  const raw = (q < 0 ? url : url.slice(0, q)).replace(/^\/hooks\/?/, '');
  try {
    return raw.includes('%') ? raw.split('/').map(decodeURIComponent).join('/') : raw;
  } catch {
    throw new ProblemError(400, 'invalid-uri', `Malformed URL: ${url.slice(0, 200)} is not valid percent-encoding`, {
      errors: [{ in: 'params', path: 'path', message: 'Malformed percent-encoding' }],
    });
  }
}

/** Query parameters (first value of each name). */
export function queryOf(url: string): Record<string, string> {
  const i = url.indexOf('?');
  const out: Record<string, string> = {};
  if (i < 0) return out;
  for (const [k, v] of new URLSearchParams(url.slice(i + 1))) if (!(k in out)) out[k] = v;
  return out;
}

/** Request headers as single strings (repeated ones joined with `, `). */
export function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

const EMPTY = new Uint8Array();

const INFLATE: Record<string, () => Transform> = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  deflate: () => createInflate(),
  br: () => createBrotliDecompress(),
};

/**
 * Reads a request body as raw bytes (inflating gzip, deflate and br), refusing more than `limit`
 * bytes with a 413 problem (early when `Content-Length` already says so), another encoding with a
 * 415 and an aborted or corrupt upload with a 400.
 *
 * @example
 * ```ts
 * const body = await readBody(req, 1024 * 1024);
 * ```
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  const tooLarge = () =>
    new ProblemError(413, 'body-too-large', `Request body is larger than the limit of ${limit} bytes`);
  if (declared > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  if (declared === 0) return Promise.resolve(EMPTY);
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let source: Readable = req;
  if (encoding !== 'identity') {
    const inflate = INFLATE[encoding];
    if (!inflate) {
      req.resume();
      return Promise.reject(
        new ProblemError(415, 'unsupported-encoding', `Content-Encoding "${encoding}" is not supported`, {
          errors: [{ in: 'header', path: 'content-encoding', message: 'Use gzip, deflate, br or identity' }],
        }),
      );
    }
    source = req.pipe(inflate());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    source.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        // Drain the rest so the connection can carry the answer (and the next request).
        if (source !== req) {
          req.unpipe(source as Transform);
          source.destroy();
        }
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    source.once('end', () => {
      if (!failed) resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
    req.once('aborted', () => {
      if (failed) return;
      failed = true;
      reject(new ProblemError(400, 'request-aborted', 'The client aborted the request'));
    });
    source.once('error', (err) => {
      if (failed) return;
      failed = true;
      reject(new ProblemError(400, 'request-aborted', `The request body could not be read: ${err.message}`));
    });
  });
}
