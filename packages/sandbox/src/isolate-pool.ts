import { WarmIsolate, type WarmIsolateOptions } from './warm-isolate.js';

/**
 * Pool counters, as `IsolateSandbox.stats()` reports them for metrics.
 *
 * @example
 * ```ts
 * const { size, busy, created, disposed, queued } = sandbox.stats();
 * metrics.gauge('sandbox.busy', busy);
 * ```
 */
export interface IsolatePoolStats {
  /** Live isolates (idle, busy or being prepared). */
  size: number;
  busy: number;
  created: number;
  disposed: number;
  /** Calls waiting for a free isolate. */
  queued: number;
}

interface Waiter {
  memoryMb: number;
  resolve: (warm: WarmIsolate) => void;
  reject: (error: Error) => void;
}

/**
 * At most `size` warm isolates, handed out one call at a time. Isolates are created on demand
 * (or by {@link IsolatePool.warmUp}) and keyed by memory limit, since isolated-vm fixes it when the
 * isolate is created; a call for another limit replaces an idle isolate. Calls queue when every
 * isolate is busy.
 *
 * @example
 * ```ts
 * const pool = new IsolatePool(2, { cacheSize: 100, maxOutputChars: 1e7 });
 * const warm = pool.tryAcquire(64) ?? (await pool.acquire(64));
 * try { ... } finally { pool.release(warm); }
 * ```
 */
export class IsolatePool {
  readonly #idle: WarmIsolate[] = [];
  readonly #live = new Set<WarmIsolate>();
  readonly #waiters: Waiter[] = [];
  #starting = 0;
  /** Replacements being prepared in the background that no call has claimed yet. */
  #unclaimed = 0;
  #created = 0;
  #disposed = 0;
  #closed = false;

  constructor(
    readonly size: number,
    private readonly options: Omit<WarmIsolateOptions, 'memoryMb'>,
  ) {
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(`@weft/sandbox: pool size must be a positive integer, got ${size}`);
    }
  }

  /** An idle isolate with that memory limit, synchronously, or undefined. */
  tryAcquire(memoryMb: number): WarmIsolate | undefined {
    const idle = this.#idle;
    for (let i = idle.length - 1; i >= 0; i--) {
      const warm = idle[i]!;
      if (warm.memoryMb === memoryMb) {
        idle.splice(i, 1);
        return warm;
      }
    }
    return undefined;
  }

  /** An isolate with that memory limit: an idle one, a new one, or the next one released. */
  acquire(memoryMb: number): Promise<WarmIsolate> {
    if (this.#closed) return Promise.reject(new Error('@weft/sandbox: the sandbox is closed'));
    const warm = this.tryAcquire(memoryMb);
    if (warm) return Promise.resolve(warm);
    if (this.#unclaimed > this.#waiters.length) {
      return new Promise((resolve, reject) => this.#waiters.push({ memoryMb, resolve, reject }));
    }
    if (this.#live.size + this.#starting >= this.size && this.#idle.length > 0) {
      this.#dispose(this.#idle.shift()!);
    }
    if (this.#live.size + this.#starting < this.size) return this.#spawn(memoryMb);
    return new Promise((resolve, reject) => this.#waiters.push({ memoryMb, resolve, reject }));
  }

  /** Gives an isolate back after a call. A disposed isolate is dropped and replaced if needed. */
  release(warm: WarmIsolate): void {
    if (warm.disposed || this.#closed) {
      this.discard(warm);
      return;
    }
    const waiter = this.#waiters.shift();
    if (!waiter) {
      this.#idle.push(warm);
    } else if (waiter.memoryMb === warm.memoryMb) {
      waiter.resolve(warm);
    } else {
      this.#dispose(warm);
      this.#spawn(waiter.memoryMb).then(waiter.resolve, waiter.reject);
    }
  }

  /** Disposes an isolate that breached a limit and prepares its replacement in the background. */
  discard(warm: WarmIsolate): void {
    this.#dispose(warm);
    if (this.#closed) return;
    this.#unclaimed++;
    this.#spawn(this.#waiters[0]?.memoryMb ?? warm.memoryMb).then(
      (fresh) => {
        this.#unclaimed--;
        this.release(fresh);
      },
      (error: Error) => {
        this.#unclaimed--;
        this.#waiters.shift()?.reject(error);
      },
    );
  }

  /** Prepares isolates until `count` (at most the pool size) are live. */
  async warmUp(memoryMb: number, count = this.size): Promise<void> {
    const missing = Math.min(count, this.size) - this.#live.size - this.#starting;
    const fresh = await Promise.all(Array.from({ length: Math.max(0, missing) }, () => this.#spawn(memoryMb)));
    for (const warm of fresh) this.release(warm);
  }

  stats(): IsolatePoolStats {
    return {
      size: this.#live.size + this.#starting,
      busy: this.#live.size - this.#idle.length,
      created: this.#created,
      disposed: this.#disposed,
      queued: this.#waiters.length,
    };
  }

  /** Disposes every isolate, busy ones included, and fails queued calls. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error('@weft/sandbox: the sandbox was closed'));
    for (const warm of [...this.#live]) this.#dispose(warm);
    this.#idle.length = 0;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async #spawn(memoryMb: number): Promise<WarmIsolate> {
    this.#starting++;
    let warm: WarmIsolate;
    try {
      warm = await WarmIsolate.create({ ...this.options, memoryMb });
    } finally {
      this.#starting--;
    }
    this.#created++;
    if (this.#closed) {
      warm.dispose();
      this.#disposed++;
      throw new Error('@weft/sandbox: the sandbox was closed');
    }
    this.#live.add(warm);
    return warm;
  }

  #dispose(warm: WarmIsolate): void {
    const index = this.#idle.indexOf(warm);
    if (index >= 0) this.#idle.splice(index, 1);
    if (this.#live.delete(warm)) this.#disposed++;
    warm.dispose();
  }
}
