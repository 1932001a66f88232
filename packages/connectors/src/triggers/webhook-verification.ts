import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * An inbound webhook request as the host hands it over: headers lower-cased, body raw.
 *
 * @example
 * ```ts
 * const request: WebhookRequest = { method: 'POST', path: 'orders', headers: { 'content-type': 'application/json' }, query: {}, rawBody };
 * ```
 */
export interface WebhookRequest {
  method: string;
  /** Path after the webhook prefix. */
  path: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string>;
  rawBody: Uint8Array;
}

/**
 * How an inbound webhook proves it is genuine. HMAC signs `signedPayload`, a template over
 * `{timestamp}` and `{body}` (default `{body}`; Slack uses `v0:{timestamp}:{body}`, Stripe-like
 * schemes `{timestamp}.{body}`).
 *
 * @example
 * ```ts
 * const v: WebhookVerification = { type: 'hmac', header: 'x-hub-signature-256', prefix: 'sha256=', secret };
 * ```
 */
export type WebhookVerification =
  | { type: 'none' }
  | { type: 'headerSecret'; header: string; secret: string }
  | {
      type: 'hmac';
      header: string;
      secret: string;
      algorithm?: 'sha1' | 'sha256' | 'sha512';
      encoding?: 'hex' | 'base64';
      /** Prefix before the signature in the header, e.g. `sha256=` (GitHub) or `v0=` (Slack). */
      prefix?: string;
      signedPayload?: string;
      /**
       * Header carrying a Unix timestamp (seconds); requests outside the tolerance are refused. When
       * it is the signature header itself, the timestamp is read from its `t=` part (`t=...,v1=...`).
       */
      timestampHeader?: string;
      /** Default 300 s. */
      toleranceSec?: number;
    }
  | { type: 'basic'; username: string; password: string };

/**
 * The outcome of {@link verifyWebhook}: a status and reason to answer with when refused.
 *
 * @example
 * ```ts
 * const r: VerificationResult = verifyWebhook(v, request);
 * if (!r.ok) return { status: r.status, body: r.reason };
 * ```
 */
export type VerificationResult = { ok: true } | { ok: false; status: 401 | 403; reason: string };

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // Compare equal-length buffers so timing does not reveal the length either.
  const same = timingSafeEqual(x.length === y.length ? x : y, y);
  return same && x.length === y.length;
}

/**
 * Checks an inbound webhook against its verification settings with constant-time comparisons.
 *
 * @example
 * ```ts
 * const result = verifyWebhook(
 *   { type: 'hmac', header: 'x-hub-signature-256', prefix: 'sha256=', secret },
 *   request,
 * );
 * if (!result.ok) return respond(result.status, result.reason);
 * ```
 */
export function verifyWebhook(
  verification: WebhookVerification,
  request: WebhookRequest,
  now: number = Date.now(),
): VerificationResult {
  const header = (name: string) => request.headers[name.toLowerCase()];
  // An empty secret would let anyone sign (HMAC with an empty key) or match: refuse instead.
  const secret =
    verification.type === 'basic' ? verification.password : 'secret' in verification ? verification.secret : 'x';
  if (!secret) return { ok: false, status: 401, reason: 'Webhook verification is configured without a secret' };
  switch (verification.type) {
    case 'none':
      return { ok: true };
    case 'headerSecret': {
      const given = header(verification.header);
      if (given === undefined) return { ok: false, status: 401, reason: `Missing header ${verification.header}` };
      return safeEqual(given, verification.secret)
        ? { ok: true }
        : { ok: false, status: 403, reason: `Header ${verification.header} does not match` };
    }
    case 'basic': {
      const auth = header('authorization') ?? '';
      if (!auth.startsWith('Basic ')) return { ok: false, status: 401, reason: 'Missing basic authorization' };
      const expected = Buffer.from(`${verification.username}:${verification.password}`).toString('base64');
      return safeEqual(auth.slice(6).trim(), expected)
        ? { ok: true }
        : { ok: false, status: 403, reason: 'Wrong username or password' };
    }
    case 'hmac': {
      const given = header(verification.header);
      if (given === undefined)
        return { ok: false, status: 401, reason: `Missing signature header ${verification.header}` };
      let timestamp = '';
      if (verification.timestampHeader) {
        const raw = header(verification.timestampHeader) ?? '';
        const inSignature = verification.timestampHeader.toLowerCase() === verification.header.toLowerCase();
        timestamp = inSignature ? (/(?:^|,)\s*t=(\d+)/.exec(raw)?.[1] ?? '') : raw;
        const ts = Number(timestamp);
        if (!timestamp || !Number.isFinite(ts)) {
          return {
            ok: false,
            status: 401,
            reason: `Missing or invalid timestamp header ${verification.timestampHeader}`,
          };
        }
        const tolerance = verification.toleranceSec ?? 300;
        if (Math.abs(now / 1000 - ts) > tolerance) {
          return { ok: false, status: 403, reason: `Timestamp outside the ${tolerance} s tolerance` };
        }
      }
      const template = verification.signedPayload ?? '{body}';
      const [before, after] = splitOnce(template.replaceAll('{timestamp}', timestamp), '{body}');
      const mac = createHmac(verification.algorithm ?? 'sha256', verification.secret);
      mac.update(before);
      if (after !== undefined) mac.update(request.rawBody).update(after);
      const expected = (verification.prefix ?? '') + mac.digest(verification.encoding ?? 'hex');
      const candidates = given.split(/[, ]+/).filter(Boolean);
      return candidates.some((c) => safeEqual(c, expected))
        ? { ok: true }
        : { ok: false, status: 403, reason: `Signature in ${verification.header} does not match` };
    }
  }
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + sep.length)];
}

/**
 * Signs a payload the way {@link verifyWebhook} checks it: for outbound webhooks and for tests.
 *
 * @example
 * ```ts
 * const sig = signWebhookPayload('secret', body, { timestamp: '1700000000', signedPayload: '{timestamp}.{body}' });
 * ```
 */
export function signWebhookPayload(
  secret: string,
  body: Uint8Array | string,
  options: {
    algorithm?: 'sha1' | 'sha256' | 'sha512';
    encoding?: 'hex' | 'base64';
    timestamp?: string;
    signedPayload?: string;
  } = {},
): string {
  const [before, after] = splitOnce(
    (options.signedPayload ?? '{body}').replaceAll('{timestamp}', options.timestamp ?? ''),
    '{body}',
  );
  const mac = createHmac(options.algorithm ?? 'sha256', secret).update(before);
  if (after !== undefined) mac.update(body).update(after);
  return mac.digest(options.encoding ?? 'hex');
}
