import { randomBytes } from 'node:crypto';
import { localBinaryGate, postgresServerBinary, startPostgresWithReplica } from '@weft/testing';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresReadReplica } from './postgres-read-replica.js';
import { createPostgresStorage, type PostgresStorage } from './postgres-storage.js';

// One primary (initdb) and its streaming replica (pg_basebackup -R) for the file, on loopback ports.
const gate = localBinaryGate('postgres', postgresServerBinary);
const pair = gate.skip ? undefined : await startPostgresWithReplica();
afterAll(() => pair?.stop());

const workflow = (id: string) => ({ id, name: id, nodes: [], connections: [] });

describe.skipIf(gate.skip)(gate.title('PostgresReadReplica on a streaming replica'), () => {
  const open = async () => {
    if (!pair) throw new Error('the servers did not start');
    const schema = `weft_rr_${randomBytes(4).toString('hex')}`;
    const storage = await createPostgresStorage({ connectionString: pair.primaryUrl, schema, poolSize: 4 });
    const errors: Error[] = [];
    const replica = new PostgresReadReplica({
      primary: storage.db,
      connectionString: pair.replicaUrl,
      schema,
      poolSize: 2,
      onError: (e) => errors.push(e),
    });
    return { storage, replica, errors, schema };
  };
  const close = async (storage: PostgresStorage, replica: PostgresReadReplica) => {
    await replica.close();
    await storage.close();
  };
  // Until the replica has replayed the schema, its tables do not exist there: that is "not yet".
  const waitFor = async (check: () => Promise<boolean>) => {
    const end = Date.now() + 20_000;
    while (!(await check().catch(() => false))) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('serves reads of keys without a recent write from the replica', async () => {
    const { storage, replica } = await open();
    try {
      await storage.workflows.save('ws', workflow('wf1'));
      expect(await replica.route('ws')).toBe('replica');
      const db = await replica.reader('ws');
      const inRecovery = await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(db);
      expect(inRecovery.rows[0]?.r).toBe(true); // the read ran on the standby
      await waitFor(async () => (await db.selectFrom('workflows').select('id').execute()).length === 1);
    } finally {
      await close(storage, replica);
    }
  });

  it('sends reads of a key to the primary until the replica replayed its write (replay paused, then resumed)', async () => {
    const { storage, replica } = await open();
    const admin = new PostgresReadReplica({ primary: storage.db, connectionString: pair?.replicaUrl as string });
    try {
      await storage.workflows.save('ws', workflow('before'));
      await waitFor(async () => (await replica.db.selectFrom('workflows').select('id').execute()).length === 1);
      await sql`select pg_wal_replay_pause()`.execute(admin.db);
      await waitFor(async () => {
        const r = await sql<{ s: string }>`select pg_get_wal_replay_pause_state() as s`.execute(admin.db);
        return r.rows[0]?.s === 'paused';
      });
      await storage.workflows.save('ws', workflow('mine'));
      replica.noteWrite('ws');

      expect(await replica.route('ws')).toBe('primary');
      expect(await replica.route('other-ws')).toBe('replica');
      const ids = async () =>
        (await (await replica.reader('ws')).selectFrom('workflows').select('id').orderBy('id').execute()).map(
          (r) => r.id,
        );
      expect(await ids()).toEqual(['before', 'mine']); // from the primary: the user sees their write
      const stale = await replica.db.selectFrom('workflows').select('id').execute();
      expect(stale.map((r) => r.id)).toEqual(['before']); // the paused replica does not have it yet

      await sql`select pg_wal_replay_resume()`.execute(admin.db);
      await waitFor(async () => (await replica.route('ws')) === 'replica');
      expect(await ids()).toEqual(['before', 'mine']); // now from the replica
    } finally {
      await sql`select pg_wal_replay_resume()`.execute(admin.db).catch(() => {});
      await admin.close();
      await close(storage, replica);
    }
  });

  it('reads from the primary, and says why, when the read URL is not a replica', async () => {
    const { storage, replica: real } = await open();
    await real.close();
    const errors: Error[] = [];
    const replica = new PostgresReadReplica({
      primary: storage.db,
      connectionString: pair?.primaryUrl as string,
      onError: (e) => errors.push(e),
    });
    try {
      replica.noteWrite('ws');
      expect(await replica.route('ws')).toBe('primary');
      expect(errors[0]?.message).toMatch(/not a streaming replica/);
    } finally {
      await replica.close();
      await storage.close();
    }
  });
});
