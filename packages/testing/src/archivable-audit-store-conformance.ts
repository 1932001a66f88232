import { randomUUID } from 'node:crypto';
import type { ArchivableAuditStore, AuditArchive, AuditHead, SealedAuditEntry } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Creates a store for one test; workspaces are fresh ids, so stores may be shared. */
export type ArchivableAuditStoreFactory = () => Promise<{ store: ArchivableAuditStore; cleanup?: () => Promise<void> }>;

/** An entry linked to `head` with a made-up hash (the store does not check hashes; verification does). */
function sealed(workspaceId: string, head: AuditHead, action = 'workflow.update'): SealedAuditEntry {
  const position = head.position + 1;
  return {
    workspaceId,
    actor: { type: 'user', id: 'usr_1' },
    action,
    resource: { type: 'workflow', id: 'wf_1' },
    outcome: 'success',
    at: 1_700_000_000_000 + position,
    ip: '203.0.113.7',
    userAgent: 'conformance',
    requestId: `req_${position}`,
    changes: { fields: ['nodes'] },
    position,
    prevHash: head.hash,
    hash: `${workspaceId}#${position}`,
  };
}

/**
 * The contract of an audit store that archives (`ArchivableAuditStore`): appends extend one chain
 * per workspace even when concurrent, head, list (newest first, filtered), walk and checkpoints
 * read back what was stored; archive statements are kept per workspace; `prune` refuses entries no
 * archive covers and deletes nothing then, deletes covered ones, and leaves the head, later entries
 * and other workspaces alone.
 *
 * @example
 * ```ts
 * describeArchivableAuditStoreConformance('memory', async () => ({ store: new MemoryAuditStore() }));
 * ```
 */
export function describeArchivableAuditStoreConformance(name: string, factory: ArchivableAuditStoreFactory): void {
  describe(`ArchivableAuditStore conformance: ${name}`, () => {
    let store: ArchivableAuditStore;
    let cleanup: (() => Promise<void>) | undefined;
    let ws: string;
    beforeEach(async () => {
      ({ store, cleanup } = await factory());
      ws = `ws-${randomUUID()}`;
    });
    afterEach(async () => {
      await cleanup?.();
    });

    const append = (workspaceId: string, action?: string) =>
      store.append(workspaceId, async (head) => sealed(workspaceId, head, action));
    const archive = (throughPosition: number): AuditArchive => ({
      workspaceId: ws,
      fromPosition: 1,
      throughPosition,
      throughHash: `${ws}#${throughPosition}`,
      location: `audit-archives/${ws}/1-${throughPosition}.json`,
      sha256: 'ab'.repeat(32),
      at: 1_700_000_100_000,
      keyId: 'ed1',
      signature: 'c2lnbmF0dXJl',
    });

    it('appends one chain per workspace, concurrent appends included, and reads it back', async () => {
      expect(await store.head(ws)).toEqual({ position: 0, hash: '' });
      await Promise.all(
        Array.from({ length: 12 }, (_, i) => append(ws, i % 2 ? 'workflow.update' : 'credential.test')),
      );
      const walked = await store.walk(ws, 0, 100);
      expect(walked.map((r) => r.position)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      for (let i = 1; i < walked.length; i++) {
        expect(walked[i]?.prevHash).toBe(walked[i - 1]?.hash);
        expect(walked[i]?.seq).toBeGreaterThan(walked[i - 1]?.seq as number);
      }
      expect(walked[0]).toMatchObject({
        actor: { type: 'user', id: 'usr_1' },
        resource: { type: 'workflow', id: 'wf_1' },
        ip: '203.0.113.7',
        changes: { fields: ['nodes'] },
      });
      expect(await store.head(ws)).toEqual({ position: 12, hash: `${ws}#12` });
      const other = `ws-${randomUUID()}`;
      await append(other);
      expect((await store.head(other)).position).toBe(1);
      expect(await store.workspaces()).toEqual(expect.arrayContaining([ws, other]));

      const newest = await store.list({ workspaceId: ws, limit: 3 });
      expect(newest.map((r) => r.position)).toEqual([12, 11, 10]);
      // Concurrent appends take positions in lock order: compare with what was walked.
      const tests = await store.list({ workspaceId: ws, action: 'credential.', limit: 100 });
      expect(tests.map((r) => r.position)).toEqual(
        walked
          .filter((r) => r.action === 'credential.test')
          .map((r) => r.position)
          .reverse(),
      );
      expect(tests).toHaveLength(6);
      const page = await store.list({ workspaceId: ws, limit: 2, before: newest[2]?.seq as number });
      expect(page.map((r) => r.position)).toEqual([9, 8]);
      expect(await store.walk(ws, walked[9]?.seq as number, 100)).toHaveLength(2);
    });

    it('keeps checkpoints and archive statements per workspace, by position', async () => {
      for (let i = 0; i < 4; i++) await append(ws);
      for (const position of [4, 2])
        await store.addCheckpoint({
          workspaceId: ws,
          position,
          hash: `${ws}#${position}`,
          at: 1,
          keyId: 'ed1',
          signature: 's',
        });
      expect((await store.checkpoints(ws)).map((c) => c.position)).toEqual([2, 4]);
      expect(await store.checkpoints(`ws-${randomUUID()}`)).toEqual([]);
      await store.addArchive(archive(3));
      await store.addArchive({ ...archive(4), fromPosition: 4 });
      expect(await store.archives(ws)).toEqual([archive(3), { ...archive(4), fromPosition: 4 }]);
      expect(await store.archives(`ws-${randomUUID()}`)).toEqual([]);
    });

    it('prunes only archived entries, leaving the head, later entries and other workspaces', async () => {
      const other = `ws-${randomUUID()}`;
      for (let i = 0; i < 5; i++) await append(ws);
      await append(other);
      await expect(store.prune(ws, 3)).rejects.toThrow();
      expect((await store.walk(ws, 0, 100)).map((r) => r.position)).toEqual([1, 2, 3, 4, 5]);

      await store.addArchive(archive(3));
      await expect(store.prune(ws, 4)).rejects.toThrow();
      expect(await store.walk(ws, 0, 100)).toHaveLength(5);
      expect(await store.prune(ws, 3)).toBe(3);
      expect((await store.walk(ws, 0, 100)).map((r) => r.position)).toEqual([4, 5]);
      expect(await store.head(ws)).toEqual({ position: 5, hash: `${ws}#5` });
      expect((await store.walk(other, 0, 100)).map((r) => r.position)).toEqual([1]);
      const next = await append(ws);
      expect(next).toMatchObject({ position: 6, prevHash: `${ws}#5` });
    });
  });
}
