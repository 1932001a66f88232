import {
  type LocalPostgresPair,
  localBinaryGate,
  postgresServerBinary,
  sampleExecution,
  startPostgresWithReplica,
} from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const gate = localBinaryGate('postgres', postgresServerBinary);

describe.skipIf(gate.skip)(
  gate.title('host with WEFT_DATABASE_READ_URL: execution search on a streaming replica'),
  () => {
    let pair: LocalPostgresPair;
    let t: TestHost;
    let token: string;
    let ws: string;
    let replicaAdmin: pg.Client;
    const replay = (what: 'pause' | 'resume') => replicaAdmin.query(`select pg_wal_replay_${what}()`);
    const until = async (check: () => Promise<boolean>) => {
      const end = Date.now() + 20_000;
      while (!(await check())) {
        if (Date.now() > end) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const listed = async () => {
      const r = await t.call('GET', `/api/v1/workspaces/${ws}/executions?limit=50`, { token });
      expect(r.status).toBe(200);
      return (r.body.items as { id: string }[]).map((e) => e.id).sort();
    };

    beforeAll(async () => {
      pair = await startPostgresWithReplica();
      t = await startTestHost({ WEFT_DATABASE_URL: pair.primaryUrl, WEFT_DATABASE_READ_URL: pair.replicaUrl });
      token = await t.login('owner@example.com', 'owner-password');
      [ws] = (await t.host.runtime.identity.listWorkspaceIds()) as [string];
      replicaAdmin = new pg.Client({ connectionString: pair.replicaUrl });
      await replicaAdmin.connect();
    }, 90_000);
    afterAll(async () => {
      await replicaAdmin?.query('select pg_wal_replay_resume()').catch(() => {});
      await replicaAdmin?.end();
      await t?.close();
      await pair?.stop();
    });

    it('lists from the replica, from the primary right after the user wrote, and from the replica once it caught up', async () => {
      const rt = t.host.runtime;
      expect(rt.reads.replica).toBeDefined();
      const first = sampleExecution({ workspaceId: ws, status: 'succeeded', startedAt: Date.now() });
      await rt.executions.create(first);
      await until(async () => (await listed()).includes(first.id));

      // Replay paused: a run written elsewhere (a worker in another process) is not on the replica yet.
      await replay('pause');
      await until(async () => {
        const r = await replicaAdmin.query<{ s: string }>('select pg_get_wal_replay_pause_state() as s');
        return r.rows[0]?.s === 'paused';
      });
      const second = sampleExecution({ workspaceId: ws, status: 'failed', startedAt: Date.now() });
      await rt.executions.create(second);
      expect(await listed()).toEqual([first.id]); // served by the (paused) replica

      // The user writes through the API: their workspace's reads now go to the primary.
      const saved = await t.call('POST', `/api/v1/workspaces/${ws}/workflows`, {
        token,
        body: { name: 'Mine', nodes: [], connections: [] },
      });
      expect(saved.status).toBeLessThan(300);
      expect(await listed()).toEqual([first.id, second.id].sort());

      await replay('resume');
      await until(async () => (await rt.reads.replica?.route(ws)) === 'replica');
      expect(await listed()).toEqual([first.id, second.id].sort()); // the replica caught up
    });
  },
);
