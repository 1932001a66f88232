import { type EngineEvent, type Logger, silentLogger } from '@weft/engine';
import { Observable, Subject, type Subscription } from 'rxjs';
import { LuaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';

// Sent with EVAL, not EVALSHA: an EVALSHA that misses the script cache is retried as EVAL after its
// reply, and a later event's EVALSHA may run in between, which would reorder the stream.
// ARGV = maxLength, retentionMs, channel, then one or more event JSONs: each is appended to the
// stream, and one PUBLISH carries them all (an object for one, an array for several).
const PUBLISH_SOURCE = `
local ids, parts = {}, {}
for i = 4, #ARGV do
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[i])
  ids[#ids + 1] = id
  parts[#parts + 1] = '{"id":"' .. id .. '","event":' .. ARGV[i] .. '}'
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
local message = parts[1]
if #parts > 1 then message = '[' .. table.concat(parts, ',') .. ']' end
return { ids, redis.call('PUBLISH', ARGV[3], message) }
`;

const readScript = new LuaScript(
  'weft-events-read',
  `
local after = ARGV[1]
local complete
if after == '0-0' then
  complete = redis.call('XLEN', KEYS[1]) < tonumber(ARGV[3])
else
  complete = #redis.call('XRANGE', KEYS[1], after, after) > 0
end
return { complete and 1 or 0, redis.call('XRANGE', KEYS[1], '(' .. after, '+', 'COUNT', ARGV[2]) }
`,
);

const STREAM_ID = /^(0|[1-9]\d{0,15})-(0|[1-9]\d{0,15})$/;

/**
 * Options of {@link RedisEventBridge}.
 *
 * @example
 * ```ts
 * const options: RedisEventBridgeOptions = { redis, prefix: 'acme:events', maxLength: 5000, logger };
 * ```
 */
export interface RedisEventBridgeOptions {
  /** A connected ioredis client you built, used to publish and read; the bridge subscribes on a duplicate of it. */
  redis: RedisClient;
  /**
   * Prefix of channels and streams; default `weft:events`. A workspace's channel is
   * `<prefix>:<workspaceId, URI-encoded>`, its stream `<prefix>:stream:<workspaceId, URI-encoded>`.
   */
  prefix?: string;
  /** Events kept per workspace stream (`XADD MAXLEN ~`, so a few more may stay); default 1000. Use one value in all processes. */
  maxLength?: number;
  /** A workspace stream without new events for this long is deleted (`PEXPIRE`); default 1 hour. */
  retentionMs?: number;
  /** Where malformed messages and publish failures are reported; default silent. */
  logger?: Logger;
}

/** An engine event with its id in its workspace's stream: the same id in every process. */
export interface StreamedEvent {
  /** Redis stream id (`<ms>-<seq>`); ids of one workspace increase in publish order. */
  id: string;
  event: EngineEvent;
}

/** One page of a workspace's stream, read with {@link RedisEventBridge.read}. */
export interface StreamPage {
  /** Events after the requested id, oldest first. */
  events: StreamedEvent[];
  /** False when events after the requested id may have been trimmed (or the id is unknown): some are missing. */
  complete: boolean;
  /** Set when the page was full: read the next page after this id (the last entry read). */
  next?: string;
}

type Listener = (event: StreamedEvent) => void;

/**
 * Carries engine events between processes: `publish` appends each event to its workspace's Redis
 * Stream (capped, expiring when idle) and, in the same script, publishes it with its stream id on
 * the workspace's pub/sub channel. So every process sees the same id for the same event, ids of a
 * workspace increase in publish order, and a process can `read` the backlog after any id — to
 * resume a client that reconnected elsewhere, or to fill what pub/sub (at-most-once) dropped while
 * the subscriber connection was down: `resubscribed$` says when that happened. Events of one
 * execution keep their order, since one execution runs in one process at a time and each process
 * publishes in order on one connection.
 *
 * @example
 * ```ts
 * // worker process
 * const bridge = new RedisEventBridge({ redis });
 * bridge.forward(engine.events$);
 * // host process
 * const host = new RedisEventBridge({ redis });
 * host.subscribe({ workspaceId: 'ws1' }).subscribe(({ id, event }) => sse.send(id, event));
 * const { events, complete } = await host.read('ws1', { after: lastEventId });
 * ```
 */
export class RedisEventBridge {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #maxLength: number;
  readonly #retentionMs: number;
  readonly #logger: Logger;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #resubscribed = new Subject<void>();
  #subscriber: RedisClient | undefined;
  #pending: Promise<unknown> = Promise.resolve();

  /** Emits each time the subscriber connection is back after a disconnect and Redis confirmed its resubscriptions. */
  readonly resubscribed$: Observable<void> = this.#resubscribed.asObservable();

  constructor(options: RedisEventBridgeOptions) {
    this.#redis = options.redis;
    this.#prefix = options.prefix ?? 'weft:events';
    this.#maxLength = positiveInteger(options.maxLength ?? 1000, 'maxLength');
    this.#retentionMs = positiveInteger(options.retentionMs ?? 3_600_000, 'retentionMs');
    this.#logger = options.logger ?? silentLogger;
  }

  /** The pub/sub channel of a workspace. */
  channel(workspaceId: string): string {
    return `${this.#prefix}:${encodeURIComponent(workspaceId)}`;
  }

  /** The stream key of a workspace. */
  stream(workspaceId: string): string {
    return `${this.#prefix}:stream:${encodeURIComponent(workspaceId)}`;
  }

  /** Appends one event to its workspace's stream and publishes it; resolves with its id and how many subscribers got it. */
  async publish(event: EngineEvent): Promise<{ id: string; receivers: number }> {
    const { ids, receivers } = await this.publishBatch(event.workspaceId, [event]);
    return { id: ids[0] as string, receivers };
  }

  /**
   * Appends events of one workspace to its stream, in order, and publishes them as one message
   * (one round trip, one script run and one pub/sub delivery per subscriber for the lot).
   */
  async publishBatch(workspaceId: string, events: EngineEvent[]): Promise<{ ids: string[]; receivers: number }> {
    const [ids, receivers] = (await this.#redis.eval(
      PUBLISH_SOURCE,
      1,
      this.stream(workspaceId),
      this.#maxLength,
      this.#retentionMs,
      this.channel(workspaceId),
      ...events.map((e) => JSON.stringify(e)),
    )) as [string[], number];
    return { ids, receivers };
  }

  /**
   * Publishes every event of `events$` in order (e.g. `engine.events$`); unsubscribe to stop.
   * Events that arrive in the same turn of the event loop go out together: one script run per
   * workspace, sent in order on this client's connection, so each execution's events keep their order.
   */
  forward(events$: Observable<EngineEvent>): Subscription {
    let batch: EngineEvent[] = [];
    const flush = () => {
      const events = batch;
      batch = [];
      const byWorkspace = new Map<string, EngineEvent[]>();
      for (const e of events) {
        const list = byWorkspace.get(e.workspaceId);
        if (list) list.push(e);
        else byWorkspace.set(e.workspaceId, [e]);
      }
      for (const [workspaceId, list] of byWorkspace) {
        for (let i = 0; i < list.length; i += 200) {
          const chunk = list.slice(i, i + 200);
          this.publishBatch(workspaceId, chunk).catch((error: unknown) =>
            this.#logger.error(
              { err: error, executionIds: [...new Set(chunk.map((e) => e.executionId))], events: chunk.length },
              'event bridge: publish failed',
            ),
          );
        }
      }
    };
    return events$.subscribe((event) => {
      if (batch.length === 0) setImmediate(flush);
      batch.push(event);
    });
  }

  /**
   * Up to `count` (default 500) events of a workspace after the stream id `after`, oldest first
   * (entries that are not engine events are skipped and logged).
   * `complete` is true when nothing after `after` was trimmed: `after` is still in the stream, or
   * it is `0-0` (from the start) and the stream never reached `maxLength`.
   */
  async read(workspaceId: string, options: { after: string; count?: number }): Promise<StreamPage> {
    if (!STREAM_ID.test(options.after))
      throw new Error(`RedisEventBridge.read: after must be a stream id like 1700000000000-0, got "${options.after}"`);
    const count = positiveInteger(options.count ?? 500, 'count');
    const [complete, entries] = (await readScript.run(
      this.#redis,
      [this.stream(workspaceId)],
      [options.after, count, this.#maxLength],
    )) as [number, [string, string[]][]];
    const events: StreamedEvent[] = [];
    for (const [id, fields] of entries) {
      const event = this.#parse(fields[1] ?? '', this.stream(workspaceId));
      if (event) events.push({ id, event });
    }
    const last = entries.length === count ? entries.at(-1)?.[0] : undefined;
    return { events, complete: complete === 1, ...(last ? { next: last } : {}) };
  }

  /** The id of a workspace's newest event, or `0-0` when its stream is empty (or expired). */
  async lastId(workspaceId: string): Promise<string> {
    const [last] = await this.#redis.xrevrange(this.stream(workspaceId), '+', '-', 'COUNT', 1);
    return last?.[0] ?? '0-0';
  }

  /**
   * Events of one workspace, or of all workspaces when `workspaceId` is omitted. Subscriptions are
   * shared and reference-counted on one subscriber connection per bridge.
   */
  subscribe(options: { workspaceId?: string } = {}): Observable<StreamedEvent> {
    const all = options.workspaceId === undefined;
    const name = all ? `${escapeGlob(this.#prefix)}:*` : this.channel(options.workspaceId as string);
    const key = `${all ? 'p' : 'c'}:${name}`;
    return new Observable<StreamedEvent>((observer) => {
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

  #connect(): RedisClient {
    if (this.#subscriber) return this.#subscriber;
    const subscriber = this.#redis.duplicate();
    this.#subscriber = subscriber;
    let readies = 0;
    subscriber.on('ready', () => {
      if (++readies === 1) return;
      // ioredis sent the resubscriptions before emitting 'ready'; the PING's reply comes after theirs.
      subscriber.ping().then(
        () => this.#resubscribed.next(),
        () => {}, // dropped again: the next 'ready' tries again
      );
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
    let batch: StreamedEvent[];
    try {
      const parsed = JSON.parse(message) as StreamedEvent | StreamedEvent[];
      batch = Array.isArray(parsed) ? parsed : [parsed];
      for (const streamed of batch)
        if (typeof streamed?.id !== 'string' || !isEngineEvent(streamed.event)) throw new Error('not a streamed event');
    } catch (error) {
      this.#logger.warn({ err: error, channel }, 'event bridge: dropped a malformed message');
      return;
    }
    const targets = [...listeners];
    for (const streamed of batch) for (const listener of targets) listener(streamed);
  }

  #parse(json: string, where: string): EngineEvent | undefined {
    try {
      const event = JSON.parse(json) as EngineEvent;
      if (isEngineEvent(event)) return event;
    } catch {}
    this.#logger.warn({ stream: where }, 'event bridge: skipped a malformed stream entry');
    return undefined;
  }
}

function isEngineEvent(event: EngineEvent | undefined): event is EngineEvent {
  return typeof event?.type === 'string' && typeof event.executionId === 'string';
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`RedisEventBridge: ${name} must be a positive integer, got ${value}`);
  return value;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
