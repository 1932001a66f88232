import type { Item, JsonObject, JsonValue } from '@weft/engine';
import type { HandlerResponse } from '../auth/oauth2-handlers.js';
import type { WebhookResponseMode } from '../kit/define-trigger.js';
import { REDACTED, redact } from '../vault/redactor.js';
import { verifyWebhook, type WebhookRequest, type WebhookVerification } from './webhook-verification.js';

/**
 * The settings of one webhook endpoint (from a webhook trigger node's parameters).
 *
 * @example
 * ```ts
 * acceptWebhook({ methods: ['POST'], maxBodyBytes: 65_536, verification: { type: 'basic', username: 'u', password: 'p' } }, request);
 * ```
 */
export interface WebhookEndpoint {
  /** Accepted methods, upper-case. Default `['POST']`. */
  methods?: readonly string[];
  verification?: WebhookVerification;
  /** Largest accepted body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Put the raw body (base64) on the item as `rawBody`. */
  rawBody?: boolean;
  responseMode?: WebhookResponseMode;
}

/**
 * The outcome of {@link acceptWebhook}: items to start an execution with (and, rarely, a response
 * to send instead of the mode's one, e.g. a handshake), or the refusal to send.
 *
 * @example
 * ```ts
 * const r: WebhookAcceptance = acceptWebhook(endpoint, request);
 * if (r.accepted) await engine.execute(workflow, { input: r.items });
 * ```
 */
export type WebhookAcceptance =
  | { accepted: true; items: Item[]; response?: HandlerResponse }
  | { accepted: false; response: HandlerResponse };

const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

// What a caller proves itself with: never stored in the trigger item.
function secretsOf(v: WebhookVerification): string[] {
  if (v.type === 'none') return [];
  if (v.type === 'basic') return [v.password, `${v.username}:${v.password}`];
  return [v.secret];
}

const refuse = (status: number, message: string): WebhookAcceptance => ({
  accepted: false,
  response: {
    status,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ error: message }),
  },
});

/**
 * Parses a request body by content type: JSON, URL-encoded form, text; anything else as base64.
 * Throws an error naming the problem when JSON is malformed.
 *
 * @example
 * ```ts
 * parseWebhookBody('application/json', new TextEncoder().encode('{"a":1}')); // { a: 1 }
 * ```
 */
export function parseWebhookBody(contentType: string | undefined, raw: Uint8Array): JsonValue {
  if (raw.byteLength === 0) return null;
  const type = (contentType ?? '').toLowerCase();
  const text = () => new TextDecoder().decode(raw);
  if (/[/+]json\b/.test(type)) {
    try {
      return JSON.parse(text()) as JsonValue;
    } catch (err) {
      throw new Error(`Request body is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const out: JsonObject = {};
    for (const [k, v] of new URLSearchParams(text())) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
  if (type.startsWith('text/') || type.includes('xml') || type === '') return text();
  return Buffer.from(raw).toString('base64');
}

/**
 * Checks an inbound webhook request — method, size, verification — and turns it into the
 * trigger's item: `{ method, path, headers, query, body }`, plus `rawBody` (base64) when asked.
 * The item is what executions store and show, so `authorization`, `proxy-authorization`,
 * `cookie` and the verification's own header (header secret, HMAC signature) read `[REDACTED]`,
 * and the verification secret is redacted wherever else a caller put it (query, body, other
 * headers); `rawBody` stays byte-exact for downstream signature checks. Framework-neutral: the
 * host hands over the request and sends back `response` on refusal.
 *
 * @example
 * ```ts
 * const result = acceptWebhook({ methods: ['POST'], verification: { type: 'headerSecret', header: 'x-token', secret } }, request);
 * if (!result.accepted) return send(result.response);
 * const execution = await engine.execute(workflow, { input: { main: result.items } });
 * ```
 */
export function acceptWebhook(
  endpoint: WebhookEndpoint,
  request: WebhookRequest,
  now: number = Date.now(),
): WebhookAcceptance {
  const methods = (endpoint.methods ?? ['POST']).map((m) => m.toUpperCase());
  if (!methods.includes(request.method.toUpperCase())) {
    return refuse(405, `Method ${request.method} not allowed; use ${methods.join(', ')}`);
  }
  const limit = endpoint.maxBodyBytes ?? 1024 * 1024;
  if (request.rawBody.byteLength > limit)
    return refuse(413, `Body of ${request.rawBody.byteLength} bytes exceeds ${limit}`);
  const verification = endpoint.verification ?? { type: 'none' };
  const verdict = verifyWebhook(verification, request, now);
  if (!verdict.ok) return refuse(verdict.status, verdict.reason);
  let body: JsonValue;
  try {
    body = parseWebhookBody(request.headers['content-type'], request.rawBody);
  } catch (err) {
    return refuse(400, (err as Error).message);
  }
  const proofHeader = 'header' in verification ? verification.header.toLowerCase() : undefined;
  const headers: JsonObject = {};
  for (const [k, v] of Object.entries(request.headers)) {
    if (v !== undefined) headers[k] = CREDENTIAL_HEADERS.has(k) || k === proofHeader ? REDACTED : v;
  }
  let json: JsonObject = {
    method: request.method.toUpperCase(),
    path: request.path,
    headers,
    query: request.query,
    body,
  };
  const secrets = secretsOf(verification);
  if (secrets.length) json = redact(json, secrets, { keys: false });
  if (endpoint.rawBody) json.rawBody = Buffer.from(request.rawBody).toString('base64');
  return { accepted: true, items: [{ json }] };
}

/**
 * The HTTP response for a webhook once its execution is queued or done, per response mode:
 * `immediately` answers 202 with the execution id; `lastNode` answers the last node's items
 * (one item as an object, several as an array). For `respondNode` use `respondToWebhookResponse`.
 *
 * @example
 * ```ts
 * send(webhookResponse('immediately', { executionId }));
 * ```
 */
export function webhookResponse(
  mode: Exclude<WebhookResponseMode, 'respondNode'>,
  result: { executionId: string; output?: Item[] },
): HandlerResponse {
  if (mode === 'immediately') {
    return {
      status: 202,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ executionId: result.executionId }),
    };
  }
  const items = (result.output ?? []).map((i) => i.json);
  const body = items.length === 1 ? items[0] : items;
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
