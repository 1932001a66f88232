import { Worker, WorkflowEngine } from '@weft/engine';
import { delay, sampleWorkflow, serviceUrl } from '@weft/testing';
import { describe, expect, it } from 'vitest';
import { openTestStorage } from './postgres-test-storage.js';

const target = await serviceUrl('pg');

// Postgres-only queue mode: a new execution and its start job are one statement (ADR 0009's
// "never without a job" by construction, and one commit per turn instead of two).
describe.skipIf(target.skip)(target.title('postgres: execution and start job in one write'), () => {
  const open = async () => {
    const { storage, cleanup } = await openTestStorage(target.url());
    const engine = new WorkflowEngine({
      workflows: storage.workflows,
      executions: storage.executions,
      queue: storage.queue,
    });
    await storage.workflows.save('ws', sampleWorkflow('wf'));
    return { storage, engine, cleanup };
  };

  it('enqueues many executions with their jobs in fewer statements than executions, and workers run them', async () => {
    const { storage, engine, cleanup } = await open();
    const statements: string[] = [];
    const query = storage.pool.query.bind(storage.pool);
    storage.pool.query = ((...args: Parameters<typeof query>) => {
      statements.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text));
      return query(...args);
    }) as typeof query;
    try {
      const made = await Promise.all(
        Array.from({ length: 20 }, (_, i) => engine.enqueue('ws', 'wf', { input: [{ json: { x: i } }] })),
      );
      const inserts = statements.filter((s) => /insert into "[^"]+"\."executions"/.test(s));
      expect(inserts.length).toBeGreaterThan(0);
      expect(inserts.length).toBeLessThan(20);
      for (const s of inserts) expect(s).toMatch(/insert into "[^"]+"\."queue_jobs"/);
      expect((await storage.queue.stats()).ready).toBe(20);

      const worker = new Worker({ engine, concurrency: 8, idleWaitMs: 50 });
      worker.start();
      try {
        for (const { executionId } of made) {
          for (let t = Date.now(); (await storage.executions.get('ws', executionId))?.status !== 'succeeded'; ) {
            if (Date.now() - t > 20_000) throw new Error(`execution ${executionId} did not finish`);
            await delay(20);
          }
        }
      } finally {
        await worker.stop();
      }
      expect((await storage.queue.stats()).ready + (await storage.queue.stats()).running).toBe(0);
    } finally {
      storage.pool.query = query;
      await cleanup();
    }
  });

  it('a duplicate (same idempotency key) gets the first execution and enqueues no second job', async () => {
    const { storage, engine, cleanup } = await open();
    try {
      const [a, b] = await Promise.all([
        engine.enqueue('ws', 'wf', { idempotencyKey: 'delivery-1' }),
        engine.enqueue('ws', 'wf', { idempotencyKey: 'delivery-1' }),
      ]);
      expect([a?.duplicate, b?.duplicate].sort()).toEqual([false, true]);
      expect(a?.executionId).toBe(b?.executionId);
      const c = await engine.enqueue('ws', 'wf', { idempotencyKey: 'delivery-1' });
      expect(c).toEqual({ executionId: a?.executionId, duplicate: true });
      const claimed = await storage.queue.claim({ workerId: 'w', leaseMs: 5000, max: 10 });
      expect(claimed.map((j) => j.job.executionId)).toEqual([a?.executionId]);
    } finally {
      await cleanup();
    }
  });

  it('stores no execution when its job cannot be stored (both or neither)', async () => {
    const { storage, engine, cleanup } = await open();
    try {
      // A leftover job already holds the start key of the id the next execution will get.
      await storage.queue.enqueue(
        { workspaceId: 'ws', executionId: 'taken', kind: 'start' },
        { dedupeKey: 'start:taken' },
      );
      await expect(engine.enqueue('ws', 'wf', { executionId: 'taken' })).rejects.toThrow();
      expect(await storage.executions.get('ws', 'taken')).toBeUndefined();
      // Other executions of the same turn are not taken down with it.
      const [bad, good] = await Promise.allSettled([
        engine.enqueue('ws', 'wf', { executionId: 'taken' }),
        engine.enqueue('ws', 'wf', { executionId: 'fine' }),
      ]);
      expect(bad.status).toBe('rejected');
      expect(good).toEqual({ status: 'fulfilled', value: { executionId: 'fine', duplicate: false } });
      expect((await storage.executions.get('ws', 'fine'))?.status).toBe('queued');
      expect(await storage.queue.hasJob('start:fine')).toBe(true);
    } finally {
      await cleanup();
    }
  });
});
