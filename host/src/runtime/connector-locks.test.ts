import { silentLogger } from '@weft/engine';
import { serviceUrl } from '@weft/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createTempDatabase } from '../testing/postgres-database.js';
import { startTestHost } from '../testing/test-host.js';
import { type ConnectorLocks, createConnectorLocks } from './connector-locks.js';

const pg = await serviceUrl('pg');
const redisTarget = await serviceUrl('redis');

// Two "processes": each runs work under the same key through its own locks; counts overlap.
async function overlap(a: ConnectorLocks, b: ConnectorLocks): Promise<number> {
  let holders = 0;
  let most = 0;
  const key = `oauth2:ws1\u0000c-${Math.random()}`;
  await Promise.all(
    Array.from({ length: 6 }, (_, i) =>
      (i % 2 ? b : a).keyed.run(key, async () => {
        most = Math.max(most, ++holders);
        await new Promise((r) => setTimeout(r, 5));
        holders--;
      }),
    ),
  );
  return most;
}

describe('connector locks', () => {
  it('a SQLite host (one process) keeps the in-memory keyed lock and the database schedule lock', async () => {
    const t = await startTestHost();
    try {
      expect(t.host.runtime.locks.kind).toBe('memory');
      expect(t.host.runtime.locks.schedule).toBeUndefined();
      expect(t.host.runtime.oauth2).toBeDefined();
    } finally {
      await t.close();
    }
  });

  describe.skipIf(pg.skip)(pg.title('on Postgres without Redis'), () => {
    let db: Awaited<ReturnType<typeof createTempDatabase>> | undefined;
    afterAll(async () => db?.drop());

    it('uses advisory locks, exclusive across processes', async () => {
      db = await createTempDatabase(pg.url());
      const make = () =>
        createConnectorLocks({ redis: undefined, redisPrefix: 'weft', databaseUrl: db!.url, logger: silentLogger });
      const a = make();
      const b = make();
      try {
        expect(a.kind).toBe('postgres');
        expect(a.schedule).toBeUndefined();
        expect(await overlap(a, b)).toBe(1);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

  describe.skipIf(redisTarget.skip)(redisTarget.title('with Redis'), () => {
    it('uses the Redis locks for refreshes and schedule ticks, exclusive across processes', async () => {
      const prefix = `weft-test-locks-${Date.now().toString(36)}`;
      const clients = [new Redis(redisTarget.url()), new Redis(redisTarget.url())];
      const [a, b] = clients.map((redis) =>
        createConnectorLocks({ redis, redisPrefix: prefix, databaseUrl: 'postgres://unused', logger: silentLogger }),
      ) as [ConnectorLocks, ConnectorLocks];
      try {
        expect(a.kind).toBe('redis');
        expect(await overlap(a, b)).toBe(1);
        const tick = `schedule:ws1/wf1/n1:${Date.now()}`;
        const won = await Promise.all([a.schedule!.acquire(tick, 60_000), b.schedule!.acquire(tick, 60_000)]);
        expect(won.filter(Boolean)).toHaveLength(1);
      } finally {
        const keys = await clients[0]!.keys(`${prefix}:*`);
        if (keys.length) await clients[0]!.del(...keys);
        for (const c of clients) c.disconnect();
      }
    });
  });
});
