import { randomUUID } from 'node:crypto';
import type { CredentialRecord, CredentialRecordStore, DataKeyRecord } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * Creates a store for one test. `peer` is a second instance on the same data, as another process
 * would have (on its own connection); a store that serves one process returns itself.
 */
export type CredentialRecordStoreFactory = () => Promise<{
  store: CredentialRecordStore;
  peer: CredentialRecordStore;
  cleanup?: () => Promise<void>;
}>;

/**
 * The contract every credential record store must meet: rows round-trip unchanged (status and
 * reason included) and are copied in and out; every look-up, update and delete is scoped to its
 * workspace; inserting an existing id and updating a missing row throw; a workspace gets exactly
 * one data key even when several processes race to create it; re-wrapping a data key is a
 * compare-and-set on its master key that exactly one of several racers wins.
 *
 * @example
 * ```ts
 * describeCredentialRecordStoreConformance('memory', async () => {
 *   const store = new MemoryCredentialRecordStore();
 *   return { store, peer: store };
 * });
 * ```
 */
export function describeCredentialRecordStoreConformance(name: string, factory: CredentialRecordStoreFactory): void {
  describe(`CredentialRecordStore conformance: ${name}`, () => {
    let store: CredentialRecordStore;
    let peer: CredentialRecordStore;
    let cleanup: (() => Promise<void>) | undefined;
    let ws: string;
    let other: string;
    beforeEach(async () => {
      ({ store, peer, cleanup } = await factory());
      ws = `ws-${randomUUID()}`;
      other = `ws-${randomUUID()}`;
    });
    afterEach(async () => {
      await cleanup?.();
    });

    const record = (workspaceId: string, overrides: Partial<CredentialRecord> = {}): CredentialRecord => ({
      id: `cred-${randomUUID()}`,
      workspaceId,
      type: 'slack.oauth2',
      name: 'Slack (ops)',
      keyId: `dk-${randomUUID()}`,
      iv: 'aXYtYmFzZTY0',
      tag: 'dGFnLWJhc2U2NA==',
      ciphertext: 'Y2lwaGVydGV4dA==',
      createdAt: 1_700_000_000_123,
      status: 'active',
      statusReason: null,
      ...overrides,
    });
    const dataKey = (workspaceId: string, overrides: Partial<DataKeyRecord> = {}): DataKeyRecord => ({
      id: `dk-${randomUUID()}`,
      workspaceId,
      masterKeyId: 'mk-1',
      iv: 'ZGstaXY=',
      tag: 'ZGstdGFn',
      wrappedKey: 'd3JhcHBlZA==',
      createdAt: 1_700_000_000_456,
      ...overrides,
    });
    const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

    it('round-trips a record unchanged, and another instance reads it', async () => {
      const r = record(ws, { name: 'ünïcødé "name" 🔒', status: 'broken', statusReason: 'invalid_grant' });
      await store.insert(r);
      expect(await store.get(ws, r.id)).toEqual(r);
      expect(await peer.get(ws, r.id)).toEqual(r);
      expect(await store.get(ws, 'cred-never-stored')).toBeUndefined();
    });

    it('copies records in and out', async () => {
      const r = record(ws);
      await store.insert(r);
      r.name = 'changed after insert';
      const read = (await store.get(ws, r.id)) as CredentialRecord;
      expect(read.name).toBe('Slack (ops)');
      read.ciphertext = 'changed after get';
      expect((await store.get(ws, r.id))?.ciphertext).toBe('Y2lwaGVydGV4dA==');
    });

    it('refuses to insert an id that exists', async () => {
      const r = record(ws);
      await store.insert(r);
      await expect(peer.insert({ ...r, name: 'second' })).rejects.toThrow();
      expect((await store.get(ws, r.id))?.name).toBe('Slack (ops)');
    });

    it('updates a row in place, and throws for a row that does not exist', async () => {
      const r = record(ws);
      await store.insert(r);
      const rotated = { ...r, keyId: 'dk-2', iv: 'bmV3LWl2', tag: 'bmV3LXRhZw==', ciphertext: 'bmV3', name: 'Renamed' };
      await peer.update({ ...rotated, status: 'broken', statusReason: 'revoked by the provider' });
      expect(await store.get(ws, r.id)).toEqual({
        ...rotated,
        status: 'broken',
        statusReason: 'revoked by the provider',
      });
      await store.update(rotated);
      expect(await store.get(ws, r.id)).toEqual(rotated);
      await expect(store.update(record(ws))).rejects.toThrow();
    });

    it('keeps workspaces apart: get, list, update and delete never reach another workspace', async () => {
      const mine = record(ws);
      const theirs = record(other);
      await store.insert(mine);
      await store.insert(theirs);
      expect(await store.get(other, mine.id)).toBeUndefined();
      expect((await store.list(ws)).map((r) => r.id)).toEqual([mine.id]);
      expect((await store.list(other)).map((r) => r.id)).toEqual([theirs.id]);
      await expect(store.update({ ...mine, workspaceId: other, name: 'hijacked' })).rejects.toThrow();
      expect(await store.delete(other, mine.id)).toBe(false);
      expect(await store.get(ws, mine.id)).toEqual(mine);
      expect(await store.list(`ws-${randomUUID()}`)).toEqual([]);
    });

    it('lists every record of a workspace', async () => {
      const rows = [record(ws, { name: 'b' }), record(ws, { name: 'a' }), record(ws, { name: 'c', status: 'broken' })];
      for (const r of rows) await store.insert(r);
      expect((await peer.list(ws)).sort(byId)).toEqual([...rows].sort(byId));
    });

    it('deletes one record, true only when it existed', async () => {
      const a = record(ws);
      const b = record(ws);
      await store.insert(a);
      await store.insert(b);
      expect(await peer.delete(ws, a.id)).toBe(true);
      expect(await store.get(ws, a.id)).toBeUndefined();
      expect(await store.delete(ws, a.id)).toBe(false);
      expect(await store.get(ws, b.id)).toEqual(b);
    });

    it("keeps a workspace's first data key: a second insert is false and changes nothing", async () => {
      expect(await store.getDataKey(ws)).toBeUndefined();
      const first = dataKey(ws);
      expect(await store.insertDataKey(first)).toBe(true);
      expect(await peer.insertDataKey(dataKey(ws, { masterKeyId: 'mk-2', wrappedKey: 'b3RoZXI=' }))).toBe(false);
      expect(await store.getDataKey(ws)).toEqual(first);
      expect(await store.getDataKey(other)).toBeUndefined();
    });

    it('gives a workspace exactly one data key when several instances race to create it', async () => {
      const racers = Array.from({ length: 8 }, (_, i) => dataKey(ws, { wrappedKey: `key-${i}` }));
      const won = await Promise.all(racers.map((k, i) => (i % 2 ? peer : store).insertDataKey(k)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = racers[won.indexOf(true)];
      expect(await store.getDataKey(ws)).toEqual(winner);
      expect(await peer.getDataKey(ws)).toEqual(winner);
    });

    it('lists data keys, optionally only those wrapped by other master keys', async () => {
      const a = dataKey(ws, { masterKeyId: 'mk-old' });
      const b = dataKey(other, { masterKeyId: 'mk-new' });
      await store.insertDataKey(a);
      await store.insertDataKey(b);
      const mine = (keys: DataKeyRecord[]) => keys.filter((k) => k.workspaceId === ws || k.workspaceId === other);
      expect(mine(await peer.listDataKeys()).sort(byId)).toEqual([a, b].sort(byId));
      expect(mine(await peer.listDataKeys('mk-new'))).toEqual([a]);
      expect(mine(await peer.listDataKeys('mk-old'))).toEqual([b]);
    });

    it('re-wraps a data key only while it is wrapped by the expected master key', async () => {
      const k = dataKey(ws, { masterKeyId: 'mk-old' });
      await store.insertDataKey(k);
      const wrap = { masterKeyId: 'mk-new', iv: 'bmV3LWl2', tag: 'bmV3LXRhZw==', wrappedKey: 'cmV3cmFwcGVk' };
      expect(await store.rewrapDataKey(k.id, 'mk-other', wrap)).toBe(false);
      expect(await store.getDataKey(ws)).toEqual(k);
      expect(await peer.rewrapDataKey(k.id, 'mk-old', wrap)).toBe(true);
      expect(await store.getDataKey(ws)).toEqual({ ...k, ...wrap });
      expect(await store.rewrapDataKey(k.id, 'mk-old', { ...wrap, wrappedKey: 'c3RhbGU=' })).toBe(false);
      expect(await store.getDataKey(ws)).toEqual({ ...k, ...wrap });
      expect(await store.rewrapDataKey('dk-missing', 'mk-new', wrap)).toBe(false);
    });

    it('lets exactly one of several concurrent re-wraps win', async () => {
      const k = dataKey(ws, { masterKeyId: 'mk-old' });
      await store.insertDataKey(k);
      const wraps = Array.from({ length: 6 }, (_, i) => ({
        masterKeyId: `mk-new-${i}`,
        iv: `iv-${i}`,
        tag: `tag-${i}`,
        wrappedKey: `wrapped-${i}`,
      }));
      const won = await Promise.all(wraps.map((w, i) => (i % 2 ? peer : store).rewrapDataKey(k.id, 'mk-old', w)));
      expect(won.filter(Boolean)).toHaveLength(1);
      expect(await store.getDataKey(ws)).toEqual({ ...k, ...wraps[won.indexOf(true)] });
    });
  });
}
