import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheKey, MemoryResponseCache, MemoryUsageRecorder, type ResponseCache } from '@weft/ai';
import { ManualClock } from '@weft/engine';
import { RedisAiResponseCache } from '@weft/redis';
import { SqlAiResponseCache, SqlAiUsage } from '@weft/sql';
import { serviceUrl } from '@weft/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuiltStorage, buildStorage } from '../runtime/build-storage.js';
import { createTempDatabase } from '../testing/postgres-database.js';

const pgService = await serviceUrl('pg');
const redisService = await serviceUrl('redis');

interface CacheTarget {
  cache: ResponseCache;
  /** Moves the store's clock on (Redis: waits, its TTLs are real). */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}
interface UsageTarget {
  usage: MemoryUsageRecorder | SqlAiUsage;
  close(): Promise<void>;
}

async function sqlStorage(kind: 'sqlite' | 'postgres'): Promise<{ built: BuiltStorage; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'weft-ai-stores-'));
    return {
      built: await buildStorage({ databaseUrl: `sqlite:${join(dir, 'weft.db')}` }, { migrate: true }),
      drop: async () => {},
    };
  }
  const db = await createTempDatabase(pgService.url());
  return { built: await buildStorage({ databaseUrl: db.url }, { migrate: true }), drop: db.drop };
}

function sqlCache(kind: 'sqlite' | 'postgres') {
  return async (): Promise<CacheTarget> => {
    const { built, drop } = await sqlStorage(kind);
    const clock = new ManualClock(1_000_000);
    return {
      cache: new SqlAiResponseCache(built.h, { now: () => clock.now() }),
      advance: async (ms) => clock.advance(ms),
      close: async () => {
        await built.storage.close();
        await drop();
      },
    };
  };
}

const caches: [string, boolean, () => Promise<CacheTarget>][] = [
  [
    'memory',
    false,
    async () => {
      const clock = new ManualClock(1_000_000);
      return { cache: new MemoryResponseCache(clock), advance: async (ms) => clock.advance(ms), close: async () => {} };
    },
  ],
  ['SQLite', false, sqlCache('sqlite')],
  [pgService.title('Postgres'), pgService.skip, sqlCache('postgres')],
  [
    redisService.title('Redis'),
    redisService.skip,
    async () => {
      const redis = new Redis(redisService.url());
      const prefix = `weft-test-ai-${Math.random().toString(36).slice(2)}`;
      return {
        cache: new RedisAiResponseCache({ redis, prefix }),
        advance: (ms) => new Promise((r) => setTimeout(r, ms)),
        close: async () => {
          const keys = await redis.keys(`${prefix}:*`);
          if (keys.length) await redis.del(...keys);
          redis.disconnect();
        },
      };
    },
  ],
];

for (const [name, skip, open] of caches) {
  describe.skipIf(skip)(`AI response cache on ${name}`, () => {
    let t: CacheTarget;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(() => t?.close());

    it('returns what was set under the normalised key until the TTL passes', async () => {
      const key = cacheKey('Post to  #ops on Slack', { model: 'm', context: { workflowId: 'w1' } });
      expect(cacheKey(' post to #ops on slack', { context: { workflowId: 'w1' }, model: 'm' })).toBe(key);
      expect(await t.cache.get(key)).toBeUndefined();
      await t.cache.set(key, '{"a":1}', 300);
      expect(await t.cache.get(key)).toBe('{"a":1}');
      await t.advance(350);
      expect(await t.cache.get(key)).toBeUndefined();
    });

    it('overwrites an entry and keeps keys apart', async () => {
      await t.cache.set('ai:k1', 'one', 60 * 60_000);
      await t.cache.set('ai:k1', 'uno', 60 * 60_000);
      await t.cache.set('ai:k2', 'two', 60 * 60_000);
      expect(await t.cache.get('ai:k1')).toBe('uno');
      expect(await t.cache.get('ai:k2')).toBe('two');
      const big = 'x'.repeat(200_000);
      await t.cache.set('ai:big', big, 60_000);
      expect(await t.cache.get('ai:big')).toBe(big);
    });
  });
}

function sqlUsage(kind: 'sqlite' | 'postgres') {
  return async (): Promise<UsageTarget> => {
    const { built, drop } = await sqlStorage(kind);
    return {
      usage: new SqlAiUsage(built.h),
      close: async () => {
        await built.storage.close();
        await drop();
      },
    };
  };
}

const usages: [string, boolean, () => Promise<UsageTarget>][] = [
  ['memory', false, async () => ({ usage: new MemoryUsageRecorder(), close: async () => {} })],
  ['SQLite', false, sqlUsage('sqlite')],
  [pgService.title('Postgres'), pgService.skip, sqlUsage('postgres')],
];

for (const [name, skip, open] of usages) {
  describe.skipIf(skip)(`AI usage on ${name}`, () => {
    let t: UsageTarget;
    beforeAll(async () => {
      t = await open();
    });
    afterAll(() => t?.close());

    it('records calls per workspace and totals them over a period', async () => {
      const call = (workspaceId: string, at: number, costUsd: number) =>
        t.usage.record({ workspaceId, model: 'gpt-4o-mini', promptTokens: 900, completionTokens: 100, costUsd, at });
      await call('ws-a', 1000, 0.0002);
      await call('ws-a', 2000, 0.0003);
      await call('ws-a', 3000, 0.5);
      await call('ws-b', 2000, 1);
      expect(await t.usage.totals('ws-a')).toEqual({
        calls: 3,
        promptTokens: 2700,
        completionTokens: 300,
        costUsd: expect.closeTo(0.5005, 9),
      });
      expect(await t.usage.totals('ws-a', { from: 1500, to: 3000 })).toEqual({
        calls: 1,
        promptTokens: 900,
        completionTokens: 100,
        costUsd: expect.closeTo(0.0003, 9),
      });
      expect(await t.usage.totals('ws-c')).toEqual({ calls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 });
    });
  });
}
