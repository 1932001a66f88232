/**
 * What a redacted value is replaced with.
 *
 * @example
 * ```ts
 * new Redactor(['abcd1234']).redact('key=abcd1234') === `key=${REDACTED}`; // true
 * ```
 */
export const REDACTED = '[REDACTED]';

const MIN_LENGTH = 4;
/** Up to this many secret forms, `indexOf` per form beats the hashed scan. */
const FEW_FORMS = 16;
const SECRET_KEY =
  /^(authorization|proxy-authorization|password|passwd|secret|client_?secret|api_?key|x-api-key|access_?token|refresh_?token|token|cookie|set-cookie)$/i;

/**
 * Options of {@link Redactor.redact}.
 *
 * @example
 * ```ts
 * redactor.redact(items, { keys: false } satisfies RedactOptions); // only known secret values
 * ```
 */
export interface RedactOptions {
  /**
   * Also mask every non-empty string under a credential-like key (`authorization`, `password`,
   * `token`, `cookie`, ...), whatever it holds. Default true: right for logs and errors. Execution
   * data passes `false`: a workflow may legitimately carry a token it obtained (a login step's
   * `access_token` used by the next node); only the credential's own secrets must go.
   */
  keys?: boolean;
}

// The ways a secret shows up in text: as given, URL-encoded (path and form style), base64 (basic
// auth, tokens in JSON bodies) and JSON-escaped (inside a serialised log line).
function formsOf(secret: string): string[] {
  const forms = [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams([['', secret]]).toString().slice(1),
    Buffer.from(secret).toString('base64'),
    JSON.stringify(secret).slice(1, -1),
  ];
  return forms.filter((f, i) => f.length >= MIN_LENGTH && forms.indexOf(f) === i);
}

/**
 * Removes known secret values from text, objects and errors before they reach logs, execution
 * data or error messages. Secrets are matched as given, URL-encoded, base64-encoded and
 * JSON-escaped; values under keys such as `authorization` or `password` are masked whatever they
 * hold (unless `keys: false`). When nothing needs redacting the input itself is returned — no
 * copy — so callers on a hot path pay one scan and no allocation.
 *
 * @example
 * ```ts
 * const redactor = new Redactor(['s3cr3t-token']);
 * redactor.redact('401 for token s3cr3t-token'); // '401 for token [REDACTED]'
 * redactor.redact({ headers: { authorization: 'Basic dXNlcjpwdw==' } }); // { headers: { authorization: '[REDACTED]' } }
 * const clean = { a: 1 };
 * redactor.redact(clean) === clean; // true: nothing to redact, same object
 * ```
 */
export class Redactor {
  readonly #forms = new Set<string>();
  /** Every form, longest first: searched with `indexOf` while there are few. */
  #sorted: string[] = [];
  /** Distinct form lengths, longest first, so the longest match wins. */
  #lengths: number[] = [];
  /** A bit set of hashed 4-character prefixes: a cheap filter before trying whole forms. */
  #filter = new Uint32Array(32);
  #shift = 22;
  #hitLength = 0;

  constructor(secrets: Iterable<string> = []) {
    this.add(...secrets);
  }

