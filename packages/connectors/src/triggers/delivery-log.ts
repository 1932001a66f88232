/**
 * One attempt to deliver (outbound) or one received request (inbound).
 *
 * @example
 * ```ts
 * await log.record({ id: 'd1#1', direction: 'inbound', endpoint: 'orders', attempt: 1, status: 202, ok: true, durationMs: 4, at: Date.now() });
 * ```
 */
export interface DeliveryLogEntry {
  id: string;
  direction: 'inbound' | 'outbound';
  /** Subscription (outbound) or webhook path (inbound). */
  endpoint: string;
  event?: string;
  attempt: number;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  ok: boolean;
  error?: string;
  durationMs: number;
  at: number;
  /** Execution started by an inbound request. */
  executionId?: string;
}

/**
 * Delivery logs for inbound and outbound webhooks. SQL adapters implement it; the memory one
 * keeps the newest `capacity` entries.
 *
 * @example
 * ```ts
 * const log: DeliveryLog = new MemoryDeliveryLog();
 * await log.list({ endpoint: 'sub_1', limit: 20 });
 * ```
 */
export interface DeliveryLog {
  record(entry: DeliveryLogEntry): Promise<void>;
  /** Newest first. */
  list(filter?: { endpoint?: string; direction?: 'inbound' | 'outbound'; limit?: number }): Promise<DeliveryLogEntry[]>;
}

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

  async list(filter: { endpoint?: string; direction?: 'inbound' | 'outbound'; limit?: number } = {}) {
    return this.#entries
      .filter(
        (e) =>
          (!filter.endpoint || e.endpoint === filter.endpoint) &&
          (!filter.direction || e.direction === filter.direction),
      )
      .reverse()
      .slice(0, filter.limit ?? 100)
      .map((e) => ({ ...e }));
  }
}
