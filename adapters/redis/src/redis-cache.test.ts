import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, connect, delay, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisCache } from './redis-cache.js';

describe.skipIf(redisTarget.skip)(redisTarget.title('RedisCache'), () => {
  let prefix: string;
  let redis: Redis;
  let cache: RedisCache;
  let extra: Redis[] = [];
  beforeEach(() => {
    extra = [];
    prefix = randomPrefix();
    redis = connect(prefix);
    cache = new RedisCache({ redis, prefix, ttlMs: 60_000 });
  });
  afterEach(() => cleanup(prefix, [redis, ...extra]));

  it('stores JSON values with a TTL and deletes them', async () => {
    expect(await cache.get('g', 'k')).toBeUndefined();
    await cache.set('g', 'k', { n: 1, list: ['a', null] });
    expect(await cache.get('g', 'k')).toEqual({ n: 1, list: ['a', null] });
    expect(await redis.pttl(`${prefix}:{g}:0:k`)).toBeGreaterThan(59_000);
    await cache.set('g', 'short', 'x', { ttlMs: 40 });
    await delay(80);
    expect(await cache.get('g', 'short')).toBeUndefined();
    expect(await cache.delete('g', 'k')).toBe(true);
    expect(await cache.delete('g', 'k')).toBe(false);
    expect(await cache.get('g', 'k')).toBeUndefined();
  });

  it('invalidates a whole group, for every instance, and leaves other groups alone', async () => {
    const otherClient = connect(prefix);
    extra.push(otherClient);
    const other = new RedisCache({ redis: otherClient, prefix });
    await cache.set('wf1', 'latest', 1);
    await cache.set('wf1', 'v1', 1);
    await cache.set('wf2', 'latest', 2);
    expect(await other.get('wf1', 'v1')).toBe(1);
    await other.invalidate('wf1');
    expect(await cache.get('wf1', 'latest')).toBeUndefined();
    expect(await cache.get('wf1', 'v1')).toBeUndefined();
    expect(await cache.get('wf2', 'latest')).toBe(2);
  });

  it('loads once per miss, shares concurrent loads, and does not cache undefined', async () => {
    let loads = 0;
    const load = async () => {
      loads++;
      await delay(20);
      return { loaded: loads };
    };
    const results = await Promise.all([1, 2, 3].map(() => cache.getOrLoad('g', 'k', load)));
    expect(results).toEqual([{ loaded: 1 }, { loaded: 1 }, { loaded: 1 }]);
    expect(await cache.getOrLoad('g', 'k', load)).toEqual({ loaded: 1 });
    expect(loads).toBe(1);
    let misses = 0;
    const nothing = async () => {
      misses++;
      return undefined;
    };
    await cache.getOrLoad('g', 'missing', nothing);
    await cache.getOrLoad('g', 'missing', nothing);
    expect(misses).toBe(2);
  });

  it('never serves a value loaded before a concurrent invalidation', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const slow = cache.getOrLoad('g', 'k', async () => {
      await gate;
      return 'old';
    });
    await delay(10);
    await cache.invalidate('g');
    release();
    expect(await slow).toBe('old'); // the caller that started before gets what it loaded
    expect(await cache.get('g', 'k')).toBeUndefined(); // but it was written under the old generation
    expect(await cache.getOrLoad('g', 'k', async () => 'new')).toBe('new');
  });

  it('rejects bad TTLs and groups with braces, naming them', async () => {
    expect(() => new RedisCache({ redis, ttlMs: 0 })).toThrow(/RedisCache options: ttlMs must be a positive integer/);
    await expect(cache.set('g', 'k', 1, { ttlMs: 1.5 })).rejects.toThrow(/entry "k" of group "g": ttlMs/);
    await expect(cache.get('a{b}', 'k')).rejects.toThrow(/must not contain braces/);
  });
});
