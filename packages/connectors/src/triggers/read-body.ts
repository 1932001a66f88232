/**
 * Thrown by {@link readBody} when a request body is larger than allowed.
 *
 * @example
 * ```ts
 * if (err instanceof BodyTooLargeError) res.writeHead(err.status, { connection: 'close' }).end();
 * ```
 */
export class BodyTooLargeError extends Error {
  readonly status = 413;
  constructor(readonly limit: number) {
    super(`Request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a request body (a Node `IncomingMessage`, a web stream or any async iterable of bytes)
 * up to `limit` bytes, failing as soon as the limit is passed — before the rest is buffered (a
 * declared `content-length` over the limit fails before reading). The host then answers 413 with
 * `connection: close`, and hands `rawBody` to `acceptWebhook` / `handleTriggerWebhook` otherwise.
 *
 * @example
 * ```ts
 * app.post('/webhook/{*path}', async (req, res) => {
 *   const rawBody = await readBody(req, 1024 * 1024, req.headers['content-length']); // BodyTooLargeError -> 413
 *   const result = acceptWebhook(endpoint, { method: req.method, path, headers: req.headers, query, rawBody });
 * });
 * ```
 */
export async function readBody(
  source: AsyncIterable<Uint8Array | string>,
  limit: number,
  declaredLength?: string | number,
): Promise<Uint8Array> {
  if (declaredLength !== undefined && Number(declaredLength) > limit) {
    throw new BodyTooLargeError(limit);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    total += bytes.byteLength;
    if (total > limit) {
      throw new BodyTooLargeError(limit);
    }
    chunks.push(bytes);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
