// How HTTP requests are encoded (URL with query, body with content type) and responses decoded,
// for the connector kit's client (http-client.ts).
import { FormData } from 'undici';
import { safeUrl } from './http-error.js';
import type { HttpRequest } from './http-types.js';

/**
 * The URL of a request with its `query` appended; throws, naming the URL, unless it is an
 * absolute http(s) URL.
 *
 * @example
 * ```ts
 * buildUrl({ url: 'https://api.example.com/items', query: { tag: ['a', 'b'] } }).href; // …/items?tag=a&tag=b
 * ```
 */
export function buildUrl(req: HttpRequest): URL {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new Error(`HTTP request url "${req.url}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`HTTP request url "${safeUrl(req.url)}" must use http or https, not ${url.protocol}`);
  }
  for (const [k, v] of Object.entries(req.query ?? {})) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const x of v) url.searchParams.append(k, String(x));
    else url.searchParams.append(k, String(v));
  }
  return url;
}

/** An encoded request body: bytes with their content type, or multipart form data. */
export type Body = { bytes?: Uint8Array; form?: FormData; contentType?: string };

/**
 * Encodes the one body a request gives (`json`, `form`, `multipart` or raw `body`) with its
 * content type; throws when it gives more than one.
 *
 * @example
 * ```ts
 * encodeBody({ url, json: { a: 1 } }); // { bytes: …, contentType: 'application/json' }
 * ```
 */
export function encodeBody(req: HttpRequest): Body {
  const given = (['body', 'json', 'form', 'multipart'] as const).filter((k) => req[k] !== undefined);
  if (given.length > 1)
    throw new Error(`HTTP request to ${safeUrl(req.url)} has both ${given.join(' and ')}; give one`);
  const enc = new TextEncoder();
  if (req.json !== undefined) return { bytes: enc.encode(JSON.stringify(req.json)), contentType: 'application/json' };
  if (req.form) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(req.form)) params.append(k, String(v));
    return { bytes: enc.encode(params.toString()), contentType: 'application/x-www-form-urlencoded' };
  }
  if (req.multipart) {
    const form = new FormData();
    for (const [k, v] of Object.entries(req.multipart)) {
      if (typeof v === 'string') form.append(k, v);
      else form.append(k, new Blob([v.data], { type: v.contentType ?? 'application/octet-stream' }), v.fileName ?? k);
    }
    return { form };
  }
  if (typeof req.body === 'string') return { bytes: enc.encode(req.body), contentType: 'text/plain; charset=utf-8' };
  if (req.body) return { bytes: req.body, contentType: 'application/octet-stream' };
  return {};
}

/**
 * A response body as the request's `responseType` asks (`auto`: JSON by content type, text for
 * text types, else bytes); `json` throws, naming the URL, on a body that is not JSON.
 *
 * @example
 * ```ts
 * parseBody({ headers: { 'content-type': 'application/json' }, bytes }, 'auto', url); // parsed JSON
 * ```
 */
export function parseBody(
  res: { headers: Record<string, string>; bytes: Uint8Array },
  type: string,
  url: string,
): unknown {
  const contentType = res.headers['content-type'] ?? '';
  if (type === 'bytes') return res.bytes;
  const text = new TextDecoder().decode(res.bytes);
  const looksJson = /[/+]json\b/i.test(contentType);
  if (type === 'json' || (type === 'auto' && looksJson)) {
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text);
    } catch {
      if (type === 'json') throw new Error(`Response from ${safeUrl(url)} is not valid JSON: ${text.slice(0, 100)}`);
      return text;
    }
  }
  if (type === 'text' || /^text\/|xml|x-www-form-urlencoded|javascript/i.test(contentType) || res.bytes.length === 0) {
    return text;
  }
  return res.bytes;
}
