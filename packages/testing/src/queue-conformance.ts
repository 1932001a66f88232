import type { ClaimedJob, JobQueue, QueueJob } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { delay } from './fixtures.js';
import type { QueueFactory } from './queue-factory.js';
import { describeQueueReliability } from './queue-reliability.js';

const job = (executionId: string, extra: Partial<QueueJob> = {}): QueueJob => ({
  workspaceId: 'ws-a',
  executionId,
  kind: 'start',
  ...extra,
});

/**
 * The contract every {@link JobQueue} must meet: leases (never two live holders, lapsed leases
 * handed out again with `attempt + 1`, stale tokens ignored), delays, priorities, dedupe keys,
 * dead letters, wake-ups and stats, plus reliability runs with many concurrent claimers.
 *
 * @example
 * ```ts
 * describeQueueConformance('memory', async () => ({ queue: new MemoryQueue() }));
 * ```
 */
export function describeQueueConformance(name: string, factory: QueueFactory): void {
  describe(`JobQueue conformance: ${name}`, () => {
    let queue: JobQueue;
    let cleanup: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      ({ queue, cleanup } = await factory());
    });
    afterEach(async () => {
      await queue.close();
      await cleanup?.();
    });
    const claimAll = async (leaseMs = 30_000, workerId = 'w1') => queue.claim({ workerId, leaseMs, max: 1000 });

    it('hands a job out once, with its payload, attempt and lease', async () => {
      const payload = { approval: { approved: true, by: 'ann' }, list: [1, 'two', null] };
      const { id, duplicate } = await queue.enqueue(job('ex1', { kind: 'resume', payload }));
      expect(duplicate).toBe(false);
      const before = Date.now();
      const [claimed, ...rest] = await queue.claim({ workerId: 'w1', leaseMs: 10_000, max: 5 });
      expect(rest).toEqual([]);
      expect(claimed?.id).toBe(id);
      expect(claimed?.job).toEqual(job('ex1', { kind: 'resume', payload }));
      expect(claimed?.attempt).toBe(1);
      expect(typeof claimed?.token).toBe('string');
      expect(claimed?.leaseUntil).toBeGreaterThanOrEqual(before + 10_000);
      expect(claimed?.leaseUntil).toBeLessThanOrEqual(Date.now() + 10_000);
      expect(await claimAll(10_000, 'w2')).toEqual([]);
    });

    it("carries a job's trace context beside its payload, also through dead letters", async () => {
      const trace = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: 'k=v' };
      // A payload shaped like a stored trace envelope still comes back exactly as enqueued.
      const lookalike = { 'weft:trace': { traceparent: 'x' } };
      await queue.enqueue(job('ex1', { trace }));
      await queue.enqueue(job('ex2', { trace, payload: [1, { a: 'b' }] }));
      await queue.enqueue(job('ex3', { payload: lookalike }));
      const claimed = await claimAll();
      const byId = (id: string) => claimed.find((c) => c.job.executionId === id)?.job;
      expect(byId('ex1')).toEqual(job('ex1', { trace }));
      expect(byId('ex2')).toEqual(job('ex2', { trace, payload: [1, { a: 'b' }] }));
      expect(byId('ex3')).toEqual(job('ex3', { payload: lookalike }));
      const first = claimed.find((c) => c.job.executionId === 'ex1') as ClaimedJob;
      await queue.deadLetter(first, 'failed');
      const [dead] = await queue.listDeadLetters();
      expect(dead?.job).toEqual(job('ex1', { trace }));
      expect(await queue.replayDeadLetter(dead?.id ?? '')).toBe(true);
      expect((await claimAll()).map((c) => c.job)).toEqual([job('ex1', { trace })]);
    });

    it('claims at most `max` jobs', async () => {
      for (let i = 0; i < 5; i++) await queue.enqueue(job(`ex${i}`));
      expect(await queue.claim({ workerId: 'w1', leaseMs: 10_000, max: 2 })).toHaveLength(2);
      expect(await queue.claim({ workerId: 'w1', leaseMs: 10_000, max: 10 })).toHaveLength(3);
    });

    it('orders by priority, then by time enqueued', async () => {
      await queue.enqueue(job('low-1'));
      await queue.enqueue(job('high'), { priority: 10 });
      await queue.enqueue(job('low-2'));
      await queue.enqueue(job('mid'), { priority: 5 });
      const order: string[] = [];
      for (let i = 0; i < 4; i++) {
        const [c] = await queue.claim({ workerId: 'w', leaseMs: 10_000, max: 1 });
        if (c) order.push(c.job.executionId);
      }
      expect(order).toEqual(['high', 'mid', 'low-1', 'low-2']);
    });

    it('knows which dedupe keys have a live job: queued, delayed or leased, not acked or dead', async () => {
      expect(await queue.hasJob('k-a')).toBe(false);
      await queue.enqueue(job('a'), { dedupeKey: 'k-a' });
      await queue.enqueue(job('b'), { dedupeKey: 'k-b' });
      await queue.enqueue(job('later'), { dedupeKey: 'k-later', runAt: Date.now() + 60_000 });
      expect(await queue.hasJob('k-later')).toBe(true);
      const claimed = await queue.claim({ workerId: 'w', leaseMs: 10_000, max: 2 });
      expect(claimed).toHaveLength(2);
      expect(await queue.hasJob('k-a')).toBe(true);
      const a = claimed.find((c) => c.job.executionId === 'a') as ClaimedJob;
      const b = claimed.find((c) => c.job.executionId === 'b') as ClaimedJob;
      await queue.ack(a);
      await queue.deadLetter(b, 'boom');
      expect(await queue.hasJob('k-a')).toBe(false);
      expect(await queue.hasJob('k-b')).toBe(false);
      expect(await queue.hasJob('k-later')).toBe(true);
    });

    it('holds delayed jobs until runAt', async () => {
      await queue.enqueue(job('later'), { runAt: Date.now() + 250 });
      expect(await claimAll()).toEqual([]);
      expect((await queue.stats()).delayed).toBe(1);
      await delay(300);
      expect((await claimAll()).map((c) => c.job.executionId)).toEqual(['later']);
    });

    it('hands a lapsed lease out again with attempt + 1 and ignores the stale token', async () => {
      await queue.enqueue(job('ex1'));
      const [first] = (await queue.claim({ workerId: 'dies', leaseMs: 250, max: 1 })) as [ClaimedJob];
      expect(await claimAll(250, 'w2')).toEqual([]);
      await delay(350);
      const [second] = (await queue.claim({ workerId: 'w2', leaseMs: 10_000, max: 1 })) as [ClaimedJob];
      expect(second.id).toBe(first.id);
      expect(second.attempt).toBe(2);
      expect(second.token).not.toBe(first.token);
      expect(await queue.extend(first, 10_000)).toBe(false);
      await queue.ack(first);
      await queue.retry(first);
      await queue.deadLetter(first, 'stale');
      expect((await queue.stats()).running).toBe(1);
      expect(await queue.listDeadLetters()).toEqual([]);
      expect(await queue.extend(second, 10_000)).toBe(true);
      await queue.ack(second);
      expect(await queue.stats()).toMatchObject({ ready: 0, running: 0, delayed: 0 });
    });

    it('extends a live lease so it does not lapse', async () => {
      await queue.enqueue(job('ex1'));
      const [c] = (await queue.claim({ workerId: 'w1', leaseMs: 300, max: 1 })) as [ClaimedJob];
      expect(await queue.extend(c, 5_000)).toBe(true);
      await delay(450);
      expect(await claimAll(1000, 'w2')).toEqual([]);
      await queue.ack(c);
      expect(await queue.extend(c, 5_000)).toBe(false);
    });

    it('retries a job now or later, counting attempts', async () => {
      await queue.enqueue(job('ex1'));
      const [c1] = (await claimAll()) as [ClaimedJob];
      await queue.retry(c1, { error: 'flaky' });
      const [c2] = (await claimAll()) as [ClaimedJob];
      expect(c2.id).toBe(c1.id);
      expect(c2.attempt).toBe(2);
      await queue.retry(c2, { runAt: Date.now() + 200 });
      expect(await claimAll()).toEqual([]);
      expect((await queue.stats()).delayed).toBe(1);
      await delay(250);
      expect((await claimAll())[0]?.attempt).toBe(3);
    });

    it('ignores a second enqueue with the same dedupe key while the first is queued or running', async () => {
      const a = await queue.enqueue(job('ex1'), { dedupeKey: 'exec:ex1' });
      expect(await queue.enqueue(job('ex1'), { dedupeKey: 'exec:ex1' })).toEqual({ id: a.id, duplicate: true });
      const [c] = (await claimAll()) as [ClaimedJob];
      expect(await queue.enqueue(job('ex1'), { dedupeKey: 'exec:ex1' })).toEqual({ id: a.id, duplicate: true });
      expect((await queue.enqueue(job('ex2'), { dedupeKey: 'exec:ex2' })).duplicate).toBe(false);
      await queue.ack(c);
      const again = await queue.enqueue(job('ex1'), { dedupeKey: 'exec:ex1' });
      expect(again.duplicate).toBe(false);
      expect(again.id).not.toBe(a.id);
    });

    it('keeps dead letters to list, replay and discard', async () => {
      await queue.enqueue(job('ex1', { payload: { n: 1 } }));
      await queue.enqueue(job('ex2'));
      const claimed = await claimAll();
      expect(claimed).toHaveLength(2);
      for (const c of claimed) await queue.deadLetter(c, `failed ${c.job.executionId}`);
      expect(await claimAll()).toEqual([]);
      const dead = await queue.listDeadLetters();
      expect(dead).toHaveLength(2);
      const d1 = dead.find((d) => d.job.executionId === 'ex1');
      expect(d1).toMatchObject({ job: job('ex1', { payload: { n: 1 } }), attempts: 1, error: 'failed ex1' });
      expect(typeof d1?.failedAt).toBe('number');
      expect(await queue.listDeadLetters({ limit: 1 })).toHaveLength(1);
      expect((await queue.stats()).deadLetters).toBe(2);
      expect(await queue.replayDeadLetter(d1?.id ?? '')).toBe(true);
      expect(await queue.replayDeadLetter(d1?.id ?? '')).toBe(false);
      const replayed = await claimAll();
      expect(replayed.map((c) => c.job)).toEqual([job('ex1', { payload: { n: 1 } })]);
      const d2 = (await queue.listDeadLetters())[0];
      expect(await queue.discardDeadLetter(d2?.id ?? '')).toBe(true);
      expect(await queue.discardDeadLetter(d2?.id ?? '')).toBe(false);
      expect(await queue.listDeadLetters()).toEqual([]);
    });

    it('wakes a waiting worker on enqueue, and otherwise after the timeout or abort', async () => {
      let t = Date.now();
      await queue.waitForJobs(100);
      expect(Date.now() - t).toBeGreaterThanOrEqual(90);
      const controller = new AbortController();
      t = Date.now();
      const aborted = queue.waitForJobs(10_000, controller.signal);
      setTimeout(() => controller.abort(), 30);
      await aborted;
      expect(Date.now() - t).toBeLessThan(2_000);
      t = Date.now();
      const woken = queue.waitForJobs(10_000);
      await delay(20);
      await queue.enqueue(job('ex1'));
      await woken;
      expect(Date.now() - t).toBeLessThan(2_000);
    });

    it('reports stats', async () => {
      expect(await queue.stats()).toEqual({ ready: 0, delayed: 0, running: 0, deadLetters: 0, oldestReadyAgeMs: 0 });
      await queue.enqueue(job('a'));
      await queue.enqueue(job('b'));
      await queue.enqueue(job('c'), { runAt: Date.now() + 60_000 });
      await delay(30);
      const [c] = (await queue.claim({ workerId: 'w', leaseMs: 10_000, max: 1 })) as [ClaimedJob];
      const s = await queue.stats();
      expect(s).toMatchObject({ ready: 1, delayed: 1, running: 1, deadLetters: 0 });
      expect(s.oldestReadyAgeMs).toBeGreaterThanOrEqual(20);
      await queue.deadLetter(c, 'x');
      expect((await queue.stats()).deadLetters).toBe(1);
    });

    it('never gives one job to two of many concurrent claimers', async () => {
      const total = 300;
      await Promise.all(Array.from({ length: total }, (_, i) => queue.enqueue(job(`ex${i}`))));
      const seen: string[] = [];
      await Promise.all(
        Array.from({ length: 12 }, async (_, w) => {
          for (;;) {
            const got = await queue.claim({ workerId: `w${w}`, leaseMs: 30_000, max: 7 });
            if (got.length === 0) break;
            for (const c of got) seen.push(c.id);
            await Promise.all(got.map((c) => queue.ack(c)));
          }
        }),
      );
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
      expect(await queue.stats()).toMatchObject({ ready: 0, running: 0 });
    });

    describeQueueReliability(factory);
  });
}
