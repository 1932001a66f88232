import { type EngineEvent, type EventHub, type Logger, MemoryEventHub } from '@weft/engine';
import { type RedisClient, RedisEventBridge, RedisEventHub } from '@weft/redis';
import type { Observable, Subscription } from 'rxjs';

/** What {@link buildEventHub} returns: the hub, the subscription feeding it, and how to close it. */
export interface BuiltEventHub {
  hub: EventHub;
  /** Forwards the engine's events into the hub (or the Redis bridge); unsubscribe on shutdown. */
  feed: Subscription;
  /** Closes the Redis hub, its bridge and the bridge's connection (nothing without Redis). */
  close(): Promise<void>;
}

/**
 * The hub realtime streams, waiting requests and push read engine events from. With Redis every
 * event goes through a Redis stream, even to this process, so every process gives it the same
 * stream id; without Redis an in-memory hub.
 *
 * @example
 * ```ts
 * const { hub, feed, close } = buildEventHub({ redis, redisPrefix: 'weft', events$: engine.events$, logger });
 * feed.unsubscribe();
 * await close();
 * ```
 */
export function buildEventHub(options: {
  redis: RedisClient | undefined;
  redisPrefix: string;
  events$: Observable<EngineEvent>;
  logger: Logger;
}): BuiltEventHub {
  const { redis, logger } = options;
  if (!redis) {
    const hub = new MemoryEventHub();
    return { hub, feed: options.events$.subscribe((e) => hub.publish(e)), close: async () => {} };
  }
  const bridgeRedis = redis.duplicate();
  const bridge = new RedisEventBridge({ redis: bridgeRedis, logger, prefix: `${options.redisPrefix}:events` });
  const feed = bridge.forward(options.events$);
  const hub = new RedisEventHub({ bridge, logger });
  return {
    hub,
    feed,
    async close() {
      hub.close();
      await bridge.close().catch(() => {});
      bridgeRedis.disconnect();
    },
  };
}
