import type { EngineEvent } from '@weft/engine';

/** An engine event with its id in the workspace's stream (for `Last-Event-ID`). */
export interface HubEvent {
  /** `<ms>-<seq>`; increases within a workspace. Treat it as opaque. */
  id: string;
  event: EngineEvent;
}

/** Told to a subscriber when events after its `lastEventId` are no longer retained (or the id is unknown). */
export interface HubGap {
  /** The id the subscriber resumed after (as given; possibly malformed). */
  lastEventId: string;
}

/** Receives a subscription's events, and gaps before the events that follow them. */
export interface HubListener {
  event(e: HubEvent): void;
  gap(gap: HubGap): void;
}

/** What to subscribe to. */
export interface HubSubscription {
  /** Only this execution's events. */
  executionId?: string;
  /** Replay the retained events after this id first. An id that is too old or unknown yields a gap, then every retained event. */
  lastEventId?: string;
}

/**
 * Fans engine events out to SSE/WebSocket subscribers per workspace (optionally one execution),
 * with ids a reconnecting client resumes after. `MemoryEventHub` serves one process;
 * `RedisEventHub` gives every process the same ids and backlog through Redis.
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
