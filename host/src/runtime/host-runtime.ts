import { dirname, join, resolve } from 'node:path';
import {
  authSchemesOf,
  builtinConnectors,
  CredentialVault,
  createHttpClient,
  OAuth2TokenManager,
  parseMasterKeys,
  type Redactor,
} from '@weft/connectors';
import {
  type BlobStore,
  type EventHub,
  type JobQueue,
  type Logger,
  MemoryBlobStore,
  MemoryEventHub,
  MemoryRateLimiter,
  NodeRegistry,
  type RateLimiter,
  type StoredWorkflow,
  Worker,
  WorkflowEngine,
} from '@weft/engine';
import { FileSystemBlobStore } from '@weft/fs';
import { createPostgresStorage } from '@weft/postgres';
import { RedisEventBridge, RedisEventHub, RedisQueue, RedisRateLimiter } from '@weft/redis';
import { IsolateSandbox } from '@weft/sandbox';
import {
  ApiKeyStore,
  EventTriggerStore,
  type HostDb,
  IdentityStore,
  type MigrateResult,
  PushSubscriptionStore,
  SessionStore,
  SqlCredentialRecordStore,
  SqlDeliveryLog,
  type SqlExecutionStore,
  type SqlStorage,
  SqlTriggerState,
  WebhookStore,
  weftMigrations,
} from '@weft/sql';
import { createSqliteStorage } from '@weft/sqlite';
import { Redis } from 'ioredis';
import type { Subscription } from 'rxjs';
import { OidcVerifier } from '../auth/oidc-verifier.js';
import { SessionTokens } from '../auth/session-tokens.js';
import type { HostConfig } from '../config/load-config.js';
import { PushNotifier } from '../push/push-notifier.js';
import { type ConnectorLocks, createConnectorLocks } from './connector-locks.js';
import { EventTriggerRouter } from './event-trigger-router.js';
import { ExecutionLauncher } from './execution-launcher.js';
import { ExecutionSweeper } from './execution-sweeper.js';
import { createHostAnalytics, type HostAnalytics } from './host-analytics.js';
import { HostMetrics } from './host-metrics.js';
import { hostNodeTypes } from './host-node-types.js';
import { PlatformEvents } from './platform-events.js';
import { Scheduler } from './scheduler.js';
import { ExecutionTracing } from './tracing.js';
import { WebhookRouter } from './webhook-router.js';

/** Every service the API, CLI and workers share; built once per process by {@link createRuntime}. */
export interface HostRuntime {
  config: HostConfig;
  logger: Logger;
  h: HostDb;
  engine: WorkflowEngine;
  executions: SqlExecutionStore;
  queue: JobQueue;
  sandbox: IsolateSandbox;
  registry: NodeRegistry;
  vault: CredentialVault;
  identity: IdentityStore;
  sessions: SessionStore;
  apiKeys: ApiKeyStore;
  webhooks: WebhookRouter;
  scheduler: Scheduler;
  /** Gives executions a dead process left without their queue job (queued, or parked on a timer) that job. */
  sweeper: ExecutionSweeper;
  /** Event triggers; `events.publish(workspaceId, name, payload)` starts the subscribed workflows. */
  events: EventTriggerRouter;
  /** Inbound webhook requests (accepted and refused), buffered into `webhook_deliveries`. */
  deliveries: SqlDeliveryLog;
  hub: EventHub;
  metrics: HostMetrics;
  launcher: ExecutionLauncher;
  tokens: SessionTokens;
  oidc?: OidcVerifier;
  rateLimiter: RateLimiter;
  /** Locks shared by host processes: Redis, Postgres advisory locks, or in-memory on SQLite. */
  locks: ConnectorLocks;
  /** OAuth2 access tokens for connectors, refreshed once across processes under `locks.keyed`. */
  oauth2: OAuth2TokenManager;
  /** Web Push notifications (failed workflows, approvals) and their subscriptions. */
  push: PushNotifier;
  /** Execution analytics: ingest, realtime counters, rollups (`@weft/analytics`). */
  analytics: HostAnalytics;
  worker?: Worker;
  /** Applies pending migrations (Weft's and the host's). */
  migrate(): Promise<MigrateResult>;
  /** Whether the database answers (readiness). */
  ping(): Promise<boolean>;
  /** Stops the worker, waits for in-flight executions (up to the grace period) and closes connections. */
  close(): Promise<void>;
}

const MIGRATIONS = weftMigrations;

/** Payload and file blobs beside the SQLite file (`<dir>/blobs`), in memory for `:memory:`. */
function sqliteBlobs(filename: string): BlobStore {
  return filename === ':memory:'
    ? new MemoryBlobStore()
    : new FileSystemBlobStore({ root: join(dirname(resolve(filename)), 'blobs') });
}

