import type { JsonValue } from '../model/json.js';
import type { TriggerStateStore } from '../ports/trigger-state-store.js';

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
