import type { WorkflowStore } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleWorkflow } from './fixtures.js';

/** Creates a fresh, empty store for one test and says how to dispose of it. */
export type WorkflowStoreFactory = () => Promise<{ store: WorkflowStore; cleanup?: () => Promise<void> }>;

/**
 * The contract every {@link WorkflowStore} must meet: immutable, increasing versions, the active
 * flag, newest-first listing with cursor pagination, and workspace scoping.
 *
 * @example
 * ```ts
 * describeWorkflowStoreConformance('memory', async () => ({ store: new MemoryWorkflowStore() }));
 * ```
 */
export function describeWorkflowStoreConformance(name: string, factory: WorkflowStoreFactory): void {
  describe(`WorkflowStore conformance: ${name}`, () => {
    let store: WorkflowStore;
    let cleanup: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('saves new versions without changing earlier ones', async () => {
      const v1 = await store.save('ws-a', sampleWorkflow('wf1', 'First'));
      const v2 = await store.save('ws-a', { ...sampleWorkflow('wf1', 'Second'), description: 'changed' });
      expect(v1.version).toBe(1);
      expect(v2.version).toBe(2);
      expect(v2.workflow.version).toBe(2);
      const pinned = await store.getVersion('ws-a', 'wf1', 1);
      expect(pinned?.workflow).toEqual({ ...sampleWorkflow('wf1', 'First'), version: 1 });
      expect(pinned?.workspaceId).toBe('ws-a');
      expect(typeof pinned?.createdAt).toBe('number');
      const latest = await store.get('ws-a', 'wf1');
      expect(latest?.version).toBe(2);
      expect(latest?.workflow.name).toBe('Second');
      expect(latest?.workflow.description).toBe('changed');
      expect(await store.getVersion('ws-a', 'wf1', 3)).toBeUndefined();
    });

    it('hands out distinct, increasing versions to concurrent saves', async () => {
      const saved = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.save('ws-a', sampleWorkflow('wf1', `v${i}`))),
      );
      expect(saved.map((s) => s.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect((await store.get('ws-a', 'wf1'))?.version).toBe(8);
    });

    it('keeps the active flag across new versions', async () => {
      await store.save('ws-a', sampleWorkflow('wf1'));
      expect((await store.get('ws-a', 'wf1'))?.active).toBe(false);
      await store.setActive('ws-a', 'wf1', true);
      expect((await store.get('ws-a', 'wf1'))?.active).toBe(true);
      const v2 = await store.save('ws-a', sampleWorkflow('wf1'));
      expect(v2.active).toBe(true);
      await store.setActive('ws-a', 'wf1', false);
      expect((await store.list('ws-a')).items[0]?.active).toBe(false);
      await expect(store.setActive('ws-a', 'missing', true)).rejects.toThrow(/missing/);
    });

    it('lists the latest version of each workflow, newest first, page by page', async () => {
      for (let i = 0; i < 7; i++) await store.save('ws-a', sampleWorkflow(`wf${i}`));
      await store.save('ws-a', sampleWorkflow('wf2', 'resaved'));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list('ws-a', { limit: 3, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items.map((w) => w.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual(['wf2', 'wf6', 'wf5', 'wf4', 'wf3', 'wf1', 'wf0']);
      const first = await store.list('ws-a', { limit: 1 });
      expect(first.items[0]).toMatchObject({ id: 'wf2', version: 2, workflow: { name: 'resaved' } });
      expect((await store.list('ws-a')).nextCursor).toBeUndefined();
    });

    it('scopes everything to the workspace', async () => {
      await store.save('ws-a', sampleWorkflow('wf1'));
      await store.save('ws-b', sampleWorkflow('wf1', 'other tenant'));
      expect((await store.get('ws-b', 'wf1'))?.workflow.name).toBe('other tenant');
      expect((await store.get('ws-b', 'wf1'))?.version).toBe(1);
      expect(await store.get('ws-c', 'wf1')).toBeUndefined();
      expect(await store.getVersion('ws-c', 'wf1', 1)).toBeUndefined();
      expect((await store.list('ws-c')).items).toEqual([]);
      await expect(store.setActive('ws-c', 'wf1', true)).rejects.toThrow();
      expect(await store.delete('ws-c', 'wf1')).toBe(false);
      expect(await store.get('ws-a', 'wf1')).toBeDefined();
    });

    it('deletes a workflow with all its versions', async () => {
      await store.save('ws-a', sampleWorkflow('wf1'));
      await store.save('ws-a', sampleWorkflow('wf1'));
      await store.save('ws-b', sampleWorkflow('wf1'));
      expect(await store.delete('ws-a', 'wf1')).toBe(true);
      expect(await store.get('ws-a', 'wf1')).toBeUndefined();
      expect(await store.getVersion('ws-a', 'wf1', 1)).toBeUndefined();
      expect(await store.delete('ws-a', 'wf1')).toBe(false);
      expect((await store.get('ws-b', 'wf1'))?.version).toBe(1);
      expect((await store.save('ws-a', sampleWorkflow('wf1'))).version).toBe(1);
    });
  });
}