/**
 * Opens storage (SQLite by default; Postgres when `databaseUrl` is `postgres://`), the queue (the
 * database's, or Redis when `redisUrl` is set), the isolate sandbox, the engine with built-in and
 * connector node types, the credential vault and the host's stores, and runs migrations. Give the
 * `redactor` your logger was built with (`createHostLogger`): the vault teaches it every secret it
 * decrypts or writes, so log lines lose them; without one the vault keeps its own.
 *
 * @example
 * ```ts
 * const runtime = await createRuntime(loadConfig(), { logger });
 * await runtime.close();
 * ```
 */
export async function createRuntime(
  config: HostConfig,
  options: { logger: Logger; redactor?: Redactor; worker?: boolean; migrate?: boolean; scheduler?: boolean },
): Promise<HostRuntime> {
  const logger = options.logger;
  const isPg = config.databaseUrl.startsWith('postgres');
  const filename = config.databaseUrl.slice('sqlite:'.length);
  const blobs = isPg ? new FileSystemBlobStore() : sqliteBlobs(filename);
  const common = { blobs, migrations: MIGRATIONS, migrate: options.migrate !== false };
  const storage: SqlStorage = isPg
    ? await createPostgresStorage({ connectionString: config.databaseUrl, ...common })
    : await createSqliteStorage({ filename, ...common });
  const h: HostDb = { db: storage.db, dialect: storage.dialect };
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false })
    : undefined;
  redis?.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const queue: JobQueue = redis ? new RedisQueue({ redis, prefix: config.redisPrefix }) : storage.queue;

  const credentialStore = new SqlCredentialRecordStore(h);
  // With the connectors' schemes the vault checks required fields and teaches the redactor only
  // secret fields (not user names or header names, which would then vanish from every log line).
  const vault = new CredentialVault({
    store: credentialStore,
    masterKeys: parseMasterKeys(config.masterKeys),
    schemes: builtinConnectors.flatMap(authSchemesOf),
    ...(options.redactor ? { redactor: options.redactor } : {}),
  });
  const locks = createConnectorLocks({
    redis,
    redisPrefix: config.redisPrefix,
    databaseUrl: config.databaseUrl,
    logger,
  });
  const triggerState = new SqlTriggerState(h);
  // Under the shared lock a process re-reads the credential and uses tokens another process already refreshed.
  const http = createHttpClient({ allow: config.httpAllow });
  const oauth2 = new OAuth2TokenManager({
    http,
    writer: vault,
    shared: {
      lock: locks.keyed,
      reload: async (ref) => (await vault.resolve({ ...ref, nodeType: 'oauth2.refresh' })).data,
    },
  });
  const registry = new NodeRegistry().register(...hostNodeTypes({ http, blobs, tokens: oauth2, state: triggerState }));
  const sandbox = new IsolateSandbox({
    size: Math.max(1, Math.min(4, config.workerConcurrency)),
    dispatch: config.sandboxDispatch,
  });
  const env: Record<string, string> = {};
  for (const name of config.envAllow) if (process.env[name] !== undefined) env[name] = process.env[name] as string;
  const engine = new WorkflowEngine({
    registry,
    sandbox,
    workflows: storage.workflows,
    executions: storage.executions,
    queue,
    credentials: vault,
    logger,
    env,
  });
  const subscriptions: Subscription[] = [];
  let bridge: RedisEventBridge | undefined;
  let bridgeRedis: Redis | undefined;
  let redisHub: RedisEventHub | undefined;
  let hub: EventHub;
  if (redis) {
    // Events go through Redis even to this process, so every process gives them the same stream ids.
    bridgeRedis = redis.duplicate();
    bridge = new RedisEventBridge({ redis: bridgeRedis, logger, prefix: `${config.redisPrefix}:events` });
    subscriptions.push(bridge.forward(engine.events$));
    redisHub = new RedisEventHub({ bridge, logger });
    hub = redisHub;
  } else {
    const memoryHub = new MemoryEventHub();
    subscriptions.push(engine.events$.subscribe((e) => memoryHub.publish(e)));
    hub = memoryHub;
  }
  const metrics = new HostMetrics({
    queue,
    sandboxStats: () => sandbox.stats(),
    running: () => engine.runningCount,
    subscribers: () => hub.subscriberCount,
  });
  const tracing = new ExecutionTracing();
  const nodeTypes = new Map<string, Map<string, string>>();
  const typeOf = async (workspaceId: string, workflowId: string, nodeId: string): Promise<string | undefined> => {
    const k = `${workspaceId}/${workflowId}`;
    let m = nodeTypes.get(k);
    if (!m) {
      const stored = await storage.workflows.get(workspaceId, workflowId).catch(() => undefined);
      m = new Map((stored?.workflow.nodes ?? []).map((n) => [n.id, n.type]));
      if (nodeTypes.size > 5000) nodeTypes.clear();
      nodeTypes.set(k, m);
    }
    return m.get(nodeId);
  };
  subscriptions.push(
    engine.events$.subscribe((e) => {
      tracing.observe(e);
      if (e.type === 'node:executed') {
        const cached = nodeTypes.get(`${e.workspaceId}/${e.workflowId}`)?.get(e.nodeId);
        if (cached) metrics.observeEvent(e, cached);
        else void typeOf(e.workspaceId, e.workflowId, e.nodeId).then((t) => metrics.observeEvent(e, t));
      } else metrics.observeEvent(e);
    }),
  );
  const mode = isPg || redis ? 'queue' : 'direct';
  const launcher = new ExecutionLauncher({
    engine,
    mode,
    hub,
    onError: (err, executionId) => logger.error({ executionId, err: String(err) }, 'execution crashed'),
  });
  const webhooks = new WebhookRouter({
    store: new WebhookStore(h),
    workflows: storage.workflows,
    credentials: vault,
    connectors: builtinConnectors,
  });
  await webhooks.load();
  const worker =
    options.worker === false ? undefined : new Worker({ engine, queue, concurrency: config.workerConcurrency, logger });
  worker?.start();
  const identity = new IdentityStore(h);
  const scheduler = new Scheduler({
    workflows: storage.workflows,
    state: triggerState,
    ...(locks.schedule ? { lock: locks.schedule } : {}),
    launcher,
    logger,
    connectors: builtinConnectors,
  });
  const sweeper = new ExecutionSweeper({ engine, lock: locks.schedule ?? triggerState, logger });
  if (options.worker !== false) {
    await sweeper.sweep().catch((err) => logger.error({ err: (err as Error).message }, 'execution sweep failed'));
    sweeper.start();
  }
  const workspaceIds = await identity.listWorkspaceIds();
  await scheduler.load(workspaceIds);
  if (options.scheduler !== false) scheduler.start();
  const eventTriggers = new EventTriggerStore(h);
  const events = new EventTriggerRouter({
    store: eventTriggers,
    workflows: storage.workflows,
    launcher,
    logger,
    connectors: builtinConnectors,
  });
  await events.load(workspaceIds);
  // Local events only: each execution's outcome is published once, by the process that ran it.
  subscriptions.push(
    new PlatformEvents({ router: events, store: eventTriggers, executions: storage.executions, logger }).attach(
      engine.events$,
    ),
  );
  const deliveries = new SqlDeliveryLog(h, { logger });
  if (options.worker !== false && config.deliveryRetentionDays > 0)
    deliveries.keepFor(config.deliveryRetentionDays * 86_400_000);
  const push = new PushNotifier({
    store: new PushSubscriptionStore(h),
    vapid: config.vapid,
    logger,
    isMember: async (ws, userId) => (await identity.roleOf(ws, userId)) !== undefined,
    workflowName: async (ws, id) => (await storage.workflows.get(ws, id))?.workflow.name,
    executionMode: async (ws, id) => (await storage.executions.get(ws, id))?.mode,
    allow: config.httpAllow,
  });
  // Local events only: with the Redis bridge each event is still sent once, by the process that ran it.
  subscriptions.push(push.attach(engine.events$));
  const rateLimiter: RateLimiter = redis
    ? new RedisRateLimiter({ redis, prefix: `${config.redisPrefix}:ratelimit` })
    : new MemoryRateLimiter();
  const analytics = createHostAnalytics({
    h,
    events$: engine.events$,
    logger,
    ...(redis ? { redis, redisPrefix: config.redisPrefix } : {}),
  });
  let closed = false;
  const runtime: HostRuntime = {
    config,
    logger,
    h,
    engine,
    executions: storage.executions,
    queue,
    sandbox,
    registry,
    vault,
    identity,
    sessions: new SessionStore(h),
    apiKeys: new ApiKeyStore(h),
    webhooks,
    scheduler,
    sweeper,
    events,
    deliveries,
    hub,
    metrics,
    launcher,
    tokens: new SessionTokens(config.jwtSecret, config.sessionTtlSec),
    ...(config.oidc ? { oidc: new OidcVerifier(config.oidc) } : {}),
    rateLimiter,
    locks,
    oauth2,
    push,
    analytics,
    ...(worker ? { worker } : {}),
    migrate: () => storage.migrate(),
    async ping() {
      try {
        await h.db.selectFrom('weft_migrations').select('version').limit(1).execute();
        if (redis) await redis.ping();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      launcher.stopWaiting();
      await scheduler.stop();
      await sweeper.stop();
      await worker?.stop();
      const left = await launcher.drain(config.shutdownGraceMs);
      if (left)
        logger.warn({ executions: left }, 'shutting down with executions still running; they resume on the next start');
      for (const s of subscriptions) s.unsubscribe();
      redisHub?.close();
      await deliveries.close();
      await push.close();
      await analytics.close();
      await bridge?.close().catch(() => {});
      if (redis) {
        await (queue as RedisQueue).close().catch(() => {});
        bridgeRedis?.disconnect();
        redis.disconnect();
      }
      await sandbox.close();
      await locks.close();
      await storage.close();
    },
  };
  return runtime;
}

/** The stored workflow behind an execution's pinned version, scoped to the workspace. */
export async function pinnedWorkflow(
  runtime: HostRuntime,
  workspaceId: string,
  workflowId: string,
  version: number,
): Promise<StoredWorkflow | undefined> {
  return runtime.engine.workflows.getVersion(workspaceId, workflowId, version);
}
