import type { EngineEvent } from '../execution/engine-events.js';

/**
 * An engine event with its id in the workspace's stream (for `Last-Event-ID`).
 *
 * @example
 * ```ts
 * const listener: HubListener = { event: ({ id, event }: HubEvent) => send(id, event), gap: () => reload() };
 * ```
 */
export interface HubEvent {
  /** `<ms>-<seq>`; increases within a workspace. Treat it as opaque. */
  id: string;
  event: EngineEvent;
}

/**
 * Told to a subscriber when events after its `lastEventId` are no longer retained (or the id is unknown).
 *
 * @example
 * ```ts
 * const gap = ({ lastEventId }: HubGap) => console.warn(`missed events after ${lastEventId}: reloading`);
 * ```
 */
export interface HubGap {
  /** The id the subscriber resumed after (as given; possibly malformed). */
  lastEventId: string;
}

/**
 * Receives a subscription's events, and gaps before the events that follow them.
 *
 * @example
 * ```ts
 * hub.subscribe('ws1', {}, { event: (e) => res.write(`id: ${e.id}\n`), gap: () => res.write('event: gap\n\n') });
 * ```
 */
export interface HubListener {
  event(e: HubEvent): void;
  gap(gap: HubGap): void;
}

/**
 * What to subscribe to.
 *
 * @example
 * ```ts
 * const options: HubSubscription = { executionId: 'ex1', lastEventId: req.headers['last-event-id'] };
 * ```
 */
export interface HubSubscription {
  /** Only this execution's events. */
  executionId?: string;
  /** Replay the retained events after this id first. An id that is too old or unknown yields a gap, then every retained event. */
  lastEventId?: string;
}

/**
 * Fans engine events out to SSE/WebSocket subscribers per workspace (optionally one execution),
 * with ids a reconnecting client resumes after (`Last-Event-ID`). `MemoryEventHub` serves one
 * process; `RedisEventHub` (@weft/redis) gives every process the same ids and backlog through
 * Redis. Every implementation passes `describeEventHubConformance` from @weft/testing.
 *
 * @example
 * ```ts
 * const stop = hub.subscribe('ws1', { lastEventId }, {
 *   event: ({ id, event }) => send(id, event),
 *   gap: () => reloadState(),
 * });
 * ```
 */
export interface EventHub {
  /** Replays retained events after `lastEventId`, then delivers live ones; returns the unsubscribe. */
  subscribe(workspaceId: string, options: HubSubscription, listener: HubListener): () => void;
  /** Resolves with the event that ends or parks an execution, or undefined after `timeoutMs` (or `cancel`). */
  waitFor(executionId: string, timeoutMs: number): { promise: Promise<EngineEvent | undefined>; cancel: () => void };
  /** Subscribers connected now, for metrics. */
  readonly subscriberCount: number;
}

const EVENT_ID = /^(0|[1-9]\d{0,15})-(0|[1-9]\d{0,15})$/;

/**
 * Whether `id` is an event id as every {@link EventHub} issues them: `<ms>-<seq>`, the Redis stream id format
 * (the in-memory hub uses its start time as `<ms>`), decimal without leading zeros.
 *
 * @example
 * ```ts
 * isEventId('1700000000000-3'); // true
 * isEventId('41'); // false
 * ```
 */
export function isEventId(id: string): boolean {
  return EVENT_ID.test(id);
}

/**
 * Orders two event ids (both valid per {@link isEventId}): negative when `a` is older.
 *
 * @example
 * ```ts
 * compareEventIds('1700000000000-9', '1700000000000-10'); // < 0
 * ```
 */
export function compareEventIds(a: string, b: string): number {
  const da = a.indexOf('-');
  const db = b.indexOf('-');
  if (da !== db) return da - db;
  for (let i = 0; i < da; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.charCodeAt(i) - b.charCodeAt(i);
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
