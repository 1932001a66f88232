/**
 * An HTTP response with an error status. `body` is the parsed body (or text), kept so connectors
 * can surface the API's own error message.
 *
 * @example
 * ```ts
 * try { await http.request({ url }); } catch (e) { if (e instanceof HttpError && e.status === 404) ... }
 * ```
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly url: string,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    const detail =
      typeof body === 'string' ? body : body instanceof Uint8Array ? `${body.byteLength} bytes` : JSON.stringify(body);
    super(`${method} ${safeUrl(url)} failed with HTTP ${status}${detail ? `: ${detail.slice(0, 300)}` : ''}`);
    this.name = 'HttpError';
  }
}

/**
 * Thrown when a response body is larger than the client's limit.
 *
 * @example
 * ```ts
 * if (err instanceof ResponseTooLargeError) throw new Error(`File larger than ${err.limit} bytes`);
 * ```
 */
export class ResponseTooLargeError extends Error {
  constructor(
    readonly url: string,
    readonly limit: number,
  ) {
    super(`Response from ${safeUrl(url)} exceeds the limit of ${limit} bytes; raise maxResponseBytes to accept it`);
    this.name = 'ResponseTooLargeError';
  }
}

/**
 * Thrown when a request takes longer than its timeout.
 *
 * @example
 * ```ts
 * if (err instanceof HttpTimeoutError) log.warn({ ms: err.timeoutMs }, 'slow API');
 * ```
 */
export class HttpTimeoutError extends Error {
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`Request to ${safeUrl(url)} timed out after ${timeoutMs} ms`);
    this.name = 'HttpTimeoutError';
  }
}

/**
 * The URL without its query string and credentials, for messages.
 *
 * @example
 * ```ts
 * safeUrl('https://user:pw@api.example.com/x?key=secret'); // 'https://api.example.com/x'
 * ```
 */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return url.split('?')[0] ?? url;
  }
}
