import { createHash } from 'node:crypto';
import { type Clock, systemClock } from '@weft/engine';

/**
 * Where model answers are cached by normalised prompt and context. The memory implementation is
 * {@link MemoryResponseCache}; Redis and SQL implementations belong in `adapters/redis` and
 * `adapters/sql`.
 *
 * @example
 * ```ts
 * await cache.set(key, JSON.stringify(result), 60 * 60_000);
 * const hit = await cache.get(key);
 * ```
 */
export interface ResponseCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

/**
 * The cache key of a prompt in a context: the prompt lower-cased with its white space collapsed,
 * and the context (model, catalogue, workflow being edited) as canonical JSON, hashed.
 *
 * @example
 * ```ts
 * cacheKey('Post to  Slack', { model: 'm' }) === cacheKey(' post to slack', { model: 'm' }); // true
 * ```
 */
export function cacheKey(prompt: string, context: unknown): string {
  const normalised = prompt.trim().toLowerCase().replace(/\s+/g, ' ');
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, canonical(x)]),
          )
        : v;
  return `ai:${createHash('sha256')
    .update(JSON.stringify([normalised, canonical(context)]))
    .digest('hex')}`;
}

/**
 * An in-process cache with per-entry expiry, read from the given clock.
 *
 * @example
 * ```ts
 * const cache = new MemoryResponseCache();
 * await generateWorkflow(prompt, { catalogue, provider, cache });
 * ```
 */
export class MemoryResponseCache implements ResponseCache {
  readonly #entries = new Map<string, { value: string; expires: number }>();
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  async get(key: string): Promise<string | undefined> {
    const e = this.#entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.#clock.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.#entries.set(key, { value, expires: this.#clock.now() + ttlMs });
  }
}
