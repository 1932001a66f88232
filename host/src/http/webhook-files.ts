import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import {
  type BinaryOwner,
  type BinaryRef,
  BlobQuotaExceededError,
  binaryPrefix,
  type Item,
  type JsonObject,
  putBinary,
} from '@weft/engine';
import busboy from 'busboy';
import type { ExecutionFileStore } from '../runtime/execution-file-store.js';
import { ProblemError } from './problem.js';

/** Most files one multipart webhook request may carry. */
export const MAX_UPLOAD_FILES = 20;

/**
 * Whether a webhook body is a file upload: `multipart/form-data`, or a body of a type the trigger
 * would otherwise keep as base64 in the execution (anything but JSON, URL-encoded forms, text and
 * XML). Cheap enough for every request: JSON webhooks answer false on the first test.
 *
 * @example
 * ```ts
 * uploadKind('multipart/form-data; boundary=x'); // 'multipart'
 * uploadKind('application/json'); // undefined
 * ```
 */
export function uploadKind(contentType: string | undefined): 'multipart' | 'file' | undefined {
  // JSON webhooks, the hot path, answer on the first test without a copy or a regular expression.
  if (!contentType || contentType.startsWith('application/json')) return undefined;
  const type = contentType.toLowerCase();
  if (/[/+]json\b/.test(type)) return undefined;
  if (type.startsWith('multipart/form-data')) return 'multipart';
  if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('text/') || type.includes('xml')) {
    return undefined;
  }
  return 'file';
}

/** Where an upload's bytes come from: the request itself (streamed) or a body already read. */
export type UploadSource = Readable | Uint8Array;

const INFLATE: Record<string, () => Transform> = {
  gzip: () => createGunzip(),
  'x-gzip': () => createGunzip(),
  deflate: () => createInflate(),
  br: () => createBrotliDecompress(),
};

/** The 413 answer to an upload over the limit; names the limit and the setting. */
export function uploadTooLarge(limit: number): ProblemError {
  return new ProblemError(
    413,
    'upload-too-large',
    `The upload is larger than the limit of ${limit} bytes (WEFT_UPLOAD_LIMIT_BYTES); nothing was stored`,
  );
}

/**
 * Counts the bytes flowing through and fails with {@link uploadTooLarge} on the chunk that crosses
 * `limit`, so a pipe from the request stops reading there: the body is never held whole.
 */
class ByteLimit extends Transform {
  #seen = 0;
  constructor(readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.limit) done(uploadTooLarge(this.limit));
    else done(null, chunk);
  }
}

/**
 * The request body as a stream of at most `limit` decoded bytes (gzip, deflate and br inflated;
 * other encodings 415). Over the limit the stream fails with 413 `upload-too-large` and the
 * request is unpiped and paused: nothing more is read from the socket.
 *
 * @example
 * ```ts
 * await bucket.put(key, limitedBody(req, headersOf(req), config.blob.uploadLimitBytes));
 * ```
 */
