const MARK = '[REDACTED]';
const SECRET_KEY =
  /^(authorization|proxy-authorization|password|passwd|secret|client_?secret|api_?key|x-api-key|access_?token|refresh_?token|token|cookie|set-cookie)$/i;

/**
 * Removes known secret values from text, objects and errors before they reach logs, execution
 * data or error messages. Secrets are matched as given, URL-encoded and base64-encoded; values
 * under keys such as `authorization` or `password` are masked whatever they hold.
 *
 * @example
 * ```ts
 * const redactor = new Redactor(['s3cr3t-token']);
 * redactor.redact('401 for token s3cr3t-token'); // '401 for token [REDACTED]'
 * redactor.redact({ headers: { authorization: 'Basic dXNlcjpwdw==' } }); // { headers: { authorization: '[REDACTED]' } }
 * ```
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  /** First four characters of every secret: a cheap filter before trying whole secrets. */
  readonly #prefixes = new Set<string>();
  /** Distinct secret lengths, longest first, so the longest match wins. */
  #lengths: number[] = [];

  constructor(secrets: Iterable<string> = []) {
    this.add(...secrets);
  }

  /** Registers secret values (values shorter than 4 characters are ignored: too many false hits). */
  add(...secrets: string[]): void {
    for (const s of secrets) {
      if (typeof s !== 'string' || s.length < 4) continue;
      for (const form of [s, encodeURIComponent(s), Buffer.from(s).toString('base64')]) {
        if (this.#secrets.has(form)) continue;
        this.#secrets.add(form);
        this.#prefixes.add(form.slice(0, 4));
        if (!this.#lengths.includes(form.length)) this.#lengths = [...this.#lengths, form.length].sort((x, y) => y - x);
      }
    }
  }

  /** How many secret forms are known. */
  get size(): number {
    return this.#secrets.size;
  }

  /** A copy of `value` with every known secret replaced by `[REDACTED]`. */
  redact<T>(value: T): T {
    return this.#walk(value, new WeakMap()) as T;
  }

  // One pass over the text; at each position a prefix check, then one set look-up per distinct
  // secret length: the cost grows with the text, not with the number of secrets.
  #text(s: string): string {
    if (this.#secrets.size === 0 || s.length < 4) return s;
    let out = '';
    let from = 0;
    for (let i = 0; i + 4 <= s.length; ) {
      let hit = 0;
      if (this.#prefixes.has(s.slice(i, i + 4))) {
        hit = this.#lengths.find((len) => i + len <= s.length && this.#secrets.has(s.slice(i, i + len))) ?? 0;
      }
      if (hit) {
        out += s.slice(from, i) + MARK;
        i += hit;
        from = i;
      } else i++;
    }
    return from === 0 ? s : out + s.slice(from);
  }

  #walk(value: unknown, seen: WeakMap<object, unknown>): unknown {
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
      for (const v of value) out.push(this.#walk(v, seen));
      return out;
    }
    if (ArrayBuffer.isView(value)) return value;
    const out: Record<string, unknown> = {};
    seen.set(value, out);
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && typeof v === 'string' && v !== '' ? MARK : this.#walk(v, seen);
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
export function redact<T>(value: T, secrets: Iterable<string>): T {
  return new Redactor(secrets).redact(value);
}
