import { randomBytes } from 'node:crypto';
import { MemoryQueue } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { ErrorSealingQueue, SEALED_TEXT_PREFIX } from './error-sealing-queue.js';
import { importSubjectKey, type SubjectKey } from './sealed-payload.js';
import type { SubjectKeys } from './subject-sealing-store.js';

/** Keys in a map: `sealed` executions are bound to key k1 (what the host's payload key would be). */
function keysFor(sealed: string[]): SubjectKeys & { destroy(): void } {
  const keys = new Map<string, SubjectKey>([['k1', importSubjectKey(randomBytes(32))]]);
  return {
    keyFor: async () => ({ keyId: 'k1', key: keys.get('k1') as SubjectKey }),
    key: async (keyId) => keys.get(keyId),
    bindExecution: async () => {},
    executionKey: async (id) => (sealed.includes(id) ? 'k1' : null),
    destroy: () => void keys.delete('k1'),
  };
}

const claimOne = async (q: ErrorSealingQueue) => {
  const [job] = await q.claim({ workerId: 'w', leaseMs: 60_000, max: 1 });
  if (!job) throw new Error('no job to claim');
  return job;
};

describe('ErrorSealingQueue', () => {
  it('stores the dead-letter error of a sealed execution encrypted and lists it opened', async () => {
    const inner = new MemoryQueue();
    const keys = keysFor(['ex_sealed']);
    const q = new ErrorSealingQueue(inner, keys);
    await q.enqueue({ workspaceId: 'ws', executionId: 'ex_sealed', kind: 'start' });
    await q.enqueue({ workspaceId: 'ws', executionId: 'ex_plain', kind: 'start' });
    for (let i = 0; i < 2; i++) {
      const job = await claimOne(q);
      await q.deadLetter(job, `no customer ada@example.org (${job.job.executionId})`);
    }
    const stored = await inner.listDeadLetters();
    const sealed = stored.find((d) => d.job.executionId === 'ex_sealed');
    expect(sealed?.error.startsWith(SEALED_TEXT_PREFIX)).toBe(true);
    expect(sealed?.error).not.toContain('ada@');
    expect(stored.find((d) => d.job.executionId === 'ex_plain')?.error).toBe('no customer ada@example.org (ex_plain)');
    const listed = await q.listDeadLetters();
    expect(listed.map((d) => d.error).sort()).toEqual([
      'no customer ada@example.org (ex_plain)',
      'no customer ada@example.org (ex_sealed)',
    ]);
    keys.destroy();
    expect((await q.listDeadLetters()).find((d) => d.job.executionId === 'ex_sealed')?.error).toBe('[erased]');
  });

  it('seals the error a retry stores and passes retries without an error through', async () => {
    const stored: (string | undefined)[] = [];
    const inner = new MemoryQueue();
    const retry = inner.retry.bind(inner);
    inner.retry = async (job, options) => {
      stored.push(options?.error);
      return retry(job, options);
    };
    const q = new ErrorSealingQueue(inner, keysFor(['ex_1']));
    await q.enqueue({ workspaceId: 'ws', executionId: 'ex_1', kind: 'start' });
    await q.retry(await claimOne(q), { error: 'store refused ada@example.org' });
    await q.retry(await claimOne(q));
    expect(stored[0]?.startsWith(SEALED_TEXT_PREFIX)).toBe(true);
    expect(stored[0]).not.toContain('ada@');
    expect(await q.openText(stored[0] as string)).toBe('store refused ada@example.org');
    expect(stored[1]).toBeUndefined();
    expect(await q.openText('plain text')).toBe('plain text');
  });
});
