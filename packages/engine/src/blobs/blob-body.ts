import type { BlobBody } from '../ports/blob-store.js';

/**
 * Any {@link BlobBody} as a web `ReadableStream`, pulled chunk by chunk (nothing is read ahead).
 *
 * @example
 * ```ts
 * const stream = blobBodyStream(nodeReadable);
 * ```
 */
export function blobBodyStream(body: BlobBody): ReadableStream<Uint8Array> {
  if (body instanceof ReadableStream) return body;
  if (body instanceof Uint8Array) {
    return new ReadableStream({
      start(controller) {
        if (body.byteLength) controller.enqueue(body);
        controller.close();
      },
    });
  }
  const iterator = body[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(toBytes(next.value));
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

/**
 * Chunks of any {@link BlobBody}, as an async iterable.
 *
 * @example
 * ```ts
 * for await (const chunk of blobBodyChunks(body)) hash.update(chunk);
 * ```
 */
export async function* blobBodyChunks(body: BlobBody): AsyncGenerator<Uint8Array> {
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  if (body instanceof ReadableStream) {
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield toBytes(value);
      }
    } finally {
      reader.releaseLock();
    }
  }
  for await (const chunk of body as AsyncIterable<Uint8Array>) yield toBytes(chunk);
}

/**
 * Reads a whole {@link BlobBody} into one buffer. Only for bodies known to be small.
 *
 * @example
 * ```ts
 * const bytes = await readBlobBody(object.body);
 * ```
 */
export async function readBlobBody(body: BlobBody): Promise<Uint8Array> {
  if (body instanceof Uint8Array) return body;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of blobBodyChunks(body)) {
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * Lower-case hex SHA-256 of bytes held in memory, through Web Crypto (Node and browsers).
 *
 * @example
 * ```ts
 * await sha256Hex(new TextEncoder().encode('abc')); // 'ba7816bf…'
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
  throw new TypeError(`Blob body chunks must be bytes (Uint8Array), got ${typeof chunk}`);
}
