import type { JsonValue } from '../model/json.js';

/**
 * Persisted state of triggers and actions (poll cursors, seen ids), one scope per workflow node.
 * The host's SQL store and `RedisTriggerStateStore` (@weft/redis) implement it;
 * `MemoryTriggerStateStore` is the reference. Every implementation passes
 * `describeTriggerStateStoreConformance` from @weft/testing.
 *
 * @example
 * ```ts
 * await store.set('ws1/wf1/node1', 'lastId', 42);
 * await store.get('ws1/wf1/node1', 'lastId'); // 42
 * ```
 */
export interface TriggerStateStore {
  get(scope: string, key: string): Promise<JsonValue | undefined>;
  set(scope: string, key: string, value: JsonValue): Promise<void>;
  delete(scope: string, key: string): Promise<void>;
}
