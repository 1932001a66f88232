import { describe, expect, it } from 'vitest';
import { createSqliteStorage } from './sqlite-storage.js';

describe('sqlite queue wake-ups', () => {
  it('wakes a long wait when a delayed job becomes due', async () => {
    const storage = await createSqliteStorage({ filename: ':memory:' });
    try {
      const runAt = Date.now() + 150;
      await storage.queue.enqueue({ workspaceId: 'ws', executionId: 'later', kind: 'resume' }, { runAt });
      await storage.queue.waitForJobs(5000);
      expect(Date.now()).toBeGreaterThanOrEqual(runAt);
      expect(Date.now()).toBeLessThan(runAt + 1500);
      expect(await storage.queue.claim({ workerId: 'w', leaseMs: 1000, max: 1 })).toHaveLength(1);
    } finally {
      await storage.close();
    }
  });

  it('returns at once when a job arrived between an empty claim and the wait', async () => {
    const storage = await createSqliteStorage({ filename: ':memory:' });
    try {
      expect(await storage.queue.claim({ workerId: 'w', leaseMs: 1000, max: 1 })).toEqual([]);
      await storage.queue.enqueue({ workspaceId: 'ws', executionId: 'e1', kind: 'start' });
      const t = Date.now();
      await storage.queue.waitForJobs(5000);
      expect(Date.now() - t).toBeLessThan(100);
    } finally {
      await storage.close();
    }
  });
});
