import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type Clock, systemClock } from '@weft/engine';
import { Agent, type FormData, fetch } from 'undici';
import { AddressPolicy, BlockedAddressError } from './address-policy.js';
import { backoffDelay, parseRetryAfter } from './backoff.js';
import { CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.js';
import { HttpError, HttpTimeoutError, ResponseTooLargeError, safeUrl } from './http-error.js';
import { type Body, buildUrl, encodeBody, parseBody } from './http-message.js';
import type {
  HttpClient,
  HttpRequest,
  HttpResponse,
  PreparedRequest,
  RequestSigner,
  RetryOptions,
} from './http-types.js';
import { type OutboundRateLimit, waitForRateLimit } from './outbound-rate-limit.js';
import { startOutboundSpan } from './outbound-span.js';

/**
 * Options of {@link createHttpClient}.
 *
 * @example
 * ```ts
 * const options: HttpClientOptions = { timeoutMs: 10_000, maxResponseBytes: 5_000_000, retry: { attempts: 3 } };
 * ```
 */
export interface HttpClientOptions {
  /** CIDR ranges, IP addresses or host names that may be reached although the policy blocks them. */
  allow?: readonly string[];
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  /** Default 10 MiB. */
  maxResponseBytes?: number;
  /** Default 5. */
  maxRedirects?: number;
  retry?: RetryOptions;
  /** A shared breaker, or options for a new one. */
  circuitBreaker?: CircuitBreaker | CircuitBreakerOptions;
  /** Applied per signer key (credential) or per request's `rateLimitKey`: over the limit, a request waits. */
  rateLimit?: OutboundRateLimit;
  clock?: Clock;
  /** DNS resolution, replaceable in tests. Default: the system resolver (all addresses). */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
  userAgent?: string;
  /** Randomness for jitter, replaceable in tests. */
  random?: () => number;
}

// An error thrown by a request's onChunk: the caller's own, passed through untouched.
class ChunkHandlerError extends Error {
  constructor(readonly original: unknown) {
    super('onChunk failed');
  }
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);
const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const NO_BODY_STATUS = new Set([204, 205, 304]);

/**
 * Creates the safe outbound HTTP client. Every connection goes to an address checked after DNS
 * resolution and pinned for the connection (so DNS rebinding cannot swap it), and every redirect
 * is checked again; private, loopback, link-local, CGNAT, multicast and cloud-metadata addresses
 * are refused unless `allow` names them. Adds timeouts, a streamed response-size limit, retries
 * with jittered backoff honouring `Retry-After`, per-credential rate limits and a circuit breaker
 * per host.
 *
 * @example
 * ```ts
 * const http = createHttpClient({ timeoutMs: 10_000, retry: { attempts: 3 } });
 * const res = await http.request<{ login: string }>({ url: 'https://api.github.com/user' });
 * // tests against a local server must allow loopback explicitly:
 * const local = createHttpClient({ allow: ['127.0.0.1/32'] });
 * ```
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const policy = new AddressPolicy({ allow: options.allow ?? [] });
  const clock = options.clock ?? systemClock;
  const breaker =
    options.circuitBreaker instanceof CircuitBreaker
      ? options.circuitBreaker
      : new CircuitBreaker({ clock, ...options.circuitBreaker });
  const resolve = options.resolve ?? ((host: string) => dnsLookup(host, { all: true, verbatim: true }));
  const dispatcher = new Agent({
    connect: {
      lookup: (hostname: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) => {
        safeResolve(hostname, resolve, policy).then(
          (addresses) => {
            const first = addresses[0]!;
            if (opts?.all) cb(null, addresses);
            else cb(null, first.address, first.family);
          },
          (err) => cb(err),
        );
      },
    } as Record<string, unknown>,
  });
  const base = { options, policy, clock, breaker, dispatcher };
  return makeClient(base, undefined);
}

async function safeResolve(
  hostname: string,
  resolve: (h: string) => Promise<LookupAddress[]>,
  policy: AddressPolicy,
): Promise<LookupAddress[]> {
  const addresses = await resolve(hostname);
  const allowed = addresses.filter((a) => policy.check(hostname, a.address) === undefined);
  if (allowed.length === 0) {
    const first = addresses[0];
    if (!first) throw new Error(`DNS lookup for ${hostname} returned no addresses`);
    throw new BlockedAddressError(hostname, first.address, policy.check(hostname, first.address) ?? 'blocked');
  }
  return allowed;
}

interface Base {
  options: HttpClientOptions;
  policy: AddressPolicy;
  clock: Clock;
  breaker: CircuitBreaker;
  dispatcher: Agent;
}

function makeClient(base: Base, signer: RequestSigner | undefined): HttpClient {
  return {
    request: (req) => send(base, signer, req),
    withSigner: (s) => makeClient(base, s),
  };
}

async function send<T>(base: Base, signer: RequestSigner | undefined, req: HttpRequest): Promise<HttpResponse<T>> {
  const { options, clock, breaker } = base;
  const method = (req.method ?? 'GET').toUpperCase();
  const url = buildUrl(req);
  const body = encodeBody(req);
  const retry = req.retry === false ? { attempts: 1 } : { ...options.retry, ...req.retry };
  const attempts = Math.max(1, retry.attempts ?? 3);
  const rateKey = req.rateLimitKey ?? signer?.key;
  let refreshed = false;
  const streaming = { started: false };
  for (let attempt = 1; ; attempt++) {
    const prepared: PreparedRequest = {
      method,
      url: new URL(url),
      headers: new Headers(req.headers),
      bodyBytes: body.bytes,
    };
    if (body.contentType && !prepared.headers.has('content-type'))
      prepared.headers.set('content-type', body.contentType);
    if (!prepared.headers.has('user-agent')) prepared.headers.set('user-agent', options.userAgent ?? 'weft-connectors');
    await signer?.sign(prepared);
    const host = prepared.url.host;
    if (rateKey && options.rateLimit) await waitForRateLimit(options.rateLimit, rateKey, clock, req.signal);
    breaker.before(host);
    let res: Awaited<ReturnType<typeof readResponse>>;
    try {
      res = await exchange(base, prepared, body, req, streaming);
    } catch (err) {
      if (err instanceof ChunkHandlerError) {
        breaker.release(host);
        throw err.original;
      }
      const network =
        !(err instanceof BlockedAddressError || err instanceof ResponseTooLargeError) && !req.signal?.aborted;
      if (network) breaker.record(host, false);
      else breaker.release(host);
      if (network && attempt < attempts && IDEMPOTENT.has(method) && !streaming.started) {
        await clock.sleep(
          backoffDelay(attempt - 1, retry.baseMs ?? 250, retry.capMs ?? 10_000, options.random),
          req.signal,
        );
        continue;
      }
      throw err;
    }
    breaker.record(host, res.status < 500);
    if (res.status === 401 && signer?.onUnauthorized && !refreshed) {
      refreshed = true;
      if (await signer.onUnauthorized()) {
        attempt--;
        continue;
      }
    }
    const retryable =
      RETRY_STATUS.has(res.status) && (IDEMPOTENT.has(method) || res.status === 429 || res.status === 503);
    if (retryable && attempt < attempts) {
      const after = parseRetryAfter(res.headers['retry-after'], clock.now());
      if (after === undefined || after <= (retry.maxRetryAfterMs ?? 60_000)) {
        const delay = after ?? backoffDelay(attempt - 1, retry.baseMs ?? 250, retry.capMs ?? 10_000, options.random);
        await clock.sleep(delay, req.signal);
        continue;
      }
    }
    if (res.streamed) return { ...res, ok: true, body: undefined as T, attempts: attempt };
    // Error bodies are parsed for their message even when the caller wanted bytes.
    const type = res.status >= 400 && req.responseType === 'bytes' ? 'auto' : (req.responseType ?? 'auto');
    const parsed = parseBody(res, type, prepared.url.href);
    if (res.status >= 400 && req.throwHttpErrors !== false) {
      throw new HttpError(res.status, method, res.url, parsed, res.headers);
    }
    return { ...res, ok: res.status < 400, body: parsed as T, attempts: attempt };
  }
}

async function exchange(
  base: Base,
  prepared: PreparedRequest,
  body: Body,
  req: HttpRequest,
  streaming: { started: boolean },
) {
  const { options, policy } = base;
  const maxRedirects = req.followRedirects === false ? 0 : (options.maxRedirects ?? 5);
  let { method } = prepared;
  let url = prepared.url;
  const headers = new Headers(prepared.headers);
  let payload: Uint8Array | FormData | undefined = body.form ?? body.bytes;
  for (let hop = 0; ; hop++) {
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const hostReason = policy.checkHost(hostname);
    if (hostReason) throw new BlockedAddressError(hostname, hostname, hostReason);
    if (isIP(hostname)) policy.assert(hostname, hostname);
    const res = await readResponse(base, method, url, headers, payload, req, streaming);
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && location && hop < maxRedirects && req.followRedirects !== false) {
      const next = new URL(location, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:') {
        throw new Error(`Redirect from ${safeUrl(url.href)} to unsupported protocol ${next.protocol}`);
      }
      if (next.origin !== url.origin) {
        headers.delete('authorization');
        headers.delete('cookie');
      }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        payload = undefined;
        headers.delete('content-type');
      }
      url = next;
      continue;
    }
    return res;
  }
}

async function readResponse(
  base: Base,
  method: string,
  url: URL,
  headers: Headers,
  payload: Uint8Array | FormData | undefined,
  req: HttpRequest,
  streaming: { started: boolean },
) {
  const timeoutMs = req.timeoutMs ?? base.options.timeoutMs ?? 30_000;
  const limit = req.maxResponseBytes ?? base.options.maxResponseBytes ?? 10 * 1024 * 1024;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new HttpTimeoutError(url.href, timeoutMs)), timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, controller.signal]) : controller.signal;
  const sent = Object.fromEntries(headers);
  const span = startOutboundSpan(method, url, sent, req.traceContext);
  try {
    const res = await fetch(url, {
      method,
      headers: sent,
      body: payload,
      redirect: 'manual',
      signal,
      dispatcher: base.dispatcher,
    }).catch((err: unknown) => {
      throw unwrapFetchError(err, signal);
    });
    const resHeaders: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      resHeaders[k] = v;
    });
    const declared = Number(res.headers.get('content-length') ?? Number.NaN);
    if (declared > limit) {
      controller.abort();
      throw new ResponseTooLargeError(url.href, limit);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    const onChunk = res.status >= 200 && res.status < 300 ? req.onChunk : undefined;
    if (res.body && method !== 'HEAD' && !NO_BODY_STATUS.has(res.status)) {
      const reader = res.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          total += value.byteLength;
          if (total > limit) {
            await reader.cancel().catch(() => {});
            controller.abort();
            throw new ResponseTooLargeError(url.href, limit);
          }
          if (!onChunk) {
            chunks.push(value);
            continue;
          }
          streaming.started = true;
          try {
            await onChunk(value);
          } catch (err) {
            await reader.cancel().catch(() => {});
            controller.abort();
            throw new ChunkHandlerError(err);
          }
        }
      } catch (err) {
        throw unwrapFetchError(err, signal);
      }
    }
    span?.end(res.status);
    if (onChunk) {
      const empty = new Uint8Array(0);
      return {
        status: res.status,
        statusText: res.statusText,
        url: url.href,
        headers: resHeaders,
        bytes: empty,
        streamed: true,
      };
    }
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.byteLength;
    }
    return {
      status: res.status,
      statusText: res.statusText,
      url: url.href,
      headers: resHeaders,
      bytes,
      streamed: false,
    };
  } catch (err) {
    span?.fail(err);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

function unwrapFetchError(err: unknown, signal: AbortSignal): unknown {
  if (err instanceof ChunkHandlerError) return err;
  if (signal.aborted && signal.reason instanceof Error && !(err instanceof ResponseTooLargeError)) return signal.reason;
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) {
    if (e instanceof BlockedAddressError) return e;
    e = e.cause;
  }
  return e instanceof BlockedAddressError ? e : err;
}
