import type { RedisClient } from './redis-client.js';

/** One pending `waitForJobs` call. */
export interface Waiter {
  promise: Promise<void>;
  /** Resolves the wait now. */
  wake(): void;
  /** Resolves the wait after `ms` unless it resolves earlier. */
  wakeAfter(ms: number): void;
}

/**
 * The wake-up side of {@link RedisQueue.waitForJobs}: one subscriber connection per queue
 * (a duplicate of the client, made on first use) on the queue's wake channel. A message carries
 * the delay in ms before the new job is due; a reconnect wakes everyone, since messages sent
 * while the connection was down are lost.
 *
 * @example
 * ```ts
 * const channel = new WakeChannel(redis, 'weft:{jobs}:wake');
 * const waiter = channel.wait(1000);
 * await channel.ready();
 * await waiter.promise; // a message arrived, or 1 s passed
 * ```
 */
export class WakeChannel {
  readonly #redis: RedisClient;
  readonly #channel: string;
  readonly #waiters = new Set<Waiter>();
  #subscriber: RedisClient | undefined;
  #subscribed: Promise<void> | undefined;

  constructor(redis: RedisClient, channel: string) {
    this.#redis = redis;
    this.#channel = channel;
  }

  /** Resolves once the subscription is active (subscribing on first call). */
  ready(): Promise<void> {
    if (!this.#subscribed) {
      const subscriber = this.#redis.duplicate();
      this.#subscriber = subscriber;
      let readyCount = 0;
      subscriber.on('ready', () => {
        if (++readyCount > 1) this.#wakeAll();
      });
      subscriber.on('error', () => {
        // ioredis reconnects on its own; waiters time out meanwhile. Without a listener Node would throw.
      });
      subscriber.on('message', (channel: string, message: string) => {
        if (channel !== this.#channel) return;
        const delay = Number(message);
        if (!(delay > 0)) this.#wakeAll();
        else for (const w of this.#waiters) w.wakeAfter(delay);
      });
      this.#subscribed = subscriber.subscribe(this.#channel).then(() => undefined);
    }
    return this.#subscribed;
  }

  /** Registers a waiter that resolves on the next wake-up, on `signal` abort, or after `timeoutMs`. */
  wait(timeoutMs: number, signal?: AbortSignal): Waiter {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    let early: ReturnType<typeof setTimeout> | undefined;
    let earlyAt = Number.POSITIVE_INFINITY;
    const done = () => {
      clearTimeout(timer);
      clearTimeout(early);
      signal?.removeEventListener('abort', done);
      this.#waiters.delete(waiter);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, timeoutMs));
    const waiter: Waiter = {
      promise,
      wake: done,
      wakeAfter: (ms) => {
        const at = Date.now() + Math.max(0, ms);
        if (at >= earlyAt || ms >= timeoutMs) return;
        clearTimeout(early);
        earlyAt = at;
        early = setTimeout(done, Math.max(0, ms));
      },
    };
    this.#waiters.add(waiter);
    signal?.addEventListener('abort', done, { once: true });
    return waiter;
  }

  /** Wakes every waiter and disconnects the subscriber. */
  async close(): Promise<void> {
    this.#wakeAll();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    this.#subscribed = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  #wakeAll() {
    for (const w of [...this.#waiters]) w.wake();
  }
}
