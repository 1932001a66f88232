import { randomUUID } from 'node:crypto';
import { describeKeyedLockConformance, serviceUrl } from '@weft/testing';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { advisoryLockId, PgLockWaitTimeoutError, PostgresKeyedLock } from './postgres-keyed-lock.js';

const target = await serviceUrl('pg');

describe.skipIf(target.skip)(target.title('PostgresKeyedLock'), () => {
  // Two locks with their own pools: separate sessions, as separate processes would have.
  describeKeyedLockConformance(
    'postgres',
    async () => {
      const namespace = `test-${randomUUID()}`;
      const lock = new PostgresKeyedLock({ connectionString: target.url(), namespace });
      const peer = new PostgresKeyedLock({ connectionString: target.url(), namespace });
      return { lock, peer, cleanup: async () => void (await Promise.all([lock.close(), peer.close()])) };
    },
    { longWorkMs: 50 },
  );

  let holder: pg.Client;
  let lock: PostgresKeyedLock;
  let namespace: string;
  beforeEach(async () => {
    namespace = `test-${randomUUID()}`;
    holder = new pg.Client({ connectionString: target.url() });
    await holder.connect();
    lock = new PostgresKeyedLock({ connectionString: target.url(), namespace, maxWaitMs: 150 });
  });
  afterEach(async () => {
    await holder.end().catch(() => {});
    await lock.close();
  });

  it('gives up after maxWaitMs with an error naming the key, and runs nothing', async () => {
    await holder.query('select pg_advisory_lock($1::bigint)', [advisoryLockId(namespace, 'oauth2:c1')]);
    let ran = false;
    const err = await lock
      .run('oauth2:c1', async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PgLockWaitTimeoutError);
    expect((err as Error).message).toBe(
      'Could not take the lock "oauth2:c1" within 150 ms: another process still holds it',
    );
    expect(ran).toBe(false);
  });

  it('takes the lock once the holding session dies', async () => {
    await holder.query('select pg_advisory_lock($1::bigint)', [advisoryLockId(namespace, 'k')]);
    const patient = new PostgresKeyedLock({ connectionString: target.url(), namespace, maxWaitMs: 30_000 });
    try {
      const pid = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      const running = patient.run('k', async () => 'after the holder died');
      holder.on('error', () => {});
      const admin = new pg.Client({ connectionString: target.url() });
      await admin.connect();
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await admin.end();
      expect(await running).toBe('after the holder died');
    } finally {
      await patient.close();
    }
  });

  it('holds the advisory lock only while the work runs', async () => {
    const id = advisoryLockId(namespace, 'k');
    const held = async () =>
      (
        await holder.query<{ n: number }>(
          `select count(*)::int as n from pg_locks
           where locktype = 'advisory' and objsubid = 1 and granted
             and ((classid::bigint << 32) | objid::bigint) = $1::bigint`,
          [id],
        )
      ).rows[0]!.n;
    await lock.run('k', async () => {
      expect(await held()).toBe(1);
    });
    expect(await held()).toBe(0);
  });

  it('hashes keys to signed 64-bit ids per namespace', () => {
    const id = BigInt(advisoryLockId('weft', 'oauth2:ws1:c1'));
    expect(id >= -(2n ** 63n) && id < 2n ** 63n).toBe(true);
    expect(advisoryLockId('weft', 'oauth2:ws1:c1')).toBe(advisoryLockId('weft', 'oauth2:ws1:c1'));
    expect(advisoryLockId('other', 'oauth2:ws1:c1')).not.toBe(advisoryLockId('weft', 'oauth2:ws1:c1'));
  });
});
