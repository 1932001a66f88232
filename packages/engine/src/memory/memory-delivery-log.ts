import { type DeliveryLog, type DeliveryLogEntry, type DeliveryLogFilter, isOlderThan } from '../ports/delivery-log.js';

/**
 * In-memory {@link DeliveryLog}, bounded.
 *
 * @example
 * ```ts
 * const log = new MemoryDeliveryLog(1000);
 * await log.list({ direction: 'outbound', limit: 10 });
 * ```
 */
export class MemoryDeliveryLog implements DeliveryLog {
  readonly #entries: DeliveryLogEntry[] = [];
  constructor(readonly capacity = 10_000) {}

  async record(entry: DeliveryLogEntry): Promise<void> {
    this.#entries.push({ ...entry });
    if (this.#entries.length > this.capacity) this.#entries.splice(0, this.#entries.length - this.capacity);
  }

  async list(filter: DeliveryLogFilter = {}): Promise<DeliveryLogEntry[]> {
    const f = filter;
    return this.#entries
      .filter(
        (e) =>
          (!f.workspaceId || e.workspaceId === f.workspaceId) &&
          (!f.workflowId || e.workflowId === f.workflowId) &&
          (!f.endpoint || e.endpoint === f.endpoint) &&
          (!f.direction || e.direction === f.direction) &&
          (!f.before || isOlderThan(e, f.before)),
      )
      .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .slice(0, f.limit ?? 100)
      .map((e) => ({ ...e }));
  }
}
