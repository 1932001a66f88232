import { type EngineEvent, type Logger, silentLogger } from '@weft/engine';
import type { Redis } from 'ioredis';
import { Observable, Subject, type Subscription } from 'rxjs';

/**
 * Options of {@link RedisEventBridge}.
 *
 * @example
 * ```ts
 * const options: RedisEventBridgeOptions = { redis, prefix: 'acme:events', logger };
 * ```
 */
export interface RedisEventBridgeOptions {
  /** A connected ioredis client you built, used to publish; the bridge subscribes on a duplicate of it. */
  redis: Redis;
  /** Channel prefix; default `weft:events`. A workspace's channel is `<prefix>:<workspaceId, URI-encoded>`. */
  prefix?: string;
  /** Where malformed messages and publish failures are reported; default silent. */
  logger?: Logger;
}

type Listener = (event: EngineEvent) => void;

/**
 * Carries engine events between processes over Redis pub/sub: workers `publish` (or `forward`
 * their `engine.events$`), hosts `subscribe` per workspace or to all workspaces (one pattern
 * subscription) and fan the events out to browsers. Events of one execution arrive in the order
 * they were published, since one execution runs in one process at a time and Redis keeps the order
 * of one connection's messages. Pub/sub is at-most-once: events published while a subscriber is
 * disconnected are lost; ioredis reconnects and resubscribes by itself, and `resubscribed$` tells
 * you when, so you can reload state that may have changed meanwhile.
 *
 * @example
 * ```ts
 * // worker process
 * const bridge = new RedisEventBridge({ redis });
 * bridge.forward(engine.events$);
 * // host process
 * new RedisEventBridge({ redis }).subscribe({ workspaceId: 'ws1' }).subscribe((e) => sse.send(e));
 * ```
 */
export class RedisEventBridge {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #logger: Logger;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #resubscribed = new Subject<void>();
  #subscriber: Redis | undefined;
  #pending: Promise<unknown> = Promise.resolve();

  /** Emits each time the subscriber connection is back after a disconnect (and resubscribed). */
  readonly resubscribed$: Observable<void> = this.#resubscribed.asObservable();

  constructor(options: RedisEventBridgeOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'weft:events';
    this.#logger = options.logger ?? silentLogger;
  }

  /** The channel of a workspace. */
  channel(workspaceId: string): string {
    return `${this.#prefix}:${encodeURIComponent(workspaceId)}`;
  }

  /** Publishes one event on its workspace's channel; resolves with the number of subscribers that got it. */
  async publish(event: EngineEvent): Promise<number> {
    return this.#redis.publish(this.channel(event.workspaceId), JSON.stringify(event));
  }

  /** Publishes every event of `events$` in order (e.g. `engine.events$`); unsubscribe to stop. */
  forward(events$: Observable<EngineEvent>): Subscription {
    return events$.subscribe((event) => {
      this.publish(event).catch((error: unknown) =>
        this.#logger.error(
          { err: error, executionId: event.executionId, type: event.type },
          'event bridge: publish failed',
        ),
      );
    });
  }

  /**
   * Events of one workspace, or of all workspaces when `workspaceId` is omitted. Subscriptions are
   * shared and reference-counted on one subscriber connection per bridge.
   */
  subscribe(options: { workspaceId?: string } = {}): Observable<EngineEvent> {
    const all = options.workspaceId === undefined;
    const name = all ? `${escapeGlob(this.#prefix)}:*` : this.channel(options.workspaceId as string);
    const key = `${all ? 'p' : 'c'}:${name}`;
    return new Observable<EngineEvent>((observer) => {
      const subscriber = this.#connect();
      let listeners = this.#listeners.get(key);
      if (!listeners) {
        listeners = new Set();
        this.#listeners.set(key, listeners);
        const subscribed = all ? subscriber.psubscribe(name) : subscriber.subscribe(name);
        this.#track(subscribed).catch((error: unknown) =>
          observer.error(new Error(`RedisEventBridge: subscribing to ${name} failed`, { cause: error })),
        );
      }
      const listener: Listener = (event) => observer.next(event);
      listeners.add(listener);
      return () => {
        const set = this.#listeners.get(key);
        set?.delete(listener);
        if (set?.size !== 0) return;
        this.#listeners.delete(key);
        const unsubscribed = all ? subscriber.punsubscribe(name) : subscriber.unsubscribe(name);
        this.#track(unsubscribed).catch(() => {});
      };
    });
  }

  /** Resolves once every subscribe/unsubscribe sent so far has been acknowledged by Redis. */
  async ready(): Promise<void> {
    await this.#pending;
  }

  /** Completes `resubscribed$` and closes the subscriber connection (not the client you passed). */
  async close(): Promise<void> {
    this.#resubscribed.complete();
    this.#listeners.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber) await subscriber.quit().catch(() => subscriber.disconnect());
  }

  #track(command: Promise<unknown>): Promise<unknown> {
    this.#pending = Promise.all([this.#pending, command.catch(() => {})]);
    return command;
  }

  #connect(): Redis {
    if (this.#subscriber) return this.#subscriber;
    const subscriber = this.#redis.duplicate();
    this.#subscriber = subscriber;
    let readies = 0;
    subscriber.on('ready', () => {
      if (++readies > 1) this.#resubscribed.next();
    });
    subscriber.on('error', (error: Error) =>
      this.#logger.warn({ err: error }, 'event bridge: subscriber connection error'),
    );
    subscriber.on('message', (channel: string, message: string) => this.#deliver(`c:${channel}`, channel, message));
    subscriber.on('pmessage', (pattern: string, channel: string, message: string) =>
      this.#deliver(`p:${pattern}`, channel, message),
    );
    return subscriber;
  }

  #deliver(key: string, channel: string, message: string) {
    const listeners = this.#listeners.get(key);
    if (!listeners?.size) return;
    let event: EngineEvent;
    try {
      event = JSON.parse(message) as EngineEvent;
      if (typeof event?.type !== 'string' || typeof event.executionId !== 'string')
        throw new Error('not an engine event');
    } catch (error) {
      this.#logger.warn({ err: error, channel }, 'event bridge: dropped a malformed message');
      return;
    }
    for (const listener of [...listeners]) listener(event);
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
