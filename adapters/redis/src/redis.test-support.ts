// Shared by this package's tests (excluded from the build): the Redis target, fresh clients with a
// random key prefix per test, cleanup, and killing a test's own connections.
import { randomBytes } from 'node:crypto';
import { serviceUrl } from '@weft/testing';
import { Redis, type RedisOptions } from 'ioredis';

/** `WEFT_TEST_REDIS_URL`, skipped with the reason when unset; failing when WEFT_REQUIRE_SERVICES=1. */
export const redisTarget = await serviceUrl('redis');

/** A random key prefix; also used as the connection name, so a test can find (and kill) its connections. */
export function randomPrefix(): string {
  return `weft-test-${randomBytes(5).toString('hex')}`;
}

/** A new client named after `prefix`; duplicates (subscribers) carry the same name. */
export function connect(prefix: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(redisTarget.url(), { connectionName: prefix, maxRetriesPerRequest: null, ...options });
  redis.on('error', () => {}); // tests kill connections on purpose; ioredis reconnects
  return redis;
}

/** Deletes every key under `prefix` and closes the clients. */
export async function cleanup(prefix: string, clients: Redis[]): Promise<void> {
  const admin = new Redis(redisTarget.url());
  try {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await admin.del(...keys);
    } while (cursor !== '0');
  } finally {
    admin.disconnect();
    for (const c of clients) c.disconnect();
  }
}

/** Kills every server-side connection named `prefix` (ioredis reconnects them); returns how many. */
export async function killConnections(prefix: string, type?: 'normal' | 'pubsub'): Promise<number> {
  const admin = new Redis(redisTarget.url());
  try {
    const list = String(await admin.client('LIST'));
    const ids = list
      .split('\n')
      .filter((line) => line.includes(` name=${prefix} `))
      .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    let killed = 0;
    for (const id of ids)
      killed += Number(await admin.call('CLIENT', 'KILL', 'ID', id, ...(type ? ['TYPE', type] : [])));
    return killed;
  } finally {
    admin.disconnect();
  }
}

export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
