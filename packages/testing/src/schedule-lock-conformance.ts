import { randomUUID } from 'node:crypto';
import type { ScheduleLock } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { delay } from './fixtures.js';

/**
 * Creates a lock for one test. `peers` are further instances sharing its lock space, as other
 * processes would (each on its own connection); a lock that serves one process returns itself.
 */
export type ScheduleLockFactory = () => Promise<{
  lock: ScheduleLock;
  peers: ScheduleLock[];
  cleanup?: () => Promise<void>;
}>;

/**
 * The contract every schedule lock must meet: of any number of concurrent acquirers of a key
 * (across instances) exactly one wins; other keys are independent; once the lease has expired a
 * new acquirer wins; a bad lease length is refused.
 *
 * @example
 * ```ts
 * describeScheduleLockConformance('memory', async () => {
 *   const lock = new MemoryScheduleLock();
 *   return { lock, peers: [lock] };
 * });
 * ```
 */
export function describeScheduleLockConformance(name: string, factory: ScheduleLockFactory): void {
  describe(`ScheduleLock conformance: ${name}`, () => {
    let lock: ScheduleLock;
    let peers: ScheduleLock[];
    let cleanup: (() => Promise<void>) | undefined;
    const key = () => `schedule:${randomUUID()}:1700000000000`;
    beforeEach(async () => {
      ({ lock, peers, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('lets exactly one of many concurrent acquirers win, across instances', async () => {
      for (let round = 0; round < 5; round++) {
        const k = key();
        const all = [lock, ...peers];
        const results = await Promise.all(
          Array.from({ length: 12 }, (_, i) => all[i % all.length]!.acquire(k, 60_000)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      }
    });

    it('keeps a key taken while its lease lasts, and keys apart', async () => {
      const a = key();
      const b = key();
      expect(await lock.acquire(a, 60_000)).toBe(true);
      expect(await lock.acquire(a, 60_000)).toBe(false);
      for (const peer of peers) expect(await peer.acquire(a, 60_000)).toBe(false);
      expect(await (peers[0] ?? lock).acquire(b, 60_000)).toBe(true);
      expect(await lock.acquire(`${a}:other`, 60_000)).toBe(true);
    });

    it('lets a new acquirer win once the lease has expired', async () => {
      const k = key();
      expect(await lock.acquire(k, 30)).toBe(true);
      await delay(150);
      const all = [lock, ...peers];
      const results = await Promise.all(all.map((l) => l.acquire(k, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('takes keys with any characters', async () => {
      for (const k of ['ws/wf/node:tick', 'ünïcødé 🔒', 'a'.repeat(300), "quote ' and % and _"]) {
        expect(await lock.acquire(`${k}:${randomUUID()}`, 60_000)).toBe(true);
      }
    });

    it('refuses a lease that is not a positive number of milliseconds', async () => {
      for (const ttl of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
        await expect(lock.acquire(key(), ttl)).rejects.toThrow(/lease|ttl/i);
      }
    });
  });
}
