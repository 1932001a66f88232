import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, connect, randomPrefix, redisTarget } from './redis.test-support.js';
import { LockWaitTimeoutError, RedisKeyedLock } from './redis-keyed-lock.js';

describe.skipIf(redisTarget.skip)(redisTarget.title('RedisKeyedLock'), () => {
  let prefix: string;
  let redis: Redis;
  let other: Redis;
  beforeEach(() => {
    prefix = randomPrefix();
    redis = connect(prefix);
    other = connect(prefix);
  });
  afterEach(() => cleanup(prefix, [redis, other]));

  it('gives up after maxWaitMs with an error naming the key, and runs nothing', async () => {
    await other.set(`${prefix}:oauth2:c1`, 'someone-else', 'PX', 60_000);
    const lock = new RedisKeyedLock({ redis, prefix, maxWaitMs: 100 });
    let ran = false;
    const err = await lock
      .run('oauth2:c1', async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LockWaitTimeoutError);
    expect((err as Error).message).toBe(
      'Could not take the lock "oauth2:c1" within 100 ms: another process still holds it',
    );
    expect(ran).toBe(false);
    expect(await other.get(`${prefix}:oauth2:c1`)).toBe('someone-else');
  });

  it('takes over once a dead holder’s lease runs out', async () => {
    await other.set(`${prefix}:k`, 'crashed-holder', 'PX', 150);
    const lock = new RedisKeyedLock({ redis, prefix, maxWaitMs: 10_000 });
    expect(await lock.run('k', async () => 'after the lease')).toBe('after the lease');
    expect(await redis.exists(`${prefix}:k`)).toBe(0);
  });

  it('holds a random token with the lease while working, renews it, and never deletes another holder’s lock', async () => {
    const lock = new RedisKeyedLock({ redis, prefix, leaseMs: 5_000 });
    await lock.run('k', async () => {
      const token = await other.get(`${prefix}:k`);
      expect(token).toMatch(/^[0-9a-f]{32}$/);
      expect(await other.pttl(`${prefix}:k`)).toBeGreaterThan(0);
      // The lease is lost and someone else takes the lock: the release must leave theirs alone.
      await other.set(`${prefix}:k`, 'new-holder', 'PX', 60_000);
    });
    expect(await other.get(`${prefix}:k`)).toBe('new-holder');
  });

  it('refuses bad options, naming them', () => {
    expect(() => new RedisKeyedLock({ redis, leaseMs: 0 })).toThrow(
      'RedisKeyedLock: leaseMs must be a positive number of milliseconds, got 0',
    );
    expect(() => new RedisKeyedLock({ redis, maxWaitMs: -1 })).toThrow(
      'RedisKeyedLock: maxWaitMs must be zero or more milliseconds, got -1',
    );
  });
});
