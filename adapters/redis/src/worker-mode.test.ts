import {
  type EngineEvent,
  MemoryExecutionStore,
  MemoryWorkflowStore,
  Worker,
  type Workflow,
  WorkflowEngine,
} from '@weft/engine';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachedWorkflowStore } from './cached-workflow-store.js';
import { cleanup, connect, delay, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisCache } from './redis-cache.js';
import { RedisEventBridge } from './redis-event-bridge.js';
import { RedisQueue } from './redis-queue.js';

/** Trigger -> Wait 50 ms (parks the execution: a delayed resume job) -> Set. */
const waitThenSet: Workflow & { id: string } = {
  id: 'wf',
  name: 'Wait then set',
  nodes: [
    { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
    { id: 'w', name: 'Wait', type: 'weft.wait', parameters: { amount: 0.05, unit: 'seconds' } },
    { id: 's', name: 'Set', type: 'weft.set', parameters: { fields: [{ name: 'ok', value: '{{ true }}' }] } },
  ],
  connections: [
    { source: 't', target: 'w' },
    { source: 'w', target: 's' },
  ],
};

describe.skipIf(redisTarget.skip)(redisTarget.title('Worker mode on Redis (engine + Worker)'), () => {
  let prefix: string;
  let clients: Redis[];
  const closers: (() => Promise<void>)[] = [];
  const client = () => {
    const redis = connect(prefix);
    clients.push(redis);
    return redis;
  };
  beforeEach(() => {
    prefix = randomPrefix();
    clients = [];
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await cleanup(prefix, clients);
  });

  it('two worker "processes" run 40 queued executions with waits; a host sees every event in order', async () => {
    // Shared storage stands in for Postgres; everything else goes through Redis, one client per process.
    const workflowStore = new MemoryWorkflowStore();
    const executions = new MemoryExecutionStore();
    const processEngine = () => {
      const redis = client();
      const queue = new RedisQueue({ redis, prefix });
      const workflows = new CachedWorkflowStore(workflowStore, new RedisCache({ redis, prefix }));
      const engine = new WorkflowEngine({ workflows, executions, queue });
      const bridge = new RedisEventBridge({ redis, prefix });
      const forwarding = bridge.forward(engine.events$);
      closers.push(async () => {
        forwarding.unsubscribe();
        await bridge.close();
        await queue.close();
      });
      return engine;
    };
    const [hostEngine, engineA, engineB] = [processEngine(), processEngine(), processEngine()];
    const host = new RedisEventBridge({ redis: client(), prefix });
    closers.push(() => host.close());
    const seen: EngineEvent[] = [];
    host.subscribe({ workspaceId: 'ws' }).subscribe((e) => seen.push(e.event));
    await host.ready();

    await hostEngine.workflows.save('ws', waitThenSet);
    const ids = await Promise.all(
      Array.from({ length: 40 }, (_, n) => hostEngine.enqueue('ws', 'wf', { input: [{ json: { n } }] })),
    );
    const startsBy = [0, 0];
    engineA.events$.subscribe((e) => e.type === 'workflow:started' && startsBy[0]++);
    engineB.events$.subscribe((e) => e.type === 'workflow:started' && startsBy[1]++);
    const workers = [engineA, engineB].map((engine) => new Worker({ engine, concurrency: 4, idleWaitMs: 200 }));
    for (const w of workers) w.start();
    closers.unshift(async () => {
      for (const w of workers) await w.stop();
    });

    const end = Date.now() + 20_000;
    const completed = () => new Set(seen.filter((e) => e.type === 'workflow:completed').map((e) => e.executionId));
    while (completed().size < ids.length && Date.now() < end) await delay(20);
    expect(completed().size).toBe(ids.length);
    expect(startsBy[0]).toBeGreaterThan(0); // both workers took part
    expect(startsBy[1]).toBeGreaterThan(0);
    expect(startsBy[0] + startsBy[1]).toBeGreaterThanOrEqual(2 * ids.length); // a start and a resume each

    for (const [n, { executionId }] of ids.entries()) {
      const record = await executions.get('ws', executionId);
      expect(record?.status).toBe('succeeded');
      expect(record?.output?.main).toEqual([{ json: { n, ok: true } }]);
      // Per run (start, then resume after the wait) the events arrive in seq order.
      const mine = seen.filter((e) => e.executionId === executionId);
      const runs = new Map<number, number[]>();
      let run = -1;
      for (const e of mine) {
        if (e.type === 'workflow:started') run++;
        runs.set(run, [...(runs.get(run) ?? []), e.seq]);
      }
      for (const seqs of runs.values()) expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    expect(await engineA.queue.stats()).toMatchObject({ ready: 0, running: 0, delayed: 0, deadLetters: 0 });
  });
});
