import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, connect, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisRealtimeCounters } from './redis-realtime-counters.js';

describe.skipIf(redisTarget.skip)(redisTarget.title('RedisRealtimeCounters'), () => {
  const prefix = randomPrefix();
  const a = connect(prefix);
  const b = connect(prefix);
  afterEach(async () => cleanup(prefix, [a, b]));

  it('adds the increments of two processes per workspace and minute, and expires each minute', async () => {
    const one = new RedisRealtimeCounters({ redis: a, prefix });
    const two = new RedisRealtimeCounters({ redis: b, prefix });
    await Promise.all([
      one.increment('ws', 100, { n: 1, f: 0, b12: 1 }),
      two.increment('ws', 100, { n: 1, f: 1, z: 1 }),
      two.increment('ws', 101, { n: 2 }),
      one.increment('other', 100, { n: 5 }),
    ]);
    expect(await one.read('ws', [101, 100, 99])).toEqual([{ n: 2 }, { n: 2, f: 1, b12: 1, z: 1 }, {}]);
    const ttl = await a.pttl(`${prefix}:{ws}:100`);
    expect(ttl).toBeGreaterThan(19 * 60_000);
    expect(ttl).toBeLessThanOrEqual(20 * 60_000);
  });
});
