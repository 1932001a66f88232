import { type EngineEvent, type Logger, silentLogger } from '@weft/engine';
import { Observable, Subject, type Subscription } from 'rxjs';
import { EVENTS_PER_ENTRY, entryEvents, entryOf, entrySize, eventIdOf, isEngineEvent } from './event-stream-entries.js';
import { LuaScript } from './lua-script.js';
import type { RedisClient } from './redis-client.js';

// Sent with EVAL, not EVALSHA: an EVALSHA that misses the script cache is retried as EVAL after its
// reply, and a later event's EVALSHA may run in between, which would reorder the stream.
// ARGV = maxLength, retentionMs, channel, event count, the events as one JSON array: one stream
// entry (format 2, see event-stream-entries.ts) and one PUBLISH of {"id": <entry id>, "events": [...]}.
const PUBLISH_SOURCE = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'n', ARGV[4], 'b', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return { id, redis.call('PUBLISH', ARGV[3], '{"id":"' .. id .. '","events":' .. ARGV[5] .. '}') }
`;

// ARGV = the entry the read starts in (read inclusive: events after the requested one may be in
// it), count, maxLength. Complete when that entry is still there, or the read is from the start
// and the stream never reached maxLength.
const readScript = new LuaScript(
  'weft-events-read-2',
  `
local from = ARGV[1]
local complete
if from == '0-0' then
  complete = redis.call('XLEN', KEYS[1]) < tonumber(ARGV[3])
else
  complete = #redis.call('XRANGE', KEYS[1], from, from) > 0
end
return { complete and 1 or 0, redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', ARGV[2]) }
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
  /**
   * Entries kept per workspace stream (`XADD MAXLEN ~`, so a few more may stay); default 1000. An
   * entry holds the events of one publish (one turn of a process's event loop). Use one value in
   * all processes.
   */
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
 * Carries engine events between processes: `publish` appends events to their workspace's Redis
 * Stream (capped, expiring when idle) as one entry per publish and, in the same script, publishes
 * them with the entry's id on the workspace's pub/sub channel; each event's id is derived from the
 * entry id and its place in it (see `event-stream-entries.ts`). So every process sees the same id for the same event, ids of a
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
    if (events.length === 0 || events.length > EVENTS_PER_ENTRY)
      throw new RangeError(
        `RedisEventBridge.publishBatch: between 1 and ${EVENTS_PER_ENTRY} events, got ${events.length}`,
      );
    const [id, receivers] = (await this.#redis.eval(
      PUBLISH_SOURCE,
      1,
      this.stream(workspaceId),
      this.#maxLength,
      this.#retentionMs,
      this.channel(workspaceId),
      events.length,
      JSON.stringify(events),
    )) as [string, number];
    return { ids: events.map((_, i) => eventIdOf(id, i)), receivers };
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
    const { entryId: from, index } = entryOf(options.after);
    const stream = this.stream(workspaceId);
    // One more than a page: the first entry may be the one `after` points into.
    const [complete, entries] = (await readScript.run(this.#redis, [stream], [from, count + 1, this.#maxLength])) as [
      number,
      [string, string[]][],
    ];
    const events: StreamedEvent[] = [];
    const head = entries[0]?.[0] === from ? entries[0] : undefined;
    const page = entries.slice(head ? 1 : 0).slice(0, count);
    for (const [id, fields] of head ? [head, ...page] : page) {
      const batch = this.#parse(fields, stream);
      for (let i = id === from ? index + 1 : 0; i < batch.length; i++)
        events.push({ id: eventIdOf(id, i), event: batch[i] as EngineEvent });
    }
    const last = page.length === count ? page.at(-1) : undefined;
    return {
      events,
      complete: complete === 1,
      ...(last ? { next: eventIdOf(last[0], Math.max(0, safeSize(last[1]) - 1)) } : {}),
    };
  }

  /** The id of a workspace's newest event, or `0-0` when its stream is empty (or expired). */
  async lastId(workspaceId: string): Promise<string> {
    const [last] = await this.#redis.xrevrange(this.stream(workspaceId), '+', '-', 'COUNT', 1);
    return last ? eventIdOf(last[0], Math.max(0, safeSize(last[1]) - 1)) : '0-0';
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
      const parsed = JSON.parse(message) as { id?: unknown; events?: unknown };
      if (typeof parsed?.id !== 'string' || !STREAM_ID.test(parsed.id) || !Array.isArray(parsed.events))
        throw new Error('not a batch of streamed events');
      const entryId = parsed.id;
      batch = parsed.events.map((event, i) => {
        if (!isEngineEvent(event)) throw new Error('not an engine event');
        return { id: eventIdOf(entryId, i), event };
      });
    } catch (error) {
      this.#logger.warn({ err: error, channel }, 'event bridge: dropped a malformed message');
      return;
    }
    const targets = [...listeners];
    for (const streamed of batch) for (const listener of targets) listener(streamed);
  }

  /** The engine events of one stream entry; an entry that holds none (malformed) is skipped and logged. */
  #parse(fields: string[], where: string): EngineEvent[] {
    try {
      const events = entryEvents(fields);
      if (events.every(isEngineEvent)) return events;
    } catch {}
    this.#logger.warn({ stream: where }, 'event bridge: skipped a malformed stream entry');
    return [];
  }
}

/** Events in an entry, or 0 when it cannot be read (a malformed entry: its id stands for none). */
function safeSize(fields: string[]): number {
  try {
    return entrySize(fields);
  } catch {
    return 0;
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new Error(`RedisEventBridge: ${name} must be a positive integer, got ${value}`);
  return value;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
