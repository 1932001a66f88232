import { describeEventHubConformance } from '@weft/testing';
import { describe } from 'vitest';
import { cleanup, connect, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisEventBridge } from './redis-event-bridge.js';
import { RedisEventHub } from './redis-event-hub.js';

describe.skipIf(redisTarget.skip)(redisTarget.title('RedisEventHub'), () => {
  // Two host processes: each its own connection, bridge and hub; events are published from the first.
  describeEventHubConformance('redis', async () => {
    const prefix = randomPrefix();
    const clients = [connect(prefix), connect(prefix)];
    const bridges = clients.map((redis) => new RedisEventBridge({ redis, prefix }));
    const hubs = bridges.map((bridge) => new RedisEventHub({ bridge, pageSize: 2 }));
    await Promise.all(hubs.map((h) => h.ready()));
    return {
      hub: hubs[0]!,
      peer: hubs[1]!,
      publish: async (event) => void (await bridges[0]!.publish(event)),
      cleanup: async () => {
        for (const h of hubs) h.close();
        for (const b of bridges) await b.close();
        await cleanup(prefix, clients);
      },
    };
  });
});
