import {
  compareEventIds,
  type EngineEvent,
  type EventHub,
  ExecutionWaiters,
  type HubEvent,
  type HubListener,
  type HubSubscription,
  isEventId,
  type Logger,
  silentLogger,
} from '@weft/engine';
import type { Subscription } from 'rxjs';
import type { RedisEventBridge, StreamedEvent } from './redis-event-bridge.js';

interface Subscriber {
  executionId: string | undefined;
  listener: HubListener;
  /** Id of the newest event this subscriber has passed (delivered or filtered out); older ones are duplicates. */
  cursor: string | undefined;
  /** Live events held while this subscriber's backlog is being read. */
  held: HubEvent[] | undefined;
  closed: boolean;
}

interface Workspace {
  subscribers: Set<Subscriber>;
  /** Id of the newest event of the workspace this process has seen (or the stream's tip when it started watching). */
  seen: string | undefined;
  /** Live events held while the workspace catches up after a pub/sub reconnect. */
  held: HubEvent[] | undefined;
}

/**
 * The {@link EventHub} of a host process among several sharing Redis: events come through the
 * {@link RedisEventBridge} (live over pub/sub, with their workspace stream ids, so ids are the same
 * in every process), and `Last-Event-ID` replays read the workspace's stream in Redis, so a client
 * resumes exactly on any process. Each subscriber keeps a cursor: a replay holds live events until
 * the backlog is out, then drops those it already sent. When pub/sub reconnects, every watched
 * workspace reads what it may have missed from its stream.
 *
 * @example
 * ```ts
 * const bridge = new RedisEventBridge({ redis });
 * bridge.forward(engine.events$);
 * const hub = new RedisEventHub({ bridge });
 * await hub.ready();
 * hub.subscribe('ws1', { lastEventId }, { event: ({ id, event }) => send(id, event), gap: reload });
 * ```
 */
export class RedisEventHub implements EventHub {
  readonly #bridge: RedisEventBridge;
  readonly #logger: Logger;
  readonly #pageSize: number;
  readonly #waiters = new ExecutionWaiters();
  readonly #workspaces = new Map<string, Workspace>();
  readonly #subscriptions: Subscription[];
  #live: Subscription | undefined;

