import { type Clock, systemClock } from '@weft/engine';

/**
 * Thrown instead of sending a request while a host's circuit is open.
 *
 * @example
 * ```ts
 * if (err instanceof CircuitOpenError) await clock.sleep(err.retryAt - clock.now());
 * ```
 */
export class CircuitOpenError extends Error {
  constructor(
    readonly host: string,
    readonly retryAt: number,
  ) {
    super(
      `Circuit for ${host} is open after repeated failures; next probe allowed at ${new Date(retryAt).toISOString()}`,
    );
    this.name = 'CircuitOpenError';
  }
}

/**
 * Options of {@link CircuitBreaker}.
 *
 * @example
 * ```ts
 * createHttpClient({ circuitBreaker: { failureThreshold: 5, resetMs: 30_000 } satisfies CircuitBreakerOptions });
 * ```
 */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before one probe request is let through. Default 30 s. */
  resetMs?: number;
  clock?: Clock;
}

type HostState = { failures: number; openedAt?: number; probing: boolean };

/**
 * A circuit breaker per host: after `failureThreshold` consecutive failures the host is cut off
 * for `resetMs`; then one probe is let through (half-open) — success closes the circuit, failure
 * opens it again.
 *
 * @example
 * ```ts
 * const breaker = new CircuitBreaker({ failureThreshold: 3, resetMs: 10_000 });
 * breaker.before('api.example.com'); // throws CircuitOpenError while open
 * breaker.record('api.example.com', false);
 * ```
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #resetMs: number;
  readonly #clock: Clock;
  readonly #hosts = new Map<string, HostState>();

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 5;
    this.#resetMs = options.resetMs ?? 30_000;
    this.#clock = options.clock ?? systemClock;
    if (!(this.#threshold >= 1)) throw new Error('CircuitBreaker: failureThreshold must be at least 1');
  }

  /** `closed`, `open` or `half-open` for a host. */
  state(host: string): 'closed' | 'open' | 'half-open' {
    const s = this.#hosts.get(host);
    if (s?.openedAt === undefined) return 'closed';
    return this.#clock.now() - s.openedAt >= this.#resetMs ? 'half-open' : 'open';
  }

  /** Call before a request: throws {@link CircuitOpenError} when the host is cut off. */
  before(host: string): void {
    const s = this.#hosts.get(host);
    if (s?.openedAt === undefined) return;
    const retryAt = s.openedAt + this.#resetMs;
    if (this.#clock.now() < retryAt || s.probing) throw new CircuitOpenError(host, retryAt);
    s.probing = true;
  }

  /** Call when a request let through by {@link before} ended without a verdict on the host (refused locally, aborted). */
  release(host: string): void {
    const s = this.#hosts.get(host);
    if (s) s.probing = false;
  }

  /** Call after a request with whether it succeeded. */
  record(host: string, ok: boolean): void {
    const s = this.#hosts.get(host) ?? { failures: 0, probing: false };
    if (ok) {
      this.#hosts.delete(host);
      return;
    }
    s.failures++;
    if (s.probing || s.failures >= this.#threshold) s.openedAt = this.#clock.now();
    s.probing = false;
    this.#hosts.set(host, s);
  }
}
