import { randomUUID } from 'node:crypto';
import type { JsonValue, TriggerStateStore } from '@weft/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * Creates a store for one test. `peer` is a second instance on the same data, as another process
 * would have (on its own connection); a store that serves one process returns itself.
 */
export type TriggerStateStoreFactory = () => Promise<{
  store: TriggerStateStore;
  peer: TriggerStateStore;
  cleanup?: () => Promise<void>;
}>;

/**
 * The contract every trigger state store must meet: JSON values round-trip unchanged and are
 * copied in and out; a set overwrites; scopes and keys never see each other's values; deleting
 * removes one value (and deleting a missing one is fine); another instance sees the same data.
 *
 * @example
 * ```ts
 * describeTriggerStateStoreConformance('memory', async () => {
 *   const store = new MemoryTriggerStateStore();
 *   return { store, peer: store };
 * });
 * ```
 */
export function describeTriggerStateStoreConformance(name: string, factory: TriggerStateStoreFactory): void {
  describe(`TriggerStateStore conformance: ${name}`, () => {
    let store: TriggerStateStore;
    let peer: TriggerStateStore;
    let cleanup: (() => Promise<void>) | undefined;
    let ws: string;
    beforeEach(async () => {
      ({ store, peer, cleanup } = await factory());
      ws = `ws-${randomUUID()}`;
    });
    afterEach(async () => {
      await cleanup?.();
    });

    it('round-trips JSON values unchanged', async () => {
      const values: JsonValue[] = [
        0,
        -1.5,
        1_700_000_000_000,
        '',
        'ünïcødé 🔒 "quoted"',
        true,
        false,
        null,
        [],
        [1, 'two', null, { three: [3] }],
        {},
        { cursor: 'abc', seen: ['id1', 'id2'], nested: { ok: true, n: null } },
      ];
      for (const [i, value] of values.entries()) {
        await store.set(`${ws}/wf1/n1`, `k${i}`, value);
        expect(await store.get(`${ws}/wf1/n1`, `k${i}`), `value ${i}`).toEqual(value);
      }
    });

    it('answers undefined for a value never set', async () => {
      expect(await store.get(`${ws}/wf1/n1`, 'missing')).toBeUndefined();
      expect(await store.get(`${ws}-other/wf1/n1`, 'missing')).toBeUndefined();
    });

    it('overwrites on set, and copies values in and out', async () => {
      const scope = `${ws}/wf1/n1`;
      const value = { seen: ['a'] };
      await store.set(scope, 'cursor', value);
      value.seen.push('changed after set');
      const read = (await store.get(scope, 'cursor')) as { seen: string[] };
      expect(read).toEqual({ seen: ['a'] });
      read.seen.push('changed after get');
      expect(await store.get(scope, 'cursor')).toEqual({ seen: ['a'] });
      await store.set(scope, 'cursor', 'replaced');
      expect(await store.get(scope, 'cursor')).toBe('replaced');
    });

    it('keeps scopes and keys apart', async () => {
      const scopes = [`${ws}/wf1/n1`, `${ws}/wf1/n2`, `${ws}/wf2/n1`, `${ws}-b/wf1/n1`, ws];
      for (const scope of scopes) {
        await store.set(scope, 'lastId', scope);
        await store.set(scope, 'lastFireAt', `${scope}:fire`);
      }
      for (const scope of scopes) {
        expect(await store.get(scope, 'lastId')).toBe(scope);
        expect(await store.get(scope, 'lastFireAt')).toBe(`${scope}:fire`);
      }
    });

    it('deletes one value; deleting a missing one is fine', async () => {
      const scope = `${ws}/wf1/n1`;
      await store.set(scope, 'a', 1);
      await store.set(scope, 'b', 2);
      await store.delete(scope, 'a');
      expect(await store.get(scope, 'a')).toBeUndefined();
      expect(await store.get(scope, 'b')).toBe(2);
      await store.delete(scope, 'a');
      await store.delete(`${ws}/never/set`, 'x');
    });

    it('shares its data with another instance', async () => {
      const scope = `${ws}/wf1/n1`;
      await store.set(scope, 'cursor', { page: 2 });
      expect(await peer.get(scope, 'cursor')).toEqual({ page: 2 });
      await peer.set(scope, 'cursor', { page: 3 });
      expect(await store.get(scope, 'cursor')).toEqual({ page: 3 });
      await peer.delete(scope, 'cursor');
      expect(await store.get(scope, 'cursor')).toBeUndefined();
    });
  });
}
