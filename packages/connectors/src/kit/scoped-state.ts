import type { JsonValue, TriggerStateStore } from '@weft/engine';

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
