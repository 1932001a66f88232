/**
 * One attempt to deliver (outbound) or one received request (inbound).
 *
 * @example
 * ```ts
 * await log.record({ id: 'd1#1', direction: 'inbound', endpoint: 'orders', attempt: 1, status: 202, ok: true, durationMs: 4, at: Date.now() });
 * ```
 */
export interface DeliveryLogEntry {
  /** Unique per entry (a host's SQL log uses it as the primary key). */
  id: string;
  direction: 'inbound' | 'outbound';
  /** Subscription (outbound) or webhook path (inbound). */
  endpoint: string;
  /** The tenant; SQL logs require it, filters and retention work per workspace. */
  workspaceId?: string;
  /** The workflow that owns the endpoint (inbound) or sent the event. */
  workflowId?: string;
  /** HTTP method of an inbound request. */
  method?: string;
  event?: string;
  attempt: number;
  /** HTTP status, or null when no response arrived. */
  status: number | null;
  ok: boolean;
  error?: string;
  /** Why an inbound request was refused, as a stable code (`webhook-signature-invalid`, `method-not-allowed`, ...). */
  refusedReason?: string;
  durationMs: number;
  at: number;
  /** Execution started by an inbound request. */
  executionId?: string;
}

/**
 * Which entries {@link DeliveryLog.list} returns (all given conditions hold), newest first.
 *
 * @example
 * ```ts
 * const filter: DeliveryLogFilter = { workspaceId: 'ws1', workflowId: 'orders', limit: 50, before: { at, id } };
 * ```
 */
export interface DeliveryLogFilter {
  workspaceId?: string;
  workflowId?: string;
  endpoint?: string;
  direction?: 'inbound' | 'outbound';
  /** Default 100. */
  limit?: number;
  /** Keyset cursor: only entries older than this one (by `at`, then `id`). */
  before?: { at: number; id: string };
}

/**
 * Delivery logs for inbound and outbound webhooks. The host's SQL implementation buffers writes
 * (a process reads its own entries at once, other processes once they are flushed);
 * `MemoryDeliveryLog` keeps the newest `capacity` entries. Every implementation passes
 * `describeDeliveryLogConformance` from @weft/testing.
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
  list(filter?: DeliveryLogFilter): Promise<DeliveryLogEntry[]>;
}

/**
 * Whether an entry comes after the keyset cursor `before` in newest-first order.
 *
 * @example
 * ```ts
 * isOlderThan(entry, { at: last.at, id: last.id });
 * ```
 */
export function isOlderThan(e: { at: number; id: string }, before: { at: number; id: string }): boolean {
  return e.at < before.at || (e.at === before.at && e.id < before.id);
}
