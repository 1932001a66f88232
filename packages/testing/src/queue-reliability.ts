import type { ClaimedJob, JobQueue } from '@weft/engine';
import { expect, it } from 'vitest';
import { delay } from './fixtures.js';
import type { QueueFactory } from './queue-factory.js';

/**
 * Two queue instances over the same data (two connections to one database): concurrent claimers
 * on both never hold one job at once, and a lease that lapses on one is picked up by the other.
 * Registered by {@link describeQueueConformance}; skipped when the factory has no `connectPeer`.
 *
 * @example
 * ```ts
 * describeQueueReliability(async () => ({ queue: a, connectPeer: async () => b }));
 * ```
 */
export function describeQueueReliability(factory: QueueFactory): void {
  const withPeer = async (skip: () => void, body: (a: JobQueue, b: JobQueue) => Promise<void>): Promise<void> => {
    const { queue, cleanup, connectPeer } = await factory();
    try {
      if (!connectPeer) {
        skip();
        return;
      }
      const peer = await connectPeer();
      try {
        await body(queue, peer);
      } finally {
        await peer.close();
      }
    } finally {
      await queue.close();
      await cleanup?.();
    }
  };

  it('two instances on one database never both claim a job', async (ctx) => {
    await withPeer(
      () => ctx.skip('backend has no second instance over the same data'),
      async (a, b) => {
        const total = 400;
        for (let i = 0; i < total; i += 50) {
          await Promise.all(
            Array.from({ length: 50 }, (_, j) =>
              (j % 2 ? a : b).enqueue({ workspaceId: 'ws', executionId: `ex${i + j}`, kind: 'start' }),
            ),
          );
        }
        const seen = new Map<string, number>();
        const worker = async (q: JobQueue, name: string) => {
          let idle = 0;
          while (idle < 3) {
            const got = await q.claim({ workerId: name, leaseMs: 30_000, max: 5 });
            if (got.length === 0) {
              idle++;
              await delay(5);
              continue;
            }
            idle = 0;
            for (const c of got) seen.set(c.id, (seen.get(c.id) ?? 0) + 1);
            await Promise.all(got.map((c) => q.ack(c)));
          }
        };
        await Promise.all([0, 1, 2, 3].flatMap((i) => [worker(a, `a${i}`), worker(b, `b${i}`)]));
        expect(seen.size).toBe(total);
        expect([...seen.values()].every((n) => n === 1)).toBe(true);
        expect(await a.stats()).toMatchObject({ ready: 0, running: 0 });
      },
    );
  });

  it('a lease that lapses on one instance is reclaimed by the other', async (ctx) => {
    await withPeer(
      () => ctx.skip('backend has no second instance over the same data'),
      async (a, b) => {
        await a.enqueue({ workspaceId: 'ws', executionId: 'ex1', kind: 'start' });
        const [lost] = (await a.claim({ workerId: 'crashed', leaseMs: 250, max: 1 })) as [ClaimedJob];
        expect(await b.claim({ workerId: 'b', leaseMs: 1000, max: 1 })).toEqual([]);
        await delay(350);
        const [taken] = (await b.claim({ workerId: 'b', leaseMs: 10_000, max: 1 })) as [ClaimedJob];
        expect(taken.id).toBe(lost.id);
        expect(taken.attempt).toBe(2);
        expect(await a.extend(lost, 10_000)).toBe(false);
        await a.ack(lost);
        expect((await b.stats()).running).toBe(1);
        await b.ack(taken);
        expect(await a.stats()).toMatchObject({ ready: 0, running: 0 });
      },
    );
  });
}
