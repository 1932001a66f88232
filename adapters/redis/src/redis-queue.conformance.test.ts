import { describeQueueConformance } from '@weft/testing';
import type { Redis } from 'ioredis';
import { describe } from 'vitest';
import { cleanup, connect, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisQueue } from './redis-queue.js';

describe.skipIf(redisTarget.skip)(redisTarget.title('RedisQueue'), () => {
  describeQueueConformance('redis', async () => {
    const prefix = randomPrefix();
    const clients: Redis[] = [];
    const open = () => {
      const redis = connect(prefix);
      clients.push(redis);
      return new RedisQueue({ redis, prefix });
    };
    return {
      queue: open(),
      connectPeer: async () => open(),
      cleanup: () => cleanup(prefix, clients),
    };
  });
});