export function limitedBody(
  source: UploadSource,
  headers: Record<string, string | undefined>,
  limit: number,
): Readable {
  if (source instanceof Uint8Array) {
    if (source.byteLength > limit) throw uploadTooLarge(limit);
    return Readable.from([source]);
  }
  const declared = Number(headers['content-length'] ?? Number.NaN);
  if (declared > limit) throw uploadTooLarge(limit);
  const encoding = (headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const counter = new ByteLimit(limit);
  const stop = () => {
    source.unpipe();
    source.pause();
  };
  // Ended, failed or destroyed by the parser: the request is read no further.
  counter.once('close', stop);
  if (encoding === 'identity') return source.pipe(counter);
  const inflate = INFLATE[encoding];
  if (!inflate) {
    throw new ProblemError(415, 'unsupported-encoding', `Content-Encoding "${encoding}" is not supported`, {
      errors: [{ in: 'header', path: 'content-encoding', message: 'Use gzip, deflate, br or identity' }],
    });
  }
  const inflater = inflate();
  inflater.once('error', (err) => {
    stop();
    counter.destroy(new ProblemError(400, 'invalid-body', `The upload cannot be inflated: ${err.message}`));
  });
  // Counted after inflating: a small compressed body cannot unpack past the limit.
  return source.pipe(inflater).pipe(counter);
}

/**
 * Stores the files of an accepted webhook request under the execution about to start and puts
 * their references on the trigger item: multipart file parts as `binary.<field name>` (the
 * fields as `json.body`), a raw file body as `binary.data` (file name from `Content-Disposition`
 * or `X-File-Name`). The bytes stream from the request to the blob store and never enter the
 * execution's JSON nor sit whole in memory. More than `limit` bytes (`WEFT_UPLOAD_LIMIT_BYTES`)
 * stops reading at once and answers 413 `upload-too-large`, with the files stored so far deleted;
 * a workspace over its file quota gets 413 `file-quota-exceeded`; malformed multipart gets 400
 * `invalid-multipart`.
 *
 * @example
 * ```ts
 * const item = await attachUploadedFiles(rt.files, { workspaceId, executionId }, 'multipart', headers, req, items[0], 100 * 2 ** 20);
 * ```
 */
export async function attachUploadedFiles(
  files: ExecutionFileStore,
  owner: BinaryOwner,
  kind: 'multipart' | 'file',
  headers: Record<string, string | undefined>,
  body: UploadSource,
  item: Item,
  limit: number,
): Promise<Item> {
  try {
    const source = limitedBody(body, headers, limit);
    if (kind === 'file') {
      const mimeType = (headers['content-type'] ?? 'application/octet-stream').split(';')[0]?.trim() as string;
      const fileName = fileNameOf(headers);
      const ref = await putBinary(files, owner, source, { mimeType, ...(fileName ? { fileName } : {}) });
      return { json: { ...item.json, body: null }, binary: { ...item.binary, data: ref } };
    }
    const { fields, binary } = await parseMultipart(files, owner, headers, source, limit);
    return { json: { ...item.json, body: fields }, binary: { ...item.binary, ...binary } };
  } catch (err) {
    await files.deletePrefix(binaryPrefix(owner)).catch(() => 0);
    if (err instanceof BlobQuotaExceededError) throw new ProblemError(413, 'file-quota-exceeded', err.message);
    if (err instanceof ProblemError) throw err;
    throw problemIn(err) ?? err;
  }
}

/** How long a refused upload's connection stays open, unread, so the client reads the answer. */
const LINGER_MS = 2_000;

/**
 * For an answer sent before the request body was read (an upload over the limit, an unknown
 * path): the answer says `Connection: close`, the body is not read on, and the connection is
 * half-closed after the answer and closed `LINGER_MS` later. Closing at once would reset a
 * connection the client is still writing to, and many clients then report the reset instead of
 * the 413; in the meantime the kernel's buffers fill and the client waits.
 *
 * @example
 * ```ts
 * if (!req.complete) closeAfterAnswer(req, res);
 * ```
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  res.setHeader('connection', 'close');
  // Node ends a `Connection: close` response with destroySoon(): end, then destroy once written.
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  };
}

/** The {@link ProblemError} an error is or was caused by (streams wrap their destroy reasons). */
export function problemIn(err: unknown): ProblemError | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ProblemError) return e;
  }
  return undefined;
}

function fileNameOf(headers: Record<string, string | undefined>): string | undefined {
  const disposition = headers['content-disposition'] ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {}
  }
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? headers['x-file-name'];
}

function parseMultipart(
  files: ExecutionFileStore,
  owner: BinaryOwner,
  headers: Record<string, string | undefined>,
  source: Readable,
  limit: number,
): Promise<{ fields: JsonObject; binary: Record<string, BinaryRef> }> {
  return new Promise((resolve, reject) => {
    const fields: JsonObject = {};
    const binary: Record<string, BinaryRef> = {};
    const stored: Promise<void>[] = [];
    let failed = false;
    const streams = new Set<Readable>();
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      source.destroy();
      // Stops the files being written; answers once they settled, so the caller's clean-up sees them.
      for (const s of streams) s.destroy(err instanceof Error ? err : new Error(String(err)));
      void Promise.allSettled(stored).then(() => reject(err));
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': headers['content-type'] as string },
        limits: {
          files: MAX_UPLOAD_FILES,
          fileSize: limit,
          fields: 1000,
          fieldSize: 1024 * 1024,
          parts: 1000 + MAX_UPLOAD_FILES,
        },
        defParamCharset: 'utf8',
      });
    } catch (err) {
      reject(new ProblemError(400, 'invalid-multipart', `Multipart body cannot be read: ${(err as Error).message}`));
      return;
    }
    parser.on('field', (name, value) => {
      const prev = fields[name];
      fields[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    });
    parser.on('file', (name, stream, info) => {
      streams.add(stream);
      stream.once('close', () => streams.delete(stream));
      stream.once('limit', () => stream.destroy(uploadTooLarge(limit)));
      const slot = uniqueSlot(binary, name || 'file');
      binary[slot] = undefined as unknown as BinaryRef;
      stored.push(
        putBinary(files, owner, stream, {
          mimeType: info.mimeType || 'application/octet-stream',
          ...(info.filename ? { fileName: info.filename } : {}),
        }).then((ref) => {
          binary[slot] = ref;
        }, fail),
      );
    });
    parser.on('filesLimit', () =>
      fail(new ProblemError(413, 'too-many-files', `A webhook request may carry at most ${MAX_UPLOAD_FILES} files`)),
    );
    parser.on('error', (err: Error) =>
      fail(new ProblemError(400, 'invalid-multipart', `Multipart body cannot be read: ${err.message}`)),
    );
    parser.on('close', () => {
      void Promise.all(stored).then(() => {
        if (!failed) resolve({ fields, binary });
      }, fail);
    });
    source.once('error', fail);
    source.pipe(parser);
  });
}

function uniqueSlot(taken: Record<string, unknown>, name: string): string {
  if (!(name in taken)) return name;
  for (let i = 1; ; i++) if (!(`${name}_${i}` in taken)) return `${name}_${i}`;
}
