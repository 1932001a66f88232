import { randomUUID } from 'node:crypto';
import type { SubjectKeyRow, SubjectKeyStore } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** Creates a store for one test; workspaces and key ids are fresh, so stores may be shared. */
export type SubjectKeyStoreFactory = () => Promise<{ store: SubjectKeyStore; cleanup?: () => Promise<void> }>;

/**
 * The contract of a store of wrapped per-subject data keys (`SubjectKeyStore`): one key per
 * workspace and subject hash (a second insert answers the first key), reads by id and subject,
 * rotation reads keys not wrapped by a master key in key-id pages and rewraps only from the
 * expected master key, an execution is bound to one key, and `destroy` (erasure) removes the key
 * and its bindings and nothing of other keys or workspaces.
 *
 * @example
 * ```ts
 * describeSubjectKeyStoreConformance('memory', async () => ({ store: new MemorySubjectKeyStore() }));
 * ```
 */
export function describeSubjectKeyStoreConformance(name: string, factory: SubjectKeyStoreFactory): void {
  describe(`SubjectKeyStore conformance: ${name}`, () => {
    let store: SubjectKeyStore;
    let cleanup: (() => Promise<void>) | undefined;
    let ws: string;
    let tag: string;
    beforeEach(async () => {
      ({ store, cleanup } = await factory());
      ws = `ws-${randomUUID()}`;
      tag = randomUUID();
    });
    afterEach(async () => {
      await cleanup?.();
    });

    const row = (n: number, over: Partial<SubjectKeyRow> = {}): SubjectKeyRow => ({
      keyId: `sk_${tag}_${n}`,
      workspaceId: ws,
      subjectHash: `hash-${n}`,
      masterKeyId: 'k1',
      wrappedKey: `iv.tag.wrapped-${n}`,
      createdAt: 1_700_000_000_000 + n,
      ...over,
    });

    it('keeps one key per workspace and subject, readable by id and by subject', async () => {
      expect(await store.insert(row(1))).toEqual(row(1));
      // A racing second writer for the same subject gets the first key.
      expect(await store.insert(row(2, { subjectHash: 'hash-1' }))).toEqual(row(1));
      expect(await store.byId(row(2).keyId)).toBeUndefined();
      expect(await store.bySubject(ws, 'hash-1')).toEqual(row(1));
      expect(await store.byId(row(1).keyId)).toEqual(row(1));
      expect(await store.bySubject(`ws-${randomUUID()}`, 'hash-1')).toBeUndefined();
      const elsewhere = row(3, { workspaceId: `ws-${randomUUID()}`, subjectHash: 'hash-1' });
      expect(await store.insert(elsewhere)).toEqual(elsewhere);
    });

    it('pages keys to rotate in key-id order and rewraps only from the expected master key', async () => {
      for (const n of [3, 1, 2]) await store.insert(row(n));
      await store.insert(row(4, { masterKeyId: `k2-${tag}` }));
      const mine = (rows: SubjectKeyRow[]) => rows.filter((r) => r.keyId.startsWith(`sk_${tag}_`)).map((r) => r.keyId);
      const first = await store.notWrappedBy(`k2-${tag}`, 1000);
      expect(mine(first)).toEqual([row(1).keyId, row(2).keyId, row(3).keyId]);
      expect(mine(await store.notWrappedBy(`k2-${tag}`, 1000, row(1).keyId))).toEqual([row(2).keyId, row(3).keyId]);
      const page = await store.notWrappedBy(`k2-${tag}`, 1);
      expect(page).toHaveLength(1);

      expect(await store.rewrap(row(1).keyId, 'k1', `k2-${tag}`, 'iv.tag.rewrapped')).toBe(true);
      expect(await store.byId(row(1).keyId)).toMatchObject({
        masterKeyId: `k2-${tag}`,
        wrappedKey: 'iv.tag.rewrapped',
      });
      // A concurrent rotation already moved it: the second rewrap changes nothing.
      expect(await store.rewrap(row(1).keyId, 'k1', `k3-${tag}`, 'iv.tag.other')).toBe(false);
      expect(await store.rewrap(`sk_${tag}_missing`, 'k1', `k2-${tag}`, 'x')).toBe(false);
      expect(mine(await store.notWrappedBy(`k2-${tag}`, 1000))).toEqual([row(2).keyId, row(3).keyId]);
    });

    it('binds each execution to one key and lists them oldest first', async () => {
      await store.insert(row(1));
      await store.insert(row(2));
      await store.bind(ws, `ex_${tag}_b`, row(1).keyId, 2);
      await store.bind(ws, `ex_${tag}_a`, row(1).keyId, 1);
      await store.bind(ws, `ex_${tag}_a`, row(2).keyId, 3);
      await store.bind(ws, `ex_${tag}_c`, row(2).keyId, 4);
      expect(await store.keyOfExecution(`ex_${tag}_a`)).toBe(row(1).keyId);
      expect(await store.keyOfExecution(`ex_${tag}_none`)).toBeNull();
      expect(await store.executionsOf(ws, row(1).keyId)).toEqual([`ex_${tag}_a`, `ex_${tag}_b`]);
      expect(await store.executionsOf(ws, row(2).keyId)).toEqual([`ex_${tag}_c`]);
    });

    it('destroys a key with its bindings and nothing else', async () => {
      await store.insert(row(1));
      await store.insert(row(2));
      await store.bind(ws, `ex_${tag}_1`, row(1).keyId, 1);
      await store.bind(ws, `ex_${tag}_2`, row(1).keyId, 2);
      await store.bind(ws, `ex_${tag}_3`, row(2).keyId, 3);
      expect(await store.destroy(`ws-${randomUUID()}`, row(1).keyId)).toBe(0);
      expect(await store.byId(row(1).keyId)).toBeDefined();

      expect(await store.destroy(ws, row(1).keyId)).toBe(2);
      expect(await store.byId(row(1).keyId)).toBeUndefined();
      expect(await store.bySubject(ws, 'hash-1')).toBeUndefined();
      expect(await store.keyOfExecution(`ex_${tag}_1`)).toBeNull();
      expect(await store.executionsOf(ws, row(1).keyId)).toEqual([]);
      expect(await store.keyOfExecution(`ex_${tag}_3`)).toBe(row(2).keyId);
      expect(await store.byId(row(2).keyId)).toEqual(row(2));
      // The subject can get a new key afterwards (a later execution of an erased subject).
      expect(await store.insert(row(5, { subjectHash: 'hash-1' }))).toEqual(row(5, { subjectHash: 'hash-1' }));
      expect(await store.destroy(ws, row(1).keyId)).toBe(0);
    });
  });
}
