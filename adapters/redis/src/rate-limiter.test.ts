import { ManualClock } from '@weft/engine';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from './memory-rate-limiter.js';
import type { RateLimiter, RateLimitResult, RateLimitRule } from './rate-limiter.js';
import { cleanup, connect, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

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

/** The table both implementations must reproduce exactly (time starts on a window boundary). */
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
        expect: /"ws:1": cost must be an integer from 0 to limit/,
      },
      { rule: { limit: 0, windowMs: 1000 }, expect: /limit must be a positive integer, got 0/ },
      { rule: { limit: 5, windowMs: 1.5 }, expect: /windowMs must be a positive integer/ },
    ],
  },
];

const start = 1_699_999_200_000; // a multiple of 60 s

function describeTable(name: string, make: (clock: ManualClock) => Promise<RateLimiter>) {
  describe(name, () => {
    for (const { name: caseName, steps } of table) {
      it(caseName, async () => {
        const clock = new ManualClock(start);
        const limiter = await make(clock);
        for (const [i, step] of steps.entries()) {
          await clock.advance(step.after ?? 0);
          const call = limiter.consume(step.key ?? 'k', step.rule);
          if (step.expect instanceof RegExp) await expect(call, `step ${i}`).rejects.toThrow(step.expect);
          else expect(await call, `step ${i}`).toEqual({ ...step.expect, limit: step.rule.limit });
        }
      });
    }
  });
}

describeTable('MemoryRateLimiter', async (clock) => new MemoryRateLimiter({ clock }));

describe('MemoryRateLimiter housekeeping', () => {
  it('sweeps keys idle for two windows once many keys are tracked', async () => {
    const clock = new ManualClock(start);
    const limiter = new MemoryRateLimiter({ clock });
    for (let i = 0; i < 1000; i++) await limiter.consume(`old${i}`, { limit: 1, windowMs: 1000 });
    await clock.advance(2000);
    for (let i = 0; i < 30; i++) await limiter.consume(`new${i}`, { limit: 1, windowMs: 1000 });
    expect(limiter.size).toBe(30);
  });
});

describe.skipIf(redisTarget.skip)(redisTarget.title('RedisRateLimiter'), () => {
  let prefix: string;
  let redis: Redis;
  beforeEach(() => {
    prefix = randomPrefix();
    redis = connect(prefix);
  });
  afterEach(() => cleanup(prefix, [redis]));

  describeTable(
    'same table as memory',
    async (clock) => new RedisRateLimiter({ redis, prefix: randomPrefix().replace('weft-test', prefix), clock }),
  );

  it('never lets concurrent callers overshoot (server clock)', async () => {
    const limiter = new RedisRateLimiter({ redis, prefix: `${prefix}:c` });
    const results = await Promise.all(
      Array.from({ length: 60 }, () => limiter.consume('burst', { limit: 25, windowMs: 60_000 })),
    );
    expect(results.filter((r) => r.allowed)).toHaveLength(25);
    const denied = results.find((r) => !r.allowed);
    expect(denied?.retryAfterMs).toBeGreaterThan(0);
    expect(await redis.pttl(`${prefix}:c:burst`)).toBeGreaterThan(60_000);
    await limiter.reset('burst');
    expect((await limiter.consume('burst', { limit: 25, windowMs: 60_000 })).remaining).toBe(24);
  });
});
