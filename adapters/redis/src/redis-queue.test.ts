import { type ClaimedJob, type JobQueue, ManualClock, MemoryQueue, type QueueJob } from '@weft/engine';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, connect, delay, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisQueue } from './redis-queue.js';

const job = (executionId: string, extra: Partial<QueueJob> = {}): QueueJob => ({
  workspaceId: 'ws',
  executionId,
  kind: 'start',
  ...extra,
});

describe.skipIf(redisTarget.skip)(redisTarget.title('RedisQueue'), () => {
  let prefix: string;
  let redis: Redis;
  let clock: ManualClock;
  let queue: RedisQueue;
  const opened: RedisQueue[] = [];
  const open = (options: { clock?: ManualClock; name?: string } = {}) => {
    const q = new RedisQueue({ redis, prefix, ...options });
    opened.push(q);
    return q;
  };

  beforeEach(() => {
    prefix = randomPrefix();
    redis = connect(prefix);
    clock = new ManualClock(1_700_000_000_000);
    queue = open({ clock });
  });
  afterEach(async () => {
    for (const q of opened.splice(0)) await q.close();
    await cleanup(prefix, [redis]);
  });

  it('orders by priority (higher first, any finite number), then runAt, then enqueue order', async () => {
    await queue.enqueue(job('late-due'), { runAt: clock.now() - 10 });
    await queue.enqueue(job('p0-a'));
    await queue.enqueue(job('neg'), { priority: -2.5 });
    await queue.enqueue(job('early-due'), { runAt: clock.now() - 20 });
    await queue.enqueue(job('p7'), { priority: 7 });
    await queue.enqueue(job('p0.5'), { priority: 0.5 });
    const claimed = await queue.claim({ workerId: 'w', leaseMs: 1000, max: 10 });
    expect(claimed.map((c) => c.job.executionId)).toEqual(['p7', 'p0.5', 'early-due', 'late-due', 'p0-a', 'neg']);
  });

  it('keeps queues with different names apart', async () => {
    const other = open({ clock, name: 'other' });
    await other.enqueue(job('elsewhere'));
    expect(await queue.claim({ workerId: 'w', leaseMs: 1000, max: 10 })).toEqual([]);
    expect((await other.stats()).ready).toBe(1);
  });

  it('refuses to extend a lapsed lease but lets the old holder ack it until someone else claims it, like MemoryQueue', async () => {
    await queue.enqueue(job('ex1'));
    const [first] = (await queue.claim({ workerId: 'w1', leaseMs: 100, max: 1 })) as [ClaimedJob];
    expect(await queue.extend(first, 100)).toBe(true);
    await clock.advance(150);
    expect(await queue.stats()).toMatchObject({ ready: 1, running: 0 });
    expect(await queue.extend(first, 1000)).toBe(false);
    expect(await queue.stats()).toMatchObject({ ready: 1, running: 0 });
    await queue.ack(first);
    expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, running: 0, deadLetters: 0, oldestReadyAgeMs: 0 });
  });

  it('frees a dedupe key when the job is dead-lettered, and keeps the error of a retry', async () => {
    await queue.enqueue(job('ex1'), { dedupeKey: 'k' });
    const [c] = (await queue.claim({ workerId: 'w', leaseMs: 1000, max: 1 })) as [ClaimedJob];
    await queue.retry(c, { error: 'first failure', runAt: clock.now() + 500 });
    expect(await queue.enqueue(job('ex1'), { dedupeKey: 'k' })).toMatchObject({ duplicate: true });
    expect(await redis.hget(`${prefix}:{jobs}:job:${c.id}`, 'error')).toBe('first failure');
    await clock.advance(500);
    const [again] = (await queue.claim({ workerId: 'w', leaseMs: 1000, max: 1 })) as [ClaimedJob];
    await queue.deadLetter(again, 'gave up');
    expect(await queue.listDeadLetters()).toEqual([
      { id: c.id, job: job('ex1'), attempts: 2, error: 'gave up', failedAt: clock.now() },
    ]);
    expect(await queue.enqueue(job('ex1'), { dedupeKey: 'k' })).toMatchObject({ duplicate: false });
  });

  it('computes oldestReadyAgeMs across priorities, due delayed jobs and lapsed leases', async () => {
    const t0 = clock.now();
    await queue.enqueue(job('hi'), { priority: 5 });
    await clock.advance(10);
    await queue.enqueue(job('lo'), { priority: -5, runAt: t0 - 40 });
    await queue.enqueue(job('delayed'), { runAt: t0 + 100 });
    await clock.advance(200);
    expect(await queue.stats()).toEqual({ ready: 3, delayed: 0, running: 0, deadLetters: 0, oldestReadyAgeMs: 250 });
  });

  it('skips index entries whose job hash was deleted by hand instead of failing every claim', async () => {
    for (const [n, runAt] of [
      [1, undefined],
      [2, clock.now() + 10],
      [3, undefined],
      [4, undefined],
    ] as const) {
      await queue.enqueue(job(`ex${n}`), runAt ? { runAt } : {});
    }
    const [leased] = (await queue.claim({ workerId: 'w', leaseMs: 5, max: 1 })) as [ClaimedJob];
    await redis.del(`${prefix}:{jobs}:job:${leased.id}`, `${prefix}:{jobs}:job:2`, `${prefix}:{jobs}:job:3`);
    await clock.advance(20);
    expect(await queue.stats()).toMatchObject({ running: 0, delayed: 0 }); // counts index entries; must not fail
    const claimed = await queue.claim({ workerId: 'w', leaseMs: 1000, max: 10 });
    expect(claimed.map((c) => c.job.executionId)).toEqual(['ex4']);
    expect(await queue.stats()).toMatchObject({ ready: 0, running: 1, delayed: 0 });
  });

  it('rejects invalid arguments with errors that name the call', async () => {
    await expect(queue.enqueue(job('x'), { priority: Number.NaN })).rejects.toThrow(/RedisQueue.enqueue: priority/);
    await expect(queue.claim({ workerId: 'w', leaseMs: 0, max: 1 })).rejects.toThrow(/RedisQueue.claim: leaseMs/);
    expect(() => new RedisQueue({ redis, name: 'a{b}' })).toThrow(/braces/);
  });

  it('waitForJobs resolves at once when a job is ready, and when a delayed job falls due', async () => {
    const real = open();
    await real.enqueue(job('now'));
    let t = performance.now();
    await real.waitForJobs(5_000);
    expect(performance.now() - t).toBeLessThan(500);
    await real.claim({ workerId: 'w', leaseMs: 10_000, max: 10 });
    await real.enqueue(job('soon'), { runAt: Date.now() + 150 });
    t = performance.now();
    await real.waitForJobs(5_000);
    const waited = performance.now() - t;
    expect(waited).toBeGreaterThanOrEqual(100);
    expect(waited).toBeLessThan(1_500);
    expect((await real.claim({ workerId: 'w', leaseMs: 1000, max: 1 }))[0]?.job.executionId).toBe('soon');
  });

  it('wakes a waiter on enqueue from another instance, and on close', async () => {
    const waiting = open();
    const producer = open();
    await waiting.waitForJobs(10); // subscribes
    let t = performance.now();
    const woken = waiting.waitForJobs(10_000);
    await delay(30);
    await producer.enqueue(job('ex1'));
    await woken;
    expect(performance.now() - t).toBeLessThan(1_000);
    await waiting.claim({ workerId: 'w', leaseMs: 10_000, max: 1 });
    t = performance.now();
    const closing = waiting.waitForJobs(10_000);
    await delay(20);
    await waiting.close();
    await closing;
    expect(performance.now() - t).toBeLessThan(1_000);
  });

  it('behaves like MemoryQueue over random operation sequences (same clock)', async () => {
    type Op =
      | { op: 'enqueue'; n: number; priority: number; delayMs: number; dedupe: number }
      | { op: 'claim'; max: number; leaseMs: number }
      | { op: 'advance'; ms: number }
      | { op: 'ack' | 'retry' | 'extend' | 'dead'; pick: number; delayMs: number }
      | { op: 'replay' | 'discard'; pick: number }
      | { op: 'stats' | 'list' };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        op: fc.constant('enqueue' as const),
        n: fc.nat(1000),
        priority: fc.integer({ min: -2, max: 2 }),
        delayMs: fc.constantFrom(0, 0, 50, 300),
        dedupe: fc.integer({ min: -1, max: 2 }),
      }),
      fc.record({
        op: fc.constant('claim' as const),
        max: fc.integer({ min: 1, max: 3 }),
        leaseMs: fc.constantFrom(100, 1000),
      }),
      fc.record({ op: fc.constant('advance' as const), ms: fc.constantFrom(1, 60, 200, 1500) }),
      fc.record({
        op: fc.constantFrom('ack' as const, 'retry' as const, 'extend' as const, 'dead' as const),
        pick: fc.nat(20),
        delayMs: fc.constantFrom(0, 100),
      }),
      fc.record({ op: fc.constantFrom('replay' as const, 'discard' as const), pick: fc.nat(5) }),
      fc.record({ op: fc.constantFrom('stats' as const, 'list' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 60 }), async (ops) => {
        const modelClock = new ManualClock(1_700_000_000_000);
        const model = new MemoryQueue({ clock: modelClock });
        const runClock = new ManualClock(1_700_000_000_000);
        const real = new RedisQueue({ redis, prefix, name: randomPrefix(), clock: runClock });
        const held: [ClaimedJob[], ClaimedJob[]] = [[], []];
        const apply = async (q: JobQueue, side: 0 | 1, c: ManualClock, o: Op): Promise<unknown> => {
          const mine = held[side];
          switch (o.op) {
            case 'enqueue': {
              const r = await q.enqueue(job(`e${o.n}`), {
                ...(o.priority ? { priority: o.priority } : {}),
                ...(o.delayMs ? { runAt: c.now() + o.delayMs } : {}),
                ...(o.dedupe >= 0 ? { dedupeKey: `d${o.dedupe}` } : {}),
              });
              return r.duplicate;
            }
            case 'claim': {
              const got = await q.claim({ workerId: 'w', leaseMs: o.leaseMs, max: o.max });
              mine.push(...got);
              return got.map((g) => [g.job.executionId, g.attempt, g.leaseUntil]);
            }
            case 'advance':
              await c.advance(o.ms);
              return null;
            case 'ack':
            case 'retry':
            case 'extend':
            case 'dead': {
              const target = mine[o.pick % Math.max(1, mine.length)];
              if (!target) return null;
              if (o.op === 'ack') await q.ack(target);
              if (o.op === 'retry') await q.retry(target, { runAt: c.now() + o.delayMs });
              if (o.op === 'dead') await q.deadLetter(target, `dead ${target.job.executionId}`);
              return o.op === 'extend' ? q.extend(target, 500) : null;
            }
            case 'replay':
            case 'discard': {
              const dead = await q.listDeadLetters();
              const d = dead[o.pick % Math.max(1, dead.length)];
              if (!d) return null;
              return o.op === 'replay' ? q.replayDeadLetter(d.id) : q.discardDeadLetter(d.id);
            }
            case 'stats':
              return q.stats();
            case 'list':
              return (await q.listDeadLetters()).map((d) => [d.job.executionId, d.attempts, d.error, d.failedAt]);
          }
        };
        try {
          for (const [i, o] of ops.entries()) {
            const expected = await apply(model, 0, modelClock, o);
            const actual = await apply(real, 1, runClock, o);
            expect(actual, `step ${i}: ${JSON.stringify(o)}`).toEqual(expected);
          }
          expect(await real.stats()).toEqual(await model.stats());
        } finally {
          await real.close();
        }
      }),
      { numRuns: 150 },
    );
  });
});
