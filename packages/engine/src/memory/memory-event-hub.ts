import type { EngineEvent } from '../execution/engine-events.js';
import { ExecutionWaiters } from '../execution/execution-waiters.js';
import {
  compareEventIds,
  type EventHub,
  type HubEvent,
  type HubListener,
  type HubSubscription,
  isEventId,
} from '../ports/event-hub.js';

interface Ring {
  seq: number;
  events: HubEvent[];
  listeners: Set<{ executionId?: string; listener: HubListener }>;
}

/**
 * The {@link EventHub} of a single process: ids are `<start ms>-<seq>` from a per-workspace counter,
 * and a bounded ring of recent events per watched workspace serves `Last-Event-ID`. Ids from an
 * earlier start of the process are older than anything retained, so resuming with one yields a gap.
 *
 * @example
 * ```ts
 * const hub = new MemoryEventHub({ capacity: 1000 });
 * engine.events$.subscribe((e) => hub.publish(e));
 * const stop = hub.subscribe('ws1', { lastEventId }, { event: ({ id, event }) => send(id, event), gap: reload });
 * ```
 */
export class MemoryEventHub implements EventHub {
  readonly #rings = new Map<string, Ring>();
  readonly #waiters = new ExecutionWaiters();
  readonly #capacity: number;
  readonly #epoch: string;

  constructor(options: { capacity?: number; now?: () => number } = {}) {
    this.#capacity = options.capacity ?? 1000;
    if (!Number.isSafeInteger(this.#capacity) || this.#capacity < 1)
      throw new Error(`MemoryEventHub: capacity must be a positive integer, got ${options.capacity}`);
    this.#epoch = `${(options.now ?? Date.now)()}-`;
  }

  #ring(workspaceId: string): Ring {
    let ring = this.#rings.get(workspaceId);
    if (!ring) {
      ring = { seq: 0, events: [], listeners: new Set() };
      this.#rings.set(workspaceId, ring);
    }
    return ring;
  }

  /** Gives `event` the next id of its workspace and delivers it. */
  publish(event: EngineEvent): void {
    this.#waiters.observe(event);
    const ring = this.#rings.get(event.workspaceId);
    // Rings exist only for workspaces someone watched: no memory spent on unwatched tenants.
    if (!ring) return;
    const e: HubEvent = { id: this.#epoch + ++ring.seq, event };
    ring.events.push(e);
    if (ring.events.length > this.#capacity) ring.events.splice(0, ring.events.length - this.#capacity);
    for (const l of ring.listeners) {
      if (!l.executionId || l.executionId === event.executionId) l.listener.event(e);
    }
  }

  subscribe(workspaceId: string, options: HubSubscription, listener: HubListener): () => void {
    const ring = this.#ring(workspaceId);
    const last = options.lastEventId;
    if (last !== undefined) {
      const valid = isEventId(last);
      if (!valid || !this.#retainsAfter(ring, last)) listener.gap({ lastEventId: last });
      for (const e of ring.events) {
        if (valid && compareEventIds(e.id, last) <= 0) continue;
        if (!options.executionId || e.event.executionId === options.executionId) listener.event(e);
      }
    }
    const entry = { ...(options.executionId ? { executionId: options.executionId } : {}), listener };
    ring.listeners.add(entry);
    return () => ring.listeners.delete(entry);
  }

  /** Whether every event after `id` is still in the ring: `id` is this start's and at most one before the oldest kept. */
  #retainsAfter(ring: Ring, id: string): boolean {
    if (!id.startsWith(this.#epoch)) return false;
    const seq = Number(id.slice(this.#epoch.length));
    return seq <= ring.seq && seq >= ring.seq - ring.events.length;
  }

  waitFor(executionId: string, timeoutMs: number): { promise: Promise<EngineEvent | undefined>; cancel: () => void } {
    return this.#waiters.waitFor(executionId, timeoutMs);
  }

  get subscriberCount(): number {
    let n = 0;
    for (const r of this.#rings.values()) n += r.listeners.size;
    return n;
  }
}
