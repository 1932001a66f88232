import { randomUUID } from 'node:crypto';
import { ManualClock, type RateLimiter, type RateLimitResult, type RateLimitRule } from '@weft/engine';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * Creates a limiter for one test that reads "now" from `clock`. `peer` is a second instance
 * sharing its limits, as another process would (on its own connection); a limiter that serves
 * one process returns itself.
 */
export type RateLimiterFactory = (clock: ManualClock) => Promise<{
  limiter: RateLimiter;
  peer: RateLimiter;
  cleanup?: () => Promise<void>;
}>;

/** One call: first move the clock by `after` ms, then consume; `expect` is the whole result, or an error. */
type Step = { after?: number; key?: string; rule: RateLimitRule; expect: Omit<RateLimitResult, 'limit'> | RegExp };

const ok = (remaining: number, resetMs: number) => ({ allowed: true, remaining, resetMs, retryAfterMs: 0 });
const no = (remaining: number, resetMs: number, retryAfterMs: number) => ({
  allowed: false,
  remaining,
  resetMs,
  retryAfterMs,
});
const r3 = { limit: 3, windowMs: 1000 };

/** The results every implementation must reproduce exactly (time starts on a window boundary). */
const table: { name: string; steps: Step[] }[] = [
  {
    name: 'allows `limit` calls, then denies with the exact wait',
    steps: [
      { rule: r3, expect: ok(2, 2000) },
      { rule: r3, expect: ok(1, 2000) },
      { after: 100, rule: r3, expect: ok(0, 1900) },
      // Next window, 334 ms in: previous 3 weighted by 666/1000 = 1.998, so one more fits.
      { rule: r3, expect: no(0, 1900, 1234) },
      { after: 1233, rule: r3, expect: no(0, 667, 1) },
      { after: 1, rule: r3, expect: ok(0, 1666) },
    ],
  },
  {
    name: 'charges the cost, and denies a cost that no longer fits while a smaller one does',
    steps: [
      { rule: { limit: 10, windowMs: 1000, cost: 4 }, expect: ok(6, 2000) },
      { rule: { limit: 10, windowMs: 1000, cost: 4 }, expect: ok(2, 2000) },
      { rule: { limit: 10, windowMs: 1000, cost: 4 }, expect: no(2, 2000, 1250) }, // next window, 250 ms in: 8 * 0.75 + 4 = 10
      { rule: { limit: 10, windowMs: 1000, cost: 2 }, expect: ok(0, 2000) },
      { rule: { limit: 10, windowMs: 1000, cost: 0 }, expect: ok(0, 2000) },
    ],
  },
  {
    name: 'waits within the window while the previous window decays',
    steps: [
      { after: 500, rule: { limit: 4, windowMs: 1000, cost: 4 }, expect: ok(0, 1500) },
      // 200 ms into the next window: previous 4 * 0.8 = 3.2 used; one unit frees up at 250 ms.
      { after: 700, rule: { limit: 4, windowMs: 1000, cost: 1 }, expect: no(0, 800, 50) },
      { after: 50, rule: { limit: 4, windowMs: 1000, cost: 1 }, expect: ok(0, 1750) },
    ],
  },
  {
    name: 'keeps keys apart and starts afresh after two idle windows',
    steps: [
      { key: 'a', rule: { limit: 1, windowMs: 1000 }, expect: ok(0, 2000) },
      { key: 'b', rule: { limit: 1, windowMs: 1000 }, expect: ok(0, 2000) },
      { key: 'a', rule: { limit: 1, windowMs: 1000 }, expect: no(0, 2000, 2000) },
      { after: 2000, key: 'a', rule: { limit: 1, windowMs: 1000 }, expect: ok(0, 2000) },
    ],
  },
  {
    name: 'a cost of 0 peeks without using anything',
    steps: [
      { rule: { limit: 2, windowMs: 60_000, cost: 0 }, expect: ok(2, 0) },
      { rule: { limit: 2, windowMs: 60_000, cost: 0 }, expect: ok(2, 0) },
    ],
  },
  {
    name: 'a different window length for the same key starts a new count',
    steps: [
      { rule: { limit: 1, windowMs: 1000 }, expect: ok(0, 2000) },
      { rule: { limit: 1, windowMs: 2000 }, expect: ok(0, 4000) },
    ],
  },
  {
    name: 'rejects bad rules with errors naming the key',
    steps: [
      {
        key: 'ws:1',
        rule: { limit: 2, windowMs: 1000, cost: 3 },
        expect: /ws:1": cost must be an integer from 0 to limit \(2\), got 3/,
      },
      { rule: { limit: 0, windowMs: 1000 }, expect: /limit must be a positive integer, got 0/ },
      { rule: { limit: 5, windowMs: 1.5 }, expect: /windowMs must be a positive integer/ },
    ],
  },
];

