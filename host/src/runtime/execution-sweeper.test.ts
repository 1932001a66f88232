import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobQueue, MemoryScheduleLock, silentLogger, WorkflowEngine } from '@weft/engine';
import { serviceUrl } from '@weft/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type HostBackend, sqliteAndPostgres } from '../testing/host-backends.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { ExecutionSweeper } from './execution-sweeper.js';
import type { HostRuntime } from './host-runtime.js';

const pg = await serviceUrl('pg');
const redis = await serviceUrl('redis');

const waitFlow = (id: string, seconds: number) => ({
  id,
  name: id,
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'w', name: 'Wait', type: 'weft.wait', parameters: { mode: 'duration', amount: seconds, unit: 'seconds' } },
    { id: 'a', name: 'After', type: 'weft.set', parameters: { fields: [{ name: 'done', value: 'yes' }] } },
  ],
  connections: [
    { source: 't', target: 'w' },
    { source: 'w', target: 'a' },
  ],
});

/** The engine of a process killed right after it stored an execution, before its job reached the queue. */
function dyingProcess(rt: HostRuntime): WorkflowEngine {
  const killed = { enqueue: () => Promise.reject(new Error('SIGKILL')) } as unknown as JobQueue;
  return new WorkflowEngine({
    registry: rt.registry,
    workflows: rt.engine.workflows,
    executions: rt.engine.executions,
    queue: killed,
  });
}

const backends: HostBackend[] = sqliteAndPostgres(pg, 'Postgres (queue in the database)');
const pgRedis = sqliteAndPostgres(pg, 'Postgres')[1] as HostBackend;
backends.push([
  redis.title(pg.title('Postgres + Redis queue')),
  pg.skip || redis.skip,
  async () => {
    const o = await pgRedis[2]();
    return {
      ...o,
      env: { ...o.env, WEFT_REDIS_URL: redis.url(), WEFT_REDIS_PREFIX: `weft-sweep-${Date.now().toString(36)}` },
    };
  },
]);

describe.each(backends)('executions left without a queue job, on %s', (_name, skip, open) => {
  const hosts: TestHost[] = [];
  let drop: (() => Promise<void>) | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'weft-sweeper-'));
  afterEach(async () => {
    for (const h of hosts.splice(0)) await h.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(skip)(
    'a restart gives due and future timer waits and queued executions their job; each resumes exactly once',
    async () => {
      const o = await open();
      drop = o.drop;
      const env = { ...o.env, WEFT_DATA_DIR: dir };
      const a = await startTestHost(env, { keepDir: true });
      const rt = a.host.runtime;
      const [ws] = (await rt.identity.listWorkspaceIds()) as [string];
      const soon = await rt.engine.workflows.save(ws, waitFlow('soon', 1));
      const later = await rt.engine.workflows.save(ws, waitFlow('later', 4));
      const dying = dyingProcess(rt);
      const park = async (s: typeof soon) => {
        const executionId = `ex-${s.id}-${Date.now()}`;
        await expect(
          dying.execute({ ...s.workflow, id: s.id, version: s.version }, { workspaceId: ws, executionId }),
        ).rejects.toThrow('SIGKILL');
        return executionId;
      };
      const due = await park(soon);
      const future = await park(later);
      // A queued execution stored a minute ago by a process that died before enqueueing its job.
      await rt.executions.create({
        id: `ex-queued-${Date.now()}`,
        workspaceId: ws,
        workflowId: 'soon',
        workflowVersion: soon.version,
        status: 'queued',
        mode: 'webhook',
        input: { main: [{ json: {} }] },
        startedAt: Date.now() - 60_000,
        depth: 0,
      });
      const queued = (await rt.executions.listQueued(Date.now(), 10)).map((r) => r.id);
      expect(queued).toHaveLength(1);
      for (const id of [due, future])
        expect(await rt.executions.get(ws, id)).toMatchObject({ status: 'waiting', wait: { kind: 'timer' } });
      const futureAt = (await rt.executions.get(ws, future))?.wait?.resumeAt as number;
      await a.close();
      await new Promise((r) => setTimeout(r, 1200));

      // Two processes start at once (on SQLite, two hosts on the same file): both sweep at start.
      hosts.push(
        ...(await Promise.all([startTestHost(env, { keepDir: true }), startTestHost(env, { keepDir: true })])),
      );
      const b = hosts[0]?.host.runtime as HostRuntime;
      const ids = [due, future, ...queued];
      const status = async () => Promise.all(ids.map(async (id) => (await b.executions.get(ws, id))?.status));
      await expect.poll(status, { timeout: 15_000, interval: 100 }).toEqual(['succeeded', 'succeeded', 'succeeded']);
      for (const id of ids) {
        const runs = await b.executions.listNodeRuns(id);
        expect(runs.filter((r) => r.nodeId === 'a' && r.status === 'succeeded')).toHaveLength(1);
      }
      expect((await b.executions.get(ws, future))?.finishedAt).toBeGreaterThanOrEqual(futureAt);
      expect(await b.sweeper.sweep()).toEqual({ timers: 0, queued: 0 });
    },
    40_000,
  );
});

describe('ExecutionSweeper', () => {
  const orphan = (engine: WorkflowEngine, id: string) =>
    engine.executions.create({
      id,
      workspaceId: 'ws',
      workflowId: 'wf',
      workflowVersion: 1,
      status: 'queued',
      mode: 'webhook',
      input: { main: [{ json: {} }] },
      startedAt: Date.now() - 60_000,
      depth: 0,
    });

  it('sweeps in one process per interval under the lock', async () => {
    const engine = new WorkflowEngine();
    await orphan(engine, 'ex-1');
    const lock = new MemoryScheduleLock();
    const [a, b] = [1, 2].map(() => new ExecutionSweeper({ engine, lock, logger: silentLogger, intervalMs: 60_000 }));
    const ticks = await Promise.all([a?.tick(), b?.tick()]);
    expect(ticks.filter((t) => t === undefined)).toHaveLength(1);
    expect(ticks.find((t) => t !== undefined)).toEqual({ timers: 0, queued: 1 });
    expect((await engine.queue.stats()).ready).toBe(1);
  });

  it('leaves an execution whose job is dead-lettered to the operator', async () => {
    const engine = new WorkflowEngine();
    await orphan(engine, 'ex-dead');
    await orphan(engine, 'ex-lost');
    await engine.queue.enqueue({ workspaceId: 'ws', executionId: 'ex-dead', kind: 'start' });
    const [job] = await engine.queue.claim({ workerId: 'w', leaseMs: 1000, max: 1 });
    await engine.queue.deadLetter(job as never, 'version 1 of wf not found');
    const sweeper = new ExecutionSweeper({ engine, lock: new MemoryScheduleLock(), logger: silentLogger });
    expect(await sweeper.sweep()).toEqual({ timers: 0, queued: 1 });
    const [claimed] = await engine.queue.claim({ workerId: 'w', leaseMs: 1000, max: 5 });
    expect(claimed?.job.executionId).toBe('ex-lost');
  });
});