  constructor(options: { bridge: RedisEventBridge; logger?: Logger; pageSize?: number }) {
    this.#bridge = options.bridge;
    this.#logger = options.logger ?? silentLogger;
    this.#pageSize = options.pageSize ?? 500;
    this.#subscriptions = [
      this.#bridge.resubscribed$.subscribe(() => {
        for (const [workspaceId, ws] of this.#workspaces) void this.#catchUp(workspaceId, ws);
      }),
    ];
  }

  /** Resolves once the bridge's subscription is active: events published from now on arrive (replays wait for it). */
  ready(): Promise<void> {
    this.#listen();
    return this.#bridge.ready();
  }

  /**
   * Subscribes to every workspace's events on first use (a subscriber, a waiter or `ready`), so a
   * process that only runs jobs (a worker) is not sent, and does not parse, every event it publishes.
   */
  #listen(): void {
    this.#live ??= this.#bridge.subscribe().subscribe({
      next: (e) => this.#receive(e),
      error: (err: unknown) => this.#logger.error({ err }, 'event hub: the Redis subscription failed'),
    });
  }

  #receive(e: StreamedEvent): void {
    this.#waiters.observe(e.event);
    const ws = this.#workspaces.get(e.event.workspaceId);
    if (!ws) return;
    if (ws.held) ws.held.push(e);
    else this.#dispatch(ws, e);
  }

  #dispatch(ws: Workspace, e: HubEvent): void {
    if (ws.seen === undefined || compareEventIds(e.id, ws.seen) > 0) ws.seen = e.id;
    for (const s of ws.subscribers) this.#offer(s, e);
  }

  #offer(s: Subscriber, e: HubEvent): void {
    if (s.held) {
      s.held.push(e);
      return;
    }
    if (s.cursor !== undefined && compareEventIds(e.id, s.cursor) <= 0) return;
    s.cursor = e.id;
    if (!s.executionId || s.executionId === e.event.executionId) s.listener.event(e);
  }

  subscribe(workspaceId: string, options: HubSubscription, listener: HubListener): () => void {
    this.#listen();
    const ws = this.#watch(workspaceId);
    const s: Subscriber = {
      executionId: options.executionId,
      listener,
      cursor: undefined,
      held: undefined,
      closed: false,
    };
    ws.subscribers.add(s);
    if (options.lastEventId !== undefined) void this.#replay(workspaceId, s, options.lastEventId);
    return () => {
      s.closed = true;
      ws.subscribers.delete(s);
      if (ws.subscribers.size === 0 && this.#workspaces.get(workspaceId) === ws) this.#workspaces.delete(workspaceId);
    };
  }

  #watch(workspaceId: string): Workspace {
    let ws = this.#workspaces.get(workspaceId);
    if (!ws) {
      const created: Workspace = { subscribers: new Set(), seen: undefined, held: undefined };
      ws = created;
      this.#workspaces.set(workspaceId, created);
      // Where a catch-up after a pub/sub reconnect starts if no event arrives before it.
      this.ready()
        .then(() => this.#bridge.lastId(workspaceId))
        .then(
          (tip) => {
            if (created.seen === undefined) created.seen = tip;
          },
          (err: unknown) => this.#logger.warn({ err, workspaceId }, 'event hub: reading the stream tip failed'),
        );
    }
    return ws;
  }

  /** Sends `s` the retained events after `after` (a gap first when some are gone), then what arrived meanwhile. */
  async #replay(workspaceId: string, s: Subscriber, after: string): Promise<void> {
    s.held = [];
    let gap = false;
    const tellGap = () => {
      if (!gap && !s.closed) s.listener.gap({ lastEventId: after });
      gap = true;
    };
    if (!isEventId(after)) tellGap();
    s.cursor = isEventId(after) ? after : '0-0';
    try {
      // Live events must already be arriving (held) when the backlog is read, or some could fall between.
      await this.ready();
      await this.#readAfter(
        workspaceId,
        s.cursor,
        () => s.closed,
        tellGap,
        (e) => {
          s.cursor = e.id;
          if (!s.executionId || s.executionId === e.event.executionId) s.listener.event(e);
        },
      );
    } catch (err) {
      this.#logger.warn({ err, workspaceId }, 'event hub: reading the backlog failed');
      tellGap();
    }
    const held = s.held;
    s.held = undefined;
    if (!s.closed) for (const e of held) this.#offer(s, e);
  }

  /** After a pub/sub reconnect: the events of `ws` published since the newest one seen, to every subscriber. */
  async #catchUp(workspaceId: string, ws: Workspace): Promise<void> {
    if (ws.held) return; // already catching up; it reads to the end of the stream
    const after = ws.seen;
    ws.held = [];
    const gone = () => this.#workspaces.get(workspaceId) !== ws;
    const tellGap = () => {
      for (const s of ws.subscribers) s.listener.gap({ lastEventId: s.cursor ?? after ?? '0-0' });
    };
    try {
      if (after === undefined) tellGap();
      else await this.#readAfter(workspaceId, after, gone, tellGap, (e) => this.#dispatch(ws, e));
    } catch (err) {
      this.#logger.warn({ err, workspaceId }, 'event hub: catching up after a reconnect failed');
      tellGap();
    }
    const held = ws.held;
    ws.held = undefined;
    for (const e of held) this.#dispatch(ws, e);
  }

  /** Reads the stream after `after` page by page, calling `onGap` when entries after the page's start were trimmed. */
  async #readAfter(
    workspaceId: string,
    after: string,
    stopped: () => boolean,
    onGap: () => void,
    onEvent: (e: HubEvent) => void,
  ): Promise<void> {
    let cursor = after;
    for (;;) {
      const page = await this.#bridge.read(workspaceId, { after: cursor, count: this.#pageSize });
      if (stopped()) return;
      if (!page.complete) onGap();
      for (const e of page.events) onEvent(e);
      if (page.next === undefined) return;
      cursor = page.next;
    }
  }

  waitFor(executionId: string, timeoutMs: number): { promise: Promise<EngineEvent | undefined>; cancel: () => void } {
    this.#listen();
    return this.#waiters.waitFor(executionId, timeoutMs);
  }

  get subscriberCount(): number {
    let n = 0;
    for (const ws of this.#workspaces.values()) n += ws.subscribers.size;
    return n;
  }

  /** Stops listening to the bridge (it stays open: close it yourself). */
  close(): void {
    for (const s of this.#subscriptions) s.unsubscribe();
    this.#live?.unsubscribe();
    for (const ws of this.#workspaces.values()) for (const s of ws.subscribers) s.closed = true;
    this.#workspaces.clear();
  }
}
