import { randomBytes } from 'node:crypto';
import { MemoryWorkflowStore } from '@weft/engine';
import {
  describeEventHubConformance,
  describeKeyedLockConformance,
  describeQueueConformance,
  describeRateLimiterConformance,
  describeScheduleLockConformance,
  describeTriggerStateStoreConformance,
  describeWorkflowStoreConformance,
} from '@weft/testing';
import { type Cluster, Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachedWorkflowStore } from './cached-workflow-store.js';
import { RedisCache } from './redis-cache.js';
import { cleanupCluster, clusterGate, connectCluster, fileCluster, keysPerNode } from './redis-cluster.test-support.js';
import { RedisEventBridge } from './redis-event-bridge.js';
import { RedisEventHub } from './redis-event-hub.js';
import { RedisKeyedLock } from './redis-keyed-lock.js';
import { RedisQueue } from './redis-queue.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';
import { RedisRealtimeCounters } from './redis-realtime-counters.js';
import { RedisScheduleLock } from './redis-schedule-lock.js';
import { RedisTriggerStateStore } from './redis-trigger-state-store.js';

// One 3-master cluster for the whole file; every suite below runs on ioredis `Cluster` clients.
const cluster = await fileCluster();

describe.skipIf(clusterGate.skip)(clusterGate.title('Redis Cluster (3 masters from redis-server)'), () => {
  const nodes = () => {
    if (!cluster) throw new Error('the cluster did not start');
    return cluster;
  };
  // Every instance gets its own cluster client, as separate processes would.
  function instances<T>(make: (redis: Cluster, prefix: string) => T) {
    const prefix = `weft-test-${randomBytes(5).toString('hex')}`;
    const clients: Cluster[] = [];
    const open = () => {
      const redis = connectCluster(nodes(), prefix);
      clients.push(redis);
      return make(redis, prefix);
    };
    return { open, prefix, clients, cleanup: () => cleanupCluster(nodes(), prefix, clients) };
  }

  describeQueueConformance('redis cluster', async () => {
    const { open, cleanup } = instances((redis, prefix) => new RedisQueue({ redis, prefix }));
    return { queue: open(), connectPeer: async () => open(), cleanup };
  });
  describeScheduleLockConformance('redis cluster', async () => {
    const { open, cleanup } = instances((redis, prefix) => new RedisScheduleLock({ redis, prefix }));
    return { lock: open(), peers: [open(), open()], cleanup };
  });
  describeKeyedLockConformance(
    'redis cluster',
    async () => {
      const { open, cleanup } = instances((redis, prefix) => new RedisKeyedLock({ redis, prefix, leaseMs: 300 }));
      return { lock: open(), peer: open(), cleanup };
    },
    { longWorkMs: 900 },
  );
  describeTriggerStateStoreConformance('redis cluster', async () => {
    const { open, cleanup } = instances((redis, prefix) => new RedisTriggerStateStore({ redis, prefix }));
    return { store: open(), peer: open(), cleanup };
  });
  describeRateLimiterConformance('redis cluster', async (clock) => {
    const { open, cleanup } = instances((redis, prefix) => new RedisRateLimiter({ redis, prefix, clock }));
    return { limiter: open(), peer: open(), cleanup };
  });
  describeWorkflowStoreConformance('memory behind a RedisCache on a cluster', async () => {
    const { open, cleanup } = instances(
      (redis, prefix) => new CachedWorkflowStore(new MemoryWorkflowStore(), new RedisCache({ redis, prefix })),
    );
    return { store: open(), cleanup };
  });
  describeEventHubConformance('redis cluster', async () => {
    const { open, cleanup } = instances((redis, prefix) => new RedisEventBridge({ redis, prefix }));
    const bridges = [open(), open()];
    const hubs = bridges.map((bridge) => new RedisEventHub({ bridge, pageSize: 2 }));
    await Promise.all(hubs.map((h) => h.ready()));
    return {
      hub: hubs[0] as RedisEventHub,
      peer: hubs[1] as RedisEventHub,
      publish: async (event) => void (await bridges[0]?.publish(event)),
      cleanup: async () => {
        for (const h of hubs) h.close();
        for (const b of bridges) await b.close();
        await cleanup();
      },
    };
  });

  describe('hash tags keep what one command touches in one slot', () => {
    let ctx: ReturnType<typeof instances<Cluster>>;
    beforeEach(() => {
      ctx = instances((redis) => redis);
    });
    afterEach(() => ctx.cleanup());

    /** The hash slot of each key, asked of the cluster itself. */
    async function slots(keys: string[]): Promise<Set<number>> {
      const admin = new Redis(nodes().urls[0] as string);
      try {
        return new Set(await Promise.all(keys.map(async (k) => Number(await admin.call('CLUSTER', 'KEYSLOT', k)))));
      } finally {
        admin.disconnect();
      }
    }
    const flat = async () => (await keysPerNode(nodes(), ctx.prefix)).flat();

    it('each queue keeps its keys in one slot, and queues spread over the masters', async () => {
      const redis = ctx.open();
      const queues = Array.from({ length: 12 }, (_, i) => new RedisQueue({ redis, prefix: ctx.prefix, name: `q${i}` }));
      for (const q of queues) {
        await q.enqueue({ workspaceId: 'ws', executionId: 'now', kind: 'start' }, { dedupeKey: 'd1' });
        await q.enqueue({ workspaceId: 'ws', executionId: 'later', kind: 'start' }, { runAt: Date.now() + 60_000 });
        const [job] = await q.claim({ workerId: 'w', leaseMs: 30_000, max: 1 });
        if (job) await q.deadLetter(job, 'boom');
        expect(await q.listDeadLetters()).toHaveLength(1);
      }
      for (const [i] of queues.entries()) {
        const keys = (await flat()).filter((k) => k.startsWith(`${ctx.prefix}:{q${i}}:`));
        expect(keys.length).toBeGreaterThanOrEqual(3);
        expect((await slots(keys)).size).toBe(1);
      }
      const perNode = await keysPerNode(nodes(), ctx.prefix);
      expect(perNode.filter((keys) => keys.length > 0).length).toBeGreaterThan(1);
      for (const q of queues) await q.close();
    });

    it('cache groups and realtime counters keep their keys in one slot per group / workspace', async () => {
      const redis = ctx.open();
      const cache = new RedisCache({ redis, prefix: `${ctx.prefix}:cache` });
      for (const key of ['a', 'b', 'c', 'd']) await cache.set('workflows', key, { key });
      await cache.invalidate('workflows');
      expect(await cache.getOrLoad('workflows', 'a', async () => ({ key: 'reloaded' }))).toEqual({ key: 'reloaded' });
      expect((await slots((await flat()).filter((k) => k.includes(':{workflows}:')))).size).toBe(1);

      const counters = new RedisRealtimeCounters({ redis, prefix: `${ctx.prefix}:rt` });
      const minutes = Array.from({ length: 15 }, (_, i) => 1000 + i);
      for (const m of minutes) await counters.increment('ws-1', m, { n: m - 999 });
      // One pipeline over 15 minute keys: CROSSSLOT on a cluster unless they share the workspace tag.
      const read = await counters.read('ws-1', minutes);
      expect(read.map((r) => r.n)).toEqual(minutes.map((m) => m - 999));
      expect((await slots((await flat()).filter((k) => k.startsWith(`${ctx.prefix}:rt:`)))).size).toBe(1);
    });
  });
});
