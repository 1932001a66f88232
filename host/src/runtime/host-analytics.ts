import {
  AnalyticsIngest,
  MemoryRealtimeCounters,
  type RealtimeCounterStore,
  RealtimeMetrics,
  Rollups,
} from '@weft/analytics';
import type { EngineEvent, Logger } from '@weft/engine';
import { type RedisClient, RedisRealtimeCounters } from '@weft/redis';
import { type HostDb, SqlAnalyticsSettings, SqlAnalyticsStore } from '@weft/sql';

/** The host's analytics: ingest off the engine's events, realtime counters, rollups every minute. */
export interface HostAnalytics {
  store: SqlAnalyticsStore;
  ingest: AnalyticsIngest;
  realtime: RealtimeMetrics;
  rollups: Rollups;
  /** Stored SLO, cost and ROI settings per workflow and workspace, and alert state. */
  settings: SqlAnalyticsSettings;
  /** Runs `fn` after each rollup round (alert evaluation); its failures are logged. */
  onRollup(fn: (now: number) => Promise<unknown>): void;
  /** Writes buffered records and rolls up every complete bucket now (tests, CLI). */
  rollUp(now?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Wires `@weft/analytics` into the host: every engine event of this process goes to the ingest
 * buffer (batched raw writes, never on the request path); realtime counters live in Redis when
 * the host has it (shared by all processes) and in process otherwise; rollups run every
 * `rollupIntervalMs`. Rollups are idempotent, so processes that run them at once only repeat work.
 *
 * @example
 * ```ts
 * const analytics = createHostAnalytics({ h, events$: engine.events$, logger });
 * await analytics.close();
 * ```
 */
export function createHostAnalytics(options: {
  h: HostDb;
  events$: { subscribe(next: (e: EngineEvent) => void): { unsubscribe(): void } };
  logger: Logger;
  redis?: RedisClient;
  redisPrefix?: string;
  rollupIntervalMs?: number;
  /** Collect at all; when false the routes answer from what earlier runs stored. Default true. */
  enabled?: boolean;
  /** Days each tier is kept (defaults 7 / 30 / 365). */
  retentionDays?: { partials: number; fiveMinute: number; hourly: number };
}): HostAnalytics {
  const store = new SqlAnalyticsStore(options.h);
  const counters: RealtimeCounterStore = options.redis
    ? new RedisRealtimeCounters({ redis: options.redis, prefix: `${options.redisPrefix ?? 'weft'}:analytics:rt` })
    : new MemoryRealtimeCounters();
  const realtime = new RealtimeMetrics(counters);
  const ingest = new AnalyticsIngest({ store, realtime });
  const days = options.retentionDays;
  const DAY = 86_400_000;
  const rollups = new Rollups({
    store,
    ...(days
      ? { retention: { rawMs: days.partials * DAY, fiveMinuteMs: days.fiveMinute * DAY, hourlyMs: days.hourly * DAY } }
      : {}),
  });
  const enabled = options.enabled ?? true;
  const subscription = enabled ? options.events$.subscribe((e) => ingest.observe(e)) : { unsubscribe() {} };
  const afterRollup: Array<(now: number) => Promise<unknown>> = [];
  let running: Promise<void> | undefined;
  const rollUp = (now = Date.now()) => {
    running ??= (async () => {
      await ingest.flush();
      await rollups.run(now);
      for (const fn of afterRollup) await fn(now);
    })()
      .catch((err) =>
        options.logger.warn({ err: (err as Error).message }, 'analytics rollup failed; retrying next round'),
      )
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = enabled ? setInterval(() => void rollUp(), options.rollupIntervalMs ?? 60_000) : undefined;
  timer?.unref();
  return {
    store,
    ingest,
    realtime,
    rollups,
    settings: new SqlAnalyticsSettings(options.h),
    onRollup: (fn) => void afterRollup.push(fn),
    rollUp,
    async close() {
      clearInterval(timer);
      subscription.unsubscribe();
      await running;
      await ingest.close();
    },
  };
}
