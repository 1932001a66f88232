import type { EngineEvent } from '@weft/engine';

/** An engine event with its id in the workspace's stream (for `Last-Event-ID`). */
export interface HubEvent {
  id: string;
  event: EngineEvent;
}

type Listener = (e: HubEvent) => void;

interface Ring {
  seq: number;
  events: HubEvent[];
  listeners: Set<{ executionId?: string; fn: Listener }>;
}

const TERMINAL = new Set([
  'workflow:completed',
  'workflow:failed',
  'workflow:cancelled',
  'workflow:waiting',
  'approval:required',
]);

/**
 * Fans engine events out to SSE/WebSocket subscribers per workspace (optionally one execution),
 * keeping a bounded ring of recent events per workspace so a reconnecting client resumes after
 * its `Last-Event-ID`.
 *
 * @example
 * ```ts
 * const hub = new EventHub({ capacity: 1000 });
 * engine.events$.subscribe((e) => hub.publish(e));
 * const stop = hub.subscribe('ws1', { lastEventId: '41' }, ({ id, event }) => send(id, event));
 * ```
 */
export class EventHub {
  readonly #rings = new Map<string, Ring>();
  readonly #waiters = new Map<string, Set<(e: EngineEvent) => void>>();
  readonly #capacity: number;

  constructor(options: { capacity?: number } = {}) {
    this.#capacity = options.capacity ?? 1000;
  }

  #ring(workspaceId: string): Ring {
    let ring = this.#rings.get(workspaceId);
    if (!ring) {
      ring = { seq: 0, events: [], listeners: new Set() };
      this.#rings.set(workspaceId, ring);
    }
    return ring;
  }

  publish(event: EngineEvent): void {
    const waiters = this.#waiters.get(event.executionId);
    if (waiters && TERMINAL.has(event.type)) {
      this.#waiters.delete(event.executionId);
      for (const w of waiters) w(event);
    }
    const ring = this.#rings.get(event.workspaceId);
    // Rings exist only for workspaces someone watched: no memory spent on unwatched tenants.
    if (!ring) return;
    const e: HubEvent = { id: String(++ring.seq), event };
    ring.events.push(e);
    if (ring.events.length > this.#capacity) ring.events.splice(0, ring.events.length - this.#capacity);
    for (const l of ring.listeners) {
      if (!l.executionId || l.executionId === event.executionId) l.fn(e);
    }
  }

  /** Replays events after `lastEventId` (still in the ring), then delivers live ones; returns the unsubscribe. */
  subscribe(workspaceId: string, options: { executionId?: string; lastEventId?: string }, fn: Listener): () => void {
    const ring = this.#ring(workspaceId);
    if (options.lastEventId !== undefined) {
      const after = Number(options.lastEventId);
      for (const e of ring.events) {
        if (Number(e.id) > after && (!options.executionId || e.event.executionId === options.executionId)) fn(e);
      }
    }
    const entry = { ...(options.executionId ? { executionId: options.executionId } : {}), fn };
    ring.listeners.add(entry);
    return () => ring.listeners.delete(entry);
  }

  /** Keeps a ring for a workspace from now on (called when someone starts watching). */
  watch(workspaceId: string): void {
    this.#ring(workspaceId);
  }

  /** Resolves with the event that ends or parks an execution, or undefined after `timeoutMs`. */
  waitFor(executionId: string, timeoutMs: number): { promise: Promise<EngineEvent | undefined>; cancel: () => void } {
    let set = this.#waiters.get(executionId);
    if (!set) {
      set = new Set();
      this.#waiters.set(executionId, set);
    }
    let done!: (e: EngineEvent | undefined) => void;
    const promise = new Promise<EngineEvent | undefined>((r) => {
      done = r;
    });
    const fn = (e: EngineEvent) => {
      clearTimeout(timer);
      done(e);
    };
    const cancel = () => {
      clearTimeout(timer);
      const s = this.#waiters.get(executionId);
      s?.delete(fn);
      if (s?.size === 0) this.#waiters.delete(executionId);
      done(undefined);
    };
    const timer = setTimeout(cancel, timeoutMs);
    set.add(fn);
    return { promise, cancel };
  }

  /** Subscribers connected now, for metrics. */
  get subscriberCount(): number {
    let n = 0;
    for (const r of this.#rings.values()) n += r.listeners.size;
    return n;
  }
}
