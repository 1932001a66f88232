import type { Context } from '@opentelemetry/api';
/**
 * A value allowed in a query string; arrays repeat the key.
 *
 * @example
 * ```ts
 * const query: Record<string, QueryValue> = { page: 2, tag: ['a', 'b'], skip: undefined };
 * ```
 */
export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/**
 * One part of a multipart body: text, or a file.
 *
 * @example
 * ```ts
 * const file: MultipartPart = { data: bytes, fileName: 'report.pdf', contentType: 'application/pdf' };
 * ```
 */
export type MultipartPart = string | { data: Uint8Array | string; fileName?: string; contentType?: string };

/**
 * Retry settings; attempts count the first try.
 *
 * @example
 * ```ts
 * await http.request({ url, retry: { attempts: 5, baseMs: 500 } satisfies RetryOptions });
 * ```
 */
export interface RetryOptions {
  /** Total tries, including the first. Default 3. */
  attempts?: number;
  /** First backoff delay, doubled each retry, with full jitter. Default 250 ms. */
  baseMs?: number;
  /** Largest backoff delay. Default 10 s. */
  capMs?: number;
  /** Largest `Retry-After` honoured; longer waits fail instead. Default 60 s. */
  maxRetryAfterMs?: number;
}

/**
 * One outbound request. Give at most one of `body`, `json`, `form` and `multipart`.
 *
 * @example
 * ```ts
 * const req: HttpRequest = { method: 'POST', url: 'https://api.example.com/items', json: { name: 'x' } };
 * ```
 */
export interface HttpRequest {
  method?: string;
  url: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  json?: unknown;
  form?: Record<string, string | number | boolean>;
  multipart?: Record<string, MultipartPart>;
  /** `auto` (default) parses JSON when the content type says so, text for text types, else bytes. */
  responseType?: 'auto' | 'json' | 'text' | 'bytes';
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** `false` disables retries for this request. */
  retry?: RetryOptions | false;
  /** Default true: a status >= 400 throws HttpError. */
  throwHttpErrors?: boolean;
  /** Default true. */
  followRedirects?: boolean;
  signal?: AbortSignal;
  /** Rate-limit key for this request; by default the credential's. */
  rateLimitKey?: string;
  /**
   * The OpenTelemetry context the request's client span is a child of (a node's span: connector
   * contexts set it from `NodeContext.trace`); default: the active context.
   */
  traceContext?: Context;
  /**
   * Streams a successful (2xx) response body: called with each chunk as it arrives and awaited
   * before the next is read. The body is then not kept (`bytes` is empty, `body` undefined); error
   * responses are still read whole for their message. The timeout, size limit and signal apply to
   * the whole stream, and a request whose body started streaming is never retried. An error thrown
   * here stops the stream and rejects the request with that error.
   *
   * @example
   * ```ts
   * await http.request({ url, method: 'POST', json, onChunk: (bytes) => parser.push(bytes) });
   * ```
   */
  onChunk?: (chunk: Uint8Array) => void | Promise<void>;
}

/**
 * A request after the body is encoded, as signers see it; signers may change url and headers.
 *
 * @example
 * ```ts
 * sign: (r: PreparedRequest) => r.headers.set('x-signature', hmac(r.bodyBytes))
 * ```
 */
export interface PreparedRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The encoded body, for signatures over it (undefined for multipart and empty bodies). */
  bodyBytes: Uint8Array | undefined;
}

/**
 * Applies a credential to requests. `onUnauthorized` is called once when a response is 401; return
 * true to retry the request (e.g. after refreshing an OAuth2 token).
 *
 * @example
 * ```ts
 * const signer: RequestSigner = { key: 'cred:1', sign: (r) => r.headers.set('authorization', 'Bearer t') };
 * ```
 */
export interface RequestSigner {
  /** Rate-limit key (usually the credential id). */
  key?: string;
  sign(request: PreparedRequest): void | Promise<void>;
  onUnauthorized?(): Promise<boolean>;
}

/**
 * A response with its body read (within the size limit).
 *
 * @example
 * ```ts
 * const res: HttpResponse<{ id: string }> = await http.request({ url });
 * res.status; res.headers['content-type']; res.body.id;
 * ```
 */
export interface HttpResponse<T = unknown> {
  status: number;
  statusText: string;
  ok: boolean;
  url: string;
  headers: Record<string, string>;
  /** Parsed per `responseType`. */
  body: T;
  /** The raw bytes. */
  bytes: Uint8Array;
  /** Attempts made, including the first. */
  attempts: number;
}

/**
 * The safe outbound HTTP client every connector uses. See `createHttpClient`.
 *
 * @example
 * ```ts
 * const res = await http.request<{ id: string }>({ url: 'https://api.example.com/me' });
 * res.body.id;
 * ```
 */
export interface HttpClient {
  request<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
  /** The same client with a signer applied to every request. */
  withSigner(signer: RequestSigner): HttpClient;
}
