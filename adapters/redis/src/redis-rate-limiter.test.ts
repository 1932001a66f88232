import { describeRateLimiterConformance } from '@weft/testing';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, connect, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

describe.skipIf(redisTarget.skip)(redisTarget.title('RedisRateLimiter'), () => {
  // Two limiters on their own connections under one prefix, as two processes would have.
  describeRateLimiterConformance('redis', async (clock) => {
    const prefix = randomPrefix();
    const clients = [connect(prefix), connect(prefix)];
    const [limiter, peer] = clients.map((redis) => new RedisRateLimiter({ redis, prefix, clock }));
    return { limiter: limiter!, peer: peer!, cleanup: () => cleanup(prefix, clients) };
  });

  describe('on the Redis server clock', () => {
    let prefix: string;
    let redis: Redis;
    beforeEach(() => {
      prefix = randomPrefix();
      redis = connect(prefix);
    });
    afterEach(() => cleanup(prefix, [redis]));

    it('never lets concurrent callers overshoot, and expires each key after two windows', async () => {
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
});
