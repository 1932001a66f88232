import {
  describeExecutionStoreConformance,
  describeQueueConformance,
  type LocalPgBouncer,
  localBinaryGate,
  pgBouncerBinary,
  serviceUrl,
  startPgBouncer,
} from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStorage } from './postgres-test-storage.js';

// Weft's Postgres storage through PgBouncer in transaction pooling mode: every query goes through
// the bouncer; only the LISTEN connection (a session feature) goes to the server directly.
// The execution store (the hot write path: batched checkpoints) and the queue (SKIP LOCKED claims,
// NOTIFY) run their conformance suites; plain workflow CRUD adds nothing the bouncer could break.
const server = await serviceUrl('pg');
const gate = localBinaryGate('pgbouncer', pgBouncerBinary);
const bouncer: LocalPgBouncer | undefined =
  server.skip || gate.skip ? undefined : await startPgBouncer({ targetUrl: server.url(), poolSize: 8 });
afterAll(() => bouncer?.stop());

describe.skipIf(server.skip || gate.skip)(
  server.title(gate.title('postgres through PgBouncer (transaction mode)')),
  () => {
    const open = () => {
      if (!bouncer) throw new Error('pgbouncer did not start');
      return openTestStorage(bouncer.url(server.url()), { directConnectionString: server.url() });
    };
    describeExecutionStoreConformance('postgres via pgbouncer', async () => {
      const { storage, cleanup } = await open();
      return { store: storage.executions, cleanup };
    });
    describeQueueConformance('postgres via pgbouncer', async () => {
      const { storage, cleanup, connectPeer } = await open();
      return { queue: storage.queue, cleanup, connectPeer: async () => (await connectPeer()).queue };
    });

    describe('sessions', () => {
      let admin: pg.Client;
      beforeAll(async () => {
        admin = new pg.Client({ connectionString: server.url() });
        await admin.connect();
      });
      afterAll(() => admin.end());

      it('the listener is a direct server session (the bouncer hands out fake backend pids), and a peer wakes it', async () => {
        const { storage, cleanup, connectPeer } = await open();
        try {
          const peer = await connectPeer();
          const pid = storage.signals.listenerPid;
          expect(pid).toBeTypeOf('number');
          const { rows } = await admin.query('select application_name, query from pg_stat_activity where pid = $1', [
            pid,
          ]);
          expect(rows[0]?.application_name).toMatch(/^weft-listener:/);
          expect(rows[0]?.query).toMatch(/^LISTEN /);

          // A job enqueued by the peer wakes a worker waiting on this storage's queue, through LISTEN.
          const woken = storage.queue.waitForJobs(20_000).then(() => 'woken');
          await peer.queue.enqueue({ workspaceId: 'ws', executionId: 'e1', kind: 'start' });
          expect(await Promise.race([woken, new Promise((r) => setTimeout(() => r('timed out'), 15_000))])).toBe(
            'woken',
          );
        } finally {
          await cleanup();
        }
      });
    });
  },
);