const START = 1_699_999_200_000; // a multiple of 60 s

/**
 * The contract every rate limiter must meet: exactly the sliding-window-counter results of the
 * reference table (allowed, remaining, reset and retry-after, to the millisecond) from the same
 * clock, so implementations are interchangeable; keys are independent; `reset` forgets one key's
 * usage; concurrent callers across instances never get more than the limit; bad rules are refused
 * with an error naming the key.
 *
 * @example
 * ```ts
 * describeRateLimiterConformance('memory', async (clock) => {
 *   const limiter = new MemoryRateLimiter({ clock });
 *   return { limiter, peer: limiter };
 * });
 * ```
 */
export function describeRateLimiterConformance(name: string, factory: RateLimiterFactory): void {
  describe(`RateLimiter conformance: ${name}`, () => {
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await cleanup?.();
      cleanup = undefined;
    });
    const open = async (clock: ManualClock) => {
      const made = await factory(clock);
      cleanup = made.cleanup;
      return made;
    };

    for (const { name: caseName, steps } of table) {
      it(caseName, async () => {
        const clock = new ManualClock(START);
        const { limiter, peer } = await open(clock);
        const prefix = randomUUID();
        for (const [i, step] of steps.entries()) {
          await clock.advance(step.after ?? 0);
          const call = (i % 2 ? peer : limiter).consume(`${prefix}:${step.key ?? 'k'}`, step.rule);
          if (step.expect instanceof RegExp) await expect(call, `step ${i}`).rejects.toThrow(step.expect);
          else expect(await call, `step ${i}`).toEqual({ ...step.expect, limit: step.rule.limit });
        }
      });
    }

    it("forgets one key's usage on reset, and only that key's", async () => {
      const clock = new ManualClock(START);
      const { limiter, peer } = await open(clock);
      const a = `${randomUUID()}:a`;
      const b = `${randomUUID()}:b`;
      const rule = { limit: 2, windowMs: 60_000 };
      for (const key of [a, a, b, b]) expect((await limiter.consume(key, rule)).allowed).toBe(true);
      expect((await peer.consume(a, rule)).allowed).toBe(false);
      await peer.reset(a);
      expect(await limiter.consume(a, rule)).toEqual({
        allowed: true,
        limit: 2,
        remaining: 1,
        resetMs: 120_000,
        retryAfterMs: 0,
      });
      expect((await limiter.consume(b, rule)).allowed).toBe(false);
      await limiter.reset(`${randomUUID()}:never-used`);
    });

    it('never lets concurrent callers across instances get more than the limit', async () => {
      const clock = new ManualClock(START + 30_000);
      const { limiter, peer } = await open(clock);
      const key = `${randomUUID()}:burst`;
      const results = await Promise.all(
        Array.from({ length: 60 }, (_, i) => (i % 2 ? peer : limiter).consume(key, { limit: 25, windowMs: 60_000 })),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(25);
      for (const r of results.filter((r) => !r.allowed)) expect(r).toEqual({ ...no(0, 90_000, 32_400), limit: 25 });
    });
  });
}
