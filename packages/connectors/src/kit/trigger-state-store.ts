import type { JsonValue } from '@weft/engine';

/**
 * Persisted state of triggers and actions (poll cursors, seen ids), one scope per workflow node.
 * The host's SQL store and `RedisTriggerStateStore` (@weft/redis) implement it;
 * {@link MemoryTriggerStateStore} is the reference. Every implementation passes
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

/**
 * In-memory {@link TriggerStateStore}; values are copied in and out.
 *
 * @example
 * ```ts
 * const runtime = { state: new MemoryTriggerStateStore() };
 * ```
 */
export class MemoryTriggerStateStore implements TriggerStateStore {
  readonly #map = new Map<string, string>();
  async get(scope: string, key: string): Promise<JsonValue | undefined> {
    const v = this.#map.get(`${scope}\u0000${key}`);
    return v === undefined ? undefined : (JSON.parse(v) as JsonValue);
  }
  async set(scope: string, key: string, value: JsonValue): Promise<void> {
    this.#map.set(`${scope}\u0000${key}`, JSON.stringify(value));
  }
  async delete(scope: string, key: string): Promise<void> {
    this.#map.delete(`${scope}\u0000${key}`);
  }
}

/**
 * A {@link TriggerStateStore} bound to one scope, as `ctx.state` sees it.
 *
 * @example
 * ```ts
 * const last = await ctx.state.get<string>('cursor');
 * await ctx.state.set('cursor', next);
 * ```
 */
export interface ScopedState {
  get<T extends JsonValue = JsonValue>(key: string): Promise<T | undefined>;
  set(key: string, value: JsonValue): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * Binds a store to a scope.
 *
 * @example
 * ```ts
 * const state = scopedState(store, 'ws1/wf1/node1');
 * await state.set('cursor', 'abc');
 * ```
 */
export function scopedState(store: TriggerStateStore, scope: string): ScopedState {
  return {
    get: async <T extends JsonValue>(key: string) => (await store.get(scope, key)) as T | undefined,
    set: (key, value) => store.set(scope, key, value),
    delete: (key) => store.delete(scope, key),
  };
}
