import { Readable } from 'node:stream';
import {
  type BinaryOwner,
  type BinaryRef,
  BlobQuotaExceededError,
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

/**
 * Stores the files of an accepted webhook request under the execution about to start and puts
 * their references on the trigger item: multipart file parts as `binary.<field name>` (the
 * fields as `json.body`), a raw file body as `binary.data` (file name from `Content-Disposition`
 * or `X-File-Name`). The bytes never enter the execution's JSON. A workspace over its file quota
 * gets 413 `file-quota-exceeded`; malformed multipart gets 400 `invalid-multipart`.
 *
 * @example
 * ```ts
 * const item = await attachUploadedFiles(rt.files, { workspaceId, executionId }, 'multipart', headers, rawBody, items[0]);
 * ```
 */
export async function attachUploadedFiles(
  files: ExecutionFileStore,
  owner: BinaryOwner,
  kind: 'multipart' | 'file',
  headers: Record<string, string | undefined>,
  rawBody: Uint8Array,
  item: Item,
): Promise<Item> {
  try {
    if (kind === 'file') {
      const mimeType = (headers['content-type'] ?? 'application/octet-stream').split(';')[0]?.trim() as string;
      const fileName = fileNameOf(headers);
      const ref = await putBinary(files, owner, rawBody, { mimeType, ...(fileName ? { fileName } : {}) });
      return { json: { ...item.json, body: null }, binary: { ...item.binary, data: ref } };
    }
    const { fields, binary } = await parseMultipart(files, owner, headers, rawBody);
    return { json: { ...item.json, body: fields }, binary: { ...item.binary, ...binary } };
  } catch (err) {
    if (err instanceof BlobQuotaExceededError) throw new ProblemError(413, 'file-quota-exceeded', err.message);
    throw err;
  }
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
  rawBody: Uint8Array,
): Promise<{ fields: JsonObject; binary: Record<string, BinaryRef> }> {
  return new Promise((resolve, reject) => {
    const fields: JsonObject = {};
    const binary: Record<string, BinaryRef> = {};
    const stored: Promise<void>[] = [];
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      reject(err);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': headers['content-type'] as string },
        limits: { files: MAX_UPLOAD_FILES, fields: 1000, fieldSize: 1024 * 1024, parts: 1000 + MAX_UPLOAD_FILES },
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
    Readable.from([rawBody]).pipe(parser);
  });
}

function uniqueSlot(taken: Record<string, unknown>, name: string): string {
  if (!(name in taken)) return name;
  for (let i = 1; ; i++) if (!(`${name}_${i}` in taken)) return `${name}_${i}`;
}
