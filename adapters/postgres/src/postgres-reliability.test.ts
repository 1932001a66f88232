import { randomBytes } from 'node:crypto';
import { type Migration, weftMigrations } from '@weft/sql';
import { delay, sampleExecution, sampleNodeRun, serviceUrl } from '@weft/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStorage } from './postgres-storage.js';
import { openTestStorage } from './postgres-test-storage.js';

const target = await serviceUrl('pg');

describe.skipIf(target.skip)(target.title('postgres reliability'), () => {
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: target.url() });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
  });
  const until = async (cond: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!cond()) {
      if (Date.now() > end) throw new Error('condition not met in time');
      await delay(20);
    }
  };

  it('the LISTEN connection comes back after pg_terminate_backend and wakes workers again', async () => {
    const { storage, cleanup, connectPeer } = await openTestStorage(target.url());
    try {
      const peer = await connectPeer();
      let t = Date.now();
      const first = storage.queue.waitForJobs(10_000);
      await delay(30);
      await peer.queue.enqueue({ workspaceId: 'ws', executionId: 'e1', kind: 'start' });
      await first;
      expect(Date.now() - t).toBeLessThan(1500);

      const pid = storage.signals.listenerPid;
      expect(pid).toBeTypeOf('number');
      await admin.query('select pg_terminate_backend($1)', [pid]);
      await until(() => storage.signals.reconnects >= 1 && storage.signals.listenerPid !== undefined);
      expect(storage.signals.listenerPid).not.toBe(pid);

      t = Date.now();
      const second = storage.queue.waitForJobs(10_000);
      await delay(30);
      await peer.queue.enqueue({ workspaceId: 'ws', executionId: 'e2', kind: 'start' });
      await second;
      expect(Date.now() - t).toBeLessThan(1500);
      expect(
        (await storage.queue.claim({ workerId: 'w', leaseMs: 5000, max: 10 })).map((c) => c.job.executionId).sort(),
      ).toEqual(['e1', 'e2']);
    } finally {
      await cleanup();
    }
  });

  it('keeps working after the server drops every connection', async () => {
    const { storage, cleanup } = await openTestStorage(target.url());
    try {
      const rec = sampleExecution();
      await storage.executions.create(rec);
      const terminated = await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = any($1)',
        [[storage.schema, `weft-listener:weft_jobs_${storage.schema}`.slice(0, 63)]],
      );
      expect(terminated.rowCount).toBeGreaterThanOrEqual(2);
      await delay(100);
      const retry = async <T>(fn: () => Promise<T>): Promise<T> => {
        for (let i = 0; ; i++) {
          try {
            return await fn();
          } catch (err) {
            if (i >= 3) throw err;
            await delay(50);
          }
        }
      };
      await retry(() => storage.executions.checkpoint(rec.id, [sampleNodeRun(rec.id, 0)]));
      await storage.executions.update(rec.id, { status: 'succeeded' });
      expect((await storage.executions.get('ws-a', rec.id))?.status).toBe('succeeded');
      await until(() => storage.signals.listenerPid !== undefined);
      await storage.queue.enqueue({ workspaceId: 'ws', executionId: 'e1', kind: 'start' });
      expect(await storage.queue.claim({ workerId: 'w', leaseMs: 1000, max: 1 })).toHaveLength(1);
    } finally {
      await cleanup();
    }
  });

  it('a failing migration leaves the database as it was', async () => {
    const schema = `weft_test_${randomBytes(6).toString('hex')}`;
    const latest = Math.max(...weftMigrations.map((m) => m.version));
    const failing: Migration = {
      version: 1000,
      name: 'deliberately broken',
      async up(db) {
        await db.schema.createTable('half_done').addColumn('id', 'text').execute();
        await db.schema.alterTable('executions').addColumn('extra', 'text').execute();
        throw new Error('boom in migration 1000');
      },
    };
    const tables = async () =>
      (
        await admin.query<{ table_name: string }>(
          'select table_name from information_schema.tables where table_schema = $1 order by 1',
          [schema],
        )
      ).rows.map((r) => r.table_name);
    try {
      await expect(
        createPostgresStorage({ connectionString: target.url(), schema, migrations: [...weftMigrations, failing] }),
      ).rejects.toThrow(/migration 1000 \(deliberately broken\) failed.*boom/);
      expect((await admin.query('select 1 from pg_namespace where nspname = $1', [schema])).rowCount).toBe(0);

      const ok = await createPostgresStorage({ connectionString: target.url(), schema });
      await ok.workflows.save('ws', { id: 'wf', name: 'kept', nodes: [], connections: [] });
      await ok.close();
      const before = await tables();
      await expect(
        createPostgresStorage({ connectionString: target.url(), schema, migrations: [...weftMigrations, failing] }),
      ).rejects.toThrow(/boom/);
      expect(await tables()).toEqual(before);
      const cols = await admin.query(
        "select 1 from information_schema.columns where table_schema = $1 and table_name = 'executions' and column_name = 'extra'",
        [schema],
      );
      expect(cols.rowCount).toBe(0);
      const again = await createPostgresStorage({ connectionString: target.url(), schema });
      expect((await again.workflows.get('ws', 'wf'))?.workflow.name).toBe('kept');
      expect(await again.migrate()).toEqual({ applied: [], version: latest });
      await again.close();
    } finally {
      await admin.query(`drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
    }
  });

  it('prunes in chunks and offloads large payloads to blobs', async () => {
    const blobs = new (await import('@weft/engine')).MemoryBlobStore();
    const { storage, cleanup } = await openTestStorage(target.url(), { blobThresholdBytes: 1024, blobs });
    try {
      for (let i = 0; i < 12; i++) {
        const rec = sampleExecution({
          id: `ex-${String(i).padStart(2, '0')}`,
          status: 'succeeded',
          startedAt: 1000 + i,
        });
        await storage.executions.create(rec);
        await storage.executions.checkpoint(rec.id, [
          sampleNodeRun(rec.id, 0, { output: { main: [{ json: { big: 'q'.repeat(i % 2 ? 4000 : 10) } }] } }),
        ]);
      }
      const offloaded = await storage.db
        .selectFrom('node_runs')
        .select('blob_key')
        .where('blob_key', 'is not', null)
        .execute();
      expect(offloaded).toHaveLength(6);
      const runs = await storage.executions.listNodeRuns('ex-01');
      expect(runs[0]?.output?.main?.[0]?.json.big).toHaveLength(4000);
      const steps: number[] = [];
      for await (const p of storage.executions.pruneExecutions({ olderThan: 1006, chunkSize: 4 }))
        steps.push(p.deleted);
      expect(steps).toEqual([4, 6]);
      for await (const p of storage.executions.pruneExecutions({ keepPerWorkflow: 2, chunkSize: 4 }))
        steps.push(p.deleted);
      const left = (await storage.executions.list('ws-a', { limit: 50 })).items.map((r) => r.id);
      expect(left).toEqual(['ex-11', 'ex-10']);
      expect(await blobs.get('node-runs/ex-01/0.json')).toBeUndefined();
      expect(await blobs.get('node-runs/ex-11/0.json')).toBeDefined();
    } finally {
      await cleanup();
    }
  });
});
