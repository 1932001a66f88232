import {
  describeKeyedLockConformance,
  describeScheduleLockConformance,
  describeTriggerStateStoreConformance,
} from '@weft/testing';
import type { Redis } from 'ioredis';
import { describe } from 'vitest';
import { cleanup, connect, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisKeyedLock } from './redis-keyed-lock.js';
import { RedisScheduleLock } from './redis-schedule-lock.js';
import { RedisTriggerStateStore } from './redis-trigger-state-store.js';

// Every instance gets its own connection, as separate processes would.
function instances<T>(make: (redis: Redis, prefix: string) => T) {
  const prefix = randomPrefix();
  const clients: Redis[] = [];
  const open = () => {
    const redis = connect(prefix);
    clients.push(redis);
    return make(redis, prefix);
  };
  return { open, cleanup: () => cleanup(prefix, clients) };
}

describe.skipIf(redisTarget.skip)(redisTarget.title('Redis locks and trigger state'), () => {
  describeScheduleLockConformance('redis', async () => {
    const { open, cleanup } = instances((redis, prefix) => new RedisScheduleLock({ redis, prefix }));
    return { lock: open(), peers: [open(), open()], cleanup };
  });
  // A 300 ms lease under 900 ms of work: only renewal keeps the holder exclusive.
  describeKeyedLockConformance(
    'redis',
    async () => {
      const { open, cleanup } = instances((redis, prefix) => new RedisKeyedLock({ redis, prefix, leaseMs: 300 }));
      return { lock: open(), peer: open(), cleanup };
    },
    { longWorkMs: 900 },
  );
  describeTriggerStateStoreConformance('redis', async () => {
    const { open, cleanup } = instances((redis, prefix) => new RedisTriggerStateStore({ redis, prefix }));
    return { store: open(), peer: open(), cleanup };
  });
});
