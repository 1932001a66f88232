import type { ClaimedJob } from '@weft/engine';
import type { Redis, RedisOptions } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, connect, delay, killConnections, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisQueue } from './redis-queue.js';

interface Run {
  /** executionId -> attempts with which its work was done (recorded before the ack, which may fail). */
  acked: Map<string, number[]>;
  /** Job id -> lease end, while a worker of this run holds it: no one else may claim it before then. */
  holding: Map<string, number>;
  doubleHeld: string[];
  errors: number;
}

/** A worker loop like the engine's: claim, "work", ack; on Redis errors, pause and go on. */
async function work(queue: RedisQueue, name: string, run: Run, until: () => boolean, leaseMs: number) {
  while (!until()) {
    let claimed: ClaimedJob[] = [];
    try {
      claimed = await queue.claim({ workerId: name, leaseMs, max: 5 });
      if (claimed.length === 0) {
        await queue.waitForJobs(200);
        continue;
      }
      for (const c of claimed) {
        const previous = run.holding.get(c.id);
        if (previous !== undefined && previous > Date.now()) run.doubleHeld.push(c.id);
        run.holding.set(c.id, c.leaseUntil);
      }
      await delay(Math.random() * 3);
      for (const c of claimed) {
        run.holding.delete(c.id);
        run.acked.set(c.job.executionId, [...(run.acked.get(c.job.executionId) ?? []), c.attempt]);
        await queue.ack(c);
      }
    } catch {
      run.errors++;
      for (const c of claimed) run.holding.delete(c.id);
      await delay(20);
    }
  }
}

describe.skipIf(redisTarget.skip)(redisTarget.title('RedisQueue under concurrency and faults'), () => {
  let prefix: string;
  let clients: Redis[];
  const open = (options: RedisOptions = {}) => {
    const redis = connect(prefix, options);
    clients.push(redis);
    return new RedisQueue({ redis, prefix });
  };
  const queues: RedisQueue[] = [];
  const newRun = (): Run => ({ acked: new Map(), holding: new Map(), doubleHeld: [], errors: 0 });

  beforeEach(() => {
    prefix = randomPrefix();
    clients = [];
  });
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.close();
    await cleanup(prefix, clients);
  });

  it('six instances on separate connections share 600 jobs without claiming any twice', async () => {
    const producer = open();
    const workers = Array.from({ length: 6 }, open);
    queues.push(producer, ...workers);
    const total = 600;
    const run = newRun();
    const done = () => run.acked.size >= total;
    const loops = workers.map((q, i) => work(q, `w${i}`, run, done, 30_000));
    for (let i = 0; i < total; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, j) =>
          producer.enqueue({ workspaceId: 'ws', executionId: `ex${i + j}`, kind: 'start' }),
        ),
      );
    }
    await Promise.all(loops);
    expect(run.doubleHeld).toEqual([]);
    expect(run.errors).toBe(0);
    expect(run.acked.size).toBe(total);
    expect([...run.acked.values()].every((attempts) => attempts.length === 1 && attempts[0] === 1)).toBe(true);
    expect(await producer.stats()).toEqual({ ready: 0, delayed: 0, running: 0, deadLetters: 0, oldestReadyAgeMs: 0 });
  });

  it('gives the jobs of a worker that died (leases lapse) to a live one, with attempt + 1', async () => {
    const dead = open();
    const live = open();
    queues.push(dead, live);
    for (let i = 0; i < 20; i++) await dead.enqueue({ workspaceId: 'ws', executionId: `ex${i}`, kind: 'start' });
    const lost = await dead.claim({ workerId: 'dies', leaseMs: 150, max: 20 });
    expect(lost).toHaveLength(20);
    // The process is gone, as after kill -9: its sockets close and its leases are never extended.
    (clients[0] as Redis).disconnect();
    await dead.close();
    const run = newRun();
    const t0 = Date.now();
    await work(live, 'live', run, () => run.acked.size >= 20, 10_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    expect([...run.acked.values()]).toEqual(Array.from({ length: 20 }, () => [2]));
    for (const stale of lost) expect(await live.extend(stale, 1000)).toBe(false);
  });

  it('reloads its scripts when the server forgot them (SCRIPT FLUSH, as after a restart)', async () => {
    const queue = open();
    queues.push(queue);
    await queue.enqueue({ workspaceId: 'ws', executionId: 'before', kind: 'start' });
    await (clients[0] as Redis).script('FLUSH');
    await queue.enqueue({ workspaceId: 'ws', executionId: 'after', kind: 'start' });
    const claimed = await queue.claim({ workerId: 'w', leaseMs: 1000, max: 5 });
    expect(claimed.map((c) => c.job.executionId)).toEqual(['before', 'after']);
  });

  it('survives its connections being killed mid-run (CLIENT KILL) without losing a job', async () => {
    // One worker lets ioredis re-send commands that were in flight when its connection died (the
    // default: a claim may run twice, its first leases lapse); the other drops them and times out
    // (`commandTimeout`), so it sees errors mid-claim and mid-ack. Neither may lose a job.
    const producer = open();
    const workers = [open(), open({ autoResendUnfulfilledCommands: false, commandTimeout: 1000 })];
    queues.push(producer, ...workers);
    const total = 400;
    const run = newRun();
    // Done when every job ran and the queue is empty: an ack that timed out on the client may
    // still have been applied, or its lease lapses and the job runs again.
    let drained = false;
    const done = () => run.acked.size >= total && drained;
    const loops = workers.map((q, i) => work(q, `w${i}`, run, done, 500));
    const monitor = (async () => {
      while (!drained) {
        await delay(100);
        const s = await producer.stats();
        drained = run.acked.size >= total && s.ready + s.running + s.delayed === 0;
      }
    })();
    let killed = 0;
    for (let i = 0; i < total; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          producer.enqueue({ workspaceId: 'ws', executionId: `ex${i + j}`, kind: 'start' }),
        ),
      );
      if (i % 40 === 20) {
        killed += await killConnections(prefix);
        await delay(60); // ioredis reconnects after 50 ms; kill live connections, not reconnecting ones
      }
      await delay(5);
    }
    await Promise.all([...loops, monitor]);
    expect(killed).toBeGreaterThanOrEqual(3 * 10); // producer, two workers (and subscribers), ten times
    expect(run.doubleHeld).toEqual([]);
    expect(run.acked.size).toBe(total);
    // At-least-once: an ack whose reply was lost leaves the lease to lapse, and the job runs again.
    const reruns = [...run.acked.values()].filter((attempts) => attempts.length > 1);
    for (const attempts of reruns) expect(Math.max(...attempts)).toBeGreaterThan(1);
    expect(await producer.stats()).toMatchObject({ ready: 0, delayed: 0, running: 0 });
  });
});
