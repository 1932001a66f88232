import { randomUUID } from 'node:crypto';
import type { KeyedLock } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { delay } from './fixtures.js';

/**
 * Creates a lock for one test. `peer` is a second instance sharing its lock space, as another
 * process would (on its own connection); a lock that serves one process returns itself. Give the
 * lock a short lease, if it has one, so the suite's long work outlasts it (it must be renewed).
 */
export type KeyedLockFactory = () => Promise<{
  lock: KeyedLock;
  peer: KeyedLock;
  cleanup?: () => Promise<void>;
}>;

/**
 * The contract every keyed lock must meet: work under one key never overlaps, across instances
 * (counted, not timed); different keys do not wait for each other; the work's value is returned
 * and its error rejects `run` unchanged, releasing the lock either way; work that outlasts the
 * lock's lease is still not entered twice.
 *
 * @example
 * ```ts
 * describeKeyedLockConformance('memory', async () => {
 *   const lock = new MemoryKeyedLock();
 *   return { lock, peer: lock };
 * });
 * ```
 */
export function describeKeyedLockConformance(
  name: string,
  factory: KeyedLockFactory,
  options: { longWorkMs?: number } = {},
): void {
  describe(`KeyedLock conformance: ${name}`, () => {
    let lock: KeyedLock;
    let peer: KeyedLock;
    let cleanup: (() => Promise<void>) | undefined;
    const key = () => `oauth2:ws1\u0000${randomUUID()}`;
    beforeEach(async () => {
      ({ lock, peer, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    // Runs `n` pieces of work on one key from both instances, counting how many hold it at once.
    async function contend(k: string, n: number, holdMs: number) {
      let holders = 0;
      let most = 0;
      const order: number[] = [];
      await Promise.all(
        Array.from({ length: n }, (_, i) =>
          (i % 2 ? peer : lock).run(k, async () => {
            holders++;
            most = Math.max(most, holders);
            await delay(holdMs);
            order.push(i);
            holders--;
            return i;
          }),
        ),
      );
      return { most, order };
    }

    it('never lets two holders of one key overlap, across instances', async () => {
      const { most, order } = await contend(key(), 8, 5);
      expect(most).toBe(1);
      expect(order.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    });

    it("returns the work's value, and rejects with the work's own error, releasing the lock", async () => {
      const k = key();
      expect(await lock.run(k, async () => ({ token: 'at-1' }))).toEqual({ token: 'at-1' });
      const mine = new Error('refresh failed: invalid_grant');
      await expect(
        lock.run(k, async () => {
          throw mine;
        }),
      ).rejects.toBe(mine);
      expect(await peer.run(k, async () => 'taken after the failure')).toBe('taken after the failure');
      await expect(
        peer.run(k, async () => {
          throw new TypeError('bad data');
        }),
      ).rejects.toThrow(TypeError);
      expect(await lock.run(k, async () => 'and again')).toBe('and again');
    });

    it('keeps different keys independent', async () => {
      const a = key();
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let entered!: () => void;
      const inside = new Promise<void>((r) => {
        entered = r;
      });
      const first = lock.run(a, async () => {
        entered();
        await held;
        return 'a';
      });
      await inside;
      // While `a` is held, another key is taken at once by both instances.
      expect(await peer.run(key(), async () => 'b')).toBe('b');
      expect(await lock.run(key(), async () => 'c')).toBe('c');
      release();
      expect(await first).toBe('a');
    });

    it('does not let work that outlasts the lease be entered twice', async () => {
      const { most } = await contend(key(), 3, options.longWorkMs ?? 1500);
      expect(most).toBe(1);
    }, 30_000);

    it('takes keys with any characters', async () => {
      for (const k of ['ws/wf:node', 'ünïcødé 🔒', 'a'.repeat(500), "quote ' and % and _"]) {
        expect(await lock.run(`${k}:${randomUUID()}`, async () => k)).toBe(k);
      }
    });
  });
}