  /** Registers secret values (values shorter than 4 characters are ignored: too many false hits). */
  add(...secrets: string[]): void {
    for (const s of secrets) {
      if (typeof s !== 'string' || s.length < MIN_LENGTH) continue;
      for (const form of formsOf(s)) {
        if (this.#forms.has(form)) continue;
        this.#forms.add(form);
        if (this.#forms.size <= FEW_FORMS) this.#sorted = [...this.#forms].sort((a, b) => b.length - a.length);
        if (!this.#lengths.includes(form.length)) this.#lengths = [...this.#lengths, form.length].sort((x, y) => y - x);
        // Keep the filter at >= 32 bits per form (about 3% false positives); grow by doubling.
        if (this.#forms.size > this.#filter.length) this.#rebuildFilter();
        else this.#mark(form);
      }
    }
  }

  /** How many secret forms are known. */
  get size(): number {
    return this.#forms.size;
  }

  /** `value` with every known secret replaced by `[REDACTED]`: a copy, or `value` itself when nothing matched. */
  redact<T>(value: T, options: RedactOptions = {}): T {
    const keys = options.keys ?? true;
    if (!keys && this.#forms.size === 0) return value;
    if (typeof value === 'string') return this.#text(value) as T;
    if (!this.#needs(value, keys, new Set())) return value;
    return this.#walk(value, keys, new WeakMap()) as T;
  }

  // c0*31^3 + c1*31^2 + c2*31 + c3 in 32-bit arithmetic, so #next can roll it along the text.
  #prefixHash(s: string, p: number): number {
    let h = 0;
    for (let i = p; i < p + MIN_LENGTH; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return h;
  }

  #mark(form: string) {
    const bit = Math.imul(this.#prefixHash(form, 0), 0x9e3779b1) >>> this.#shift;
    this.#filter[bit >>> 5]! |= 1 << (bit & 31);
  }

  #rebuildFilter() {
    const words = this.#filter.length * 2;
    this.#filter = new Uint32Array(words);
    this.#shift = 32 - Math.log2(words * 32);
    for (const f of this.#forms) this.#mark(f);
  }

  // Index of the next secret at or after `from` (its length in #hitLength), or -1.
  #next(s: string, from: number): number {
    if (this.#forms.size <= FEW_FORMS) {
      let best = -1;
      for (const f of this.#sorted) {
        const i = s.indexOf(f, from);
        if (i >= 0 && (best < 0 || i < best)) {
          best = i;
          this.#hitLength = f.length;
        }
      }
      return best;
    }
    // One pass over the text with a rolling hash of the 4 characters at each position: a bit test,
    // and only on a hit one set look-up per distinct secret length. The cost grows with the text,
    // not with the number of secrets.
    const end = s.length - MIN_LENGTH;
    if (from > end) return -1;
    let h = this.#prefixHash(s, from);
    for (let p = from; ; p++) {
      const bit = Math.imul(h, 0x9e3779b1) >>> this.#shift;
      if ((this.#filter[bit >>> 5]! & (1 << (bit & 31))) !== 0) {
        for (const len of this.#lengths) {
          if (p + len <= s.length && this.#forms.has(s.slice(p, p + len))) {
            this.#hitLength = len;
            return p;
          }
        }
      }
      if (p === end) return -1;
      h = (Math.imul(h - Math.imul(s.charCodeAt(p), 29_791), 31) + s.charCodeAt(p + MIN_LENGTH)) | 0;
    }
  }

  #text(s: string): string {
    if (this.#forms.size === 0 || s.length < MIN_LENGTH) return s;
    let out = '';
    let from = 0;
    for (let at = this.#next(s, 0); at >= 0; at = this.#next(s, from)) {
      out += s.slice(from, at) + REDACTED;
      from = at + this.#hitLength;
    }
    return from === 0 ? s : out + s.slice(from);
  }

  #maskedKey(keys: boolean, k: string, v: unknown): boolean {
    return keys && typeof v === 'string' && v !== '' && v !== REDACTED && SECRET_KEY.test(k);
  }

  // Whether anything under `value` would change: decided without copying anything.
  #needs(value: unknown, keys: boolean, seen: Set<object>): boolean {
    if (typeof value === 'string')
      return value.length >= MIN_LENGTH && this.#forms.size > 0 && this.#next(value, 0) >= 0;
    if (value === null || typeof value !== 'object' || seen.has(value) || ArrayBuffer.isView(value)) return false;
    seen.add(value);
    if (value instanceof Error) return this.#needs(value.message, keys, seen) || this.#needs(value.stack, keys, seen);
    if (Array.isArray(value)) return value.some((v) => this.#needs(v, keys, seen));
    for (const k in value) {
      const v = (value as Record<string, unknown>)[k];
      if (this.#maskedKey(keys, k, v) || this.#needs(v, keys, seen)) return true;
    }
    return false;
  }

  #walk(value: unknown, keys: boolean, seen: WeakMap<object, unknown>): unknown {
    if (typeof value === 'string') return this.#text(value);
    if (value === null || typeof value !== 'object') return value;
    if (seen.has(value)) return seen.get(value);
    if (value instanceof Error) {
      const copy = new Error(this.#text(value.message));
      copy.name = value.name;
      copy.stack = value.stack && this.#text(value.stack);
      seen.set(value, copy);
      return copy;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      for (const v of value) out.push(this.#walk(v, keys, seen));
      return out;
    }
    if (ArrayBuffer.isView(value)) return value;
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [k, v] of Object.entries(value)) {
      out[k] = this.#maskedKey(keys, k, v) ? REDACTED : this.#walk(v, keys, seen);
    }
    return out;
  }
}

/**
 * One-off redaction with a list of secrets.
 *
 * @example
 * ```ts
 * redact('key=abcd1234', ['abcd1234']); // 'key=[REDACTED]'
 * ```
 */
export function redact<T>(value: T, secrets: Iterable<string>, options?: RedactOptions): T {
  return new Redactor(secrets).redact(value, options);
}
