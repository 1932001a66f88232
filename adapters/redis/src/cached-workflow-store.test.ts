import { MemoryWorkflowStore, type StoredWorkflow, type WorkflowStore } from '@weft/engine';
import { describeWorkflowStoreConformance, sampleWorkflow } from '@weft/testing';
import type { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachedWorkflowStore } from './cached-workflow-store.js';
import { cleanup, connect, randomPrefix, redisTarget } from './redis.test-support.js';
import { RedisCache } from './redis-cache.js';

/** Counts the reads that reach the wrapped store. */
class CountingStore extends MemoryWorkflowStore {
  reads = 0;
  override async get(workspaceId: string, workflowId: string): Promise<StoredWorkflow | undefined> {
    this.reads++;
    return super.get(workspaceId, workflowId);
  }
  override async getVersion(ws: string, id: string, version: number): Promise<StoredWorkflow | undefined> {
    this.reads++;
    return super.getVersion(ws, id, version);
  }
}

describe.skipIf(redisTarget.skip)(redisTarget.title('CachedWorkflowStore'), () => {
  describeWorkflowStoreConformance('memory behind a RedisCache', async () => {
    const prefix = randomPrefix();
    const redis = connect(prefix);
    const store = new CachedWorkflowStore(new MemoryWorkflowStore(), new RedisCache({ redis, prefix }));
    return { store, cleanup: () => cleanup(prefix, [redis]) };
  });

  describe('caching', () => {
    let prefix: string;
    let clients: Redis[];
    let backing: CountingStore;
    const open = (): WorkflowStore => {
      const redis = connect(prefix);
      clients.push(redis);
      return new CachedWorkflowStore(backing, new RedisCache({ redis, prefix }));
    };
    beforeEach(() => {
      prefix = randomPrefix();
      clients = [];
      backing = new CountingStore();
    });
    afterEach(() => cleanup(prefix, clients));

    it('serves repeated reads from Redis, for every process', async () => {
      const a = open();
      const b = open();
      await a.save('ws', sampleWorkflow('wf1'));
      expect((await a.get('ws', 'wf1'))?.version).toBe(1);
      expect((await b.get('ws', 'wf1'))?.version).toBe(1);
      expect((await b.getVersion('ws', 'wf1', 1))?.workflow.name).toBe('Workflow wf1');
      expect((await a.getVersion('ws', 'wf1', 1))?.workflow.name).toBe('Workflow wf1');
      expect(backing.reads).toBe(2);
    });

    it('drops the cached workflow in every process on save, setActive and delete', async () => {
      const writer = open();
      const reader = open();
      await writer.save('ws', sampleWorkflow('wf1', 'one'));
      expect((await reader.get('ws', 'wf1'))?.workflow.name).toBe('one');
      await writer.save('ws', sampleWorkflow('wf1', 'two'));
      expect((await reader.get('ws', 'wf1'))?.workflow.name).toBe('two');
      expect((await reader.get('ws', 'wf1'))?.active).toBe(false);
      await writer.setActive('ws', 'wf1', true);
      expect((await reader.get('ws', 'wf1'))?.active).toBe(true);
      expect(await reader.getVersion('ws', 'wf1', 1)).toBeDefined();
      await writer.delete('ws', 'wf1');
      expect(await reader.get('ws', 'wf1')).toBeUndefined();
      expect(await reader.getVersion('ws', 'wf1', 1)).toBeUndefined();
    });

    it('keeps workspaces and ids with separators apart', async () => {
      const s = open();
      await s.save('a:b', sampleWorkflow('c', 'first'));
      await s.save('a', sampleWorkflow('b:c', 'second'));
      expect((await s.get('a:b', 'c'))?.workflow.name).toBe('first');
      expect((await s.get('a', 'b:c'))?.workflow.name).toBe('second');
    });
  });
});
