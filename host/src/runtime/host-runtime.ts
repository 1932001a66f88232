import { ErrorSealingQueue } from '@weft/compliance';
import type { CredentialVault, OAuth2TokenManager, Redactor } from '@weft/connectors';
import {
  type AuditStore,
  type EventHub,
  type JobQueue,
  type Logger,
  type NodeRegistry,
  type RateLimiter,
  type StoredWorkflow,
  Worker,
  type WorkflowEngine,
} from '@weft/engine';
import { type RedisClient, RedisQueue } from '@weft/redis';
import type { IsolateSandbox } from '@weft/sandbox';
import {
  ApiKeyStore,
  type HostDb,
  IdentityStore,
  type MigrateResult,
  SessionStore,
  type SqlDeliveryLog,
  type SqlExecutionStore,
  SqlTriggerState,
} from '@weft/sql';
import { createAlertEvaluator } from '../analytics/alert-evaluator.js';
import { OidcVerifier } from '../auth/oidc-verifier.js';
import { SessionTokens } from '../auth/session-tokens.js';
import { sweepExpiredExports } from '../compliance/gdpr-export.js';
import { sealSubjectPayloads, subjectSealing } from '../compliance/subject-sealing.js';
import type { HostConfig } from '../config/load-config.js';
import { sessionDatabaseUrl } from '../config/scale-out-settings.js';
import type { PushNotifier } from '../push/push-notifier.js';
import { attachRegions, type SharedAccounts } from '../residency/attach-regions.js';
import type { Residency } from '../residency/residency.js';
import { buildOutboundWebhooks } from '../webhooks-out/build-outbound-webhooks.js';
import type { OutboundWebhooks } from '../webhooks-out/outbound-webhooks.js';
import { buildEngine } from './build-engine.js';
import { buildEventHub } from './build-event-hub.js';
import { type BuiltFiles, buildFiles } from './build-files.js';
import { buildMetrics } from './build-metrics.js';
import { buildOAuth2 } from './build-oauth2.js';
import { buildPush } from './build-push.js';
import { buildRateLimiter } from './build-rate-limiter.js';
import { buildRedis } from './build-redis.js';
import { buildStorage } from './build-storage.js';
import { buildTriggers } from './build-triggers.js';
import { buildVault } from './build-vault.js';
import { type ConnectorLocks, createConnectorLocks } from './connector-locks.js';
import type { EventTriggerRouter } from './event-trigger-router.js';
import { ExecutionLauncher, type LaunchMode } from './execution-launcher.js';
import type { ExecutionSweeper } from './execution-sweeper.js';
import { createHostAnalytics, type HostAnalytics } from './host-analytics.js';
import type { HostMetrics } from './host-metrics.js';
import { hostNodeTypes } from './host-node-types.js';
import { buildReadRouting, type ReadRouting } from './read-routing.js';
import type { Scheduler } from './scheduler.js';
import type { WebhookRouter } from './webhook-router.js';

/** Every service the API, CLI and workers share; built once per process by {@link createRuntime}. */
export interface HostRuntime {
  config: HostConfig;
  logger: Logger;
  h: HostDb;
  engine: WorkflowEngine;
  executions: SqlExecutionStore;
  /** The job queue; errors stored with jobs of sealed executions are sealed with their key. */
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
  /** Where execution search and analytics read: the replica of `WEFT_DATABASE_READ_URL` (read-your-writes), else `h`. */
  reads: ReadRouting;
  /** The shared Redis client when `redisUrl` is set (closed by `close()`); e.g. the AI response cache. */
  redis?: RedisClient;
  /** Blob buckets (`blob.storage`), the signer of host blob URLs and where workflows keep files (`files`). */
  blob: BuiltFiles['blob'];
  files: BuiltFiles['files'];
  /** Outbound webhook subscriptions of workspaces to platform events, and their delivery outbox. */
  outboundWebhooks: OutboundWebhooks;
  worker?: Worker;
  /** With `WEFT_REGIONS`: the region runtimes and the workspace -> region map (ADR 0014). */
  residency?: Residency;
  /**
   * Builds the store audit entries are written to, on the database handle given (the runtime's, or
   * the transaction of an audited write); default `SqlAuditStore`. Set by `createHost`'s `auditStore`.
   */
  auditStore?: (h: HostDb) => AuditStore;
  /** Applies pending migrations (Weft's and the host's). */
  migrate(): Promise<MigrateResult>;
  /** Whether the database answers (readiness). */
  ping(): Promise<boolean>;
  /** Stops the worker, waits for in-flight executions (up to the grace period) and closes connections. */
  close(): Promise<void>;
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
  options: {
    logger: Logger;
    redactor?: Redactor;
    worker?: boolean;
    migrate?: boolean;
    scheduler?: boolean;
    /** Default: `direct` on SQLite without Redis, else `queue`; `direct` on Postgres is for one process only. */
    launchMode?: LaunchMode;
    /** A region's runtime: the control database's accounts, sessions and API keys (ADR 0014). */
    shared?: SharedAccounts;
    /** Directory of large node-run payloads (a region's own; default: `./.weft/blobs` on Postgres, beside the SQLite file). */
    payloadBlobRoot?: string;
  },
): Promise<HostRuntime> {
  const { logger } = options;
  const { storage, h, notices } = await buildStorage(config, {
    migrate: options.migrate !== false,
    ...(options.payloadBlobRoot ? { payloadBlobRoot: options.payloadBlobRoot } : {}),
  });
  const redis = buildRedis(config, logger);
  const queue: JobQueue = redis ? new RedisQueue({ redis, prefix: config.redisPrefix }) : storage.queue;
  const vault = buildVault(h, config, options.redactor);
  const locks = createConnectorLocks({
    redis,
    redisPrefix: config.redisPrefix,
    // Session advisory locks: not through a transaction pooler.
    databaseUrl: sessionDatabaseUrl(config),
    logger,
  });
  const triggerState = new SqlTriggerState(h);
  const { http, oauth2 } = buildOAuth2(config, vault, locks);
  const built = await buildFiles({ config, h, logger, retention: options.worker !== false });
  const { files } = built;
  const nodeTypes = hostNodeTypes({ http, blobs: files, tokens: oauth2, state: triggerState });
  // GDPR crypto-shredding (ADR 0012): payloads of executions that name a data subject are sealed with its key.
  const executions = sealSubjectPayloads(h, config.masterKeys, storage.executions);
  const { engine, registry, sandbox } = buildEngine({
    config,
    storage: { workflows: storage.workflows, executions },
    queue,
    vault,
    logger,
    nodeTypes,
    blobs: files,
  });
  const hubs = buildEventHub({ redis, redisPrefix: config.redisPrefix, events$: engine.events$, logger });
  const { hub } = hubs;
  const { metrics, feed: metricsFeed } = buildMetrics({ engine, queue, sandbox, hub, workflows: storage.workflows });
  const launcher = new ExecutionLauncher({
    engine,
    mode: options.launchMode ?? (storage.dialect === 'postgres' || redis ? 'queue' : 'direct'),
    // Without the Redis bridge, a worker elsewhere tells waiting requests through Postgres notifications.
    ...(notices && !redis ? { notices } : {}),
    hub,
    onError: (err, executionId) => logger.error({ executionId, err: String(err) }, 'execution crashed'),
  });
  // The errors a worker stores with jobs (retries, dead letters) are sealed like their execution's payloads.
  const jobs = new ErrorSealingQueue(queue, subjectSealing(h).keys);
  const worker =
    options.worker === false
      ? undefined
      : new Worker({ engine, queue: jobs, concurrency: config.workerConcurrency, logger });
  worker?.start();
  const identity = options.shared?.identity ?? new IdentityStore(h);
  const triggers = await buildTriggers({
    config,
    h,
    workflows: storage.workflows,
    executions,
    engine,
    launcher,
    vault,
    locks,
    triggerState,
    workspaceIds: () => identity.listWorkspaceIds(),
    logger,
    worker: options.worker !== false,
    scheduler: options.scheduler !== false,
    ...(options.shared?.webhookPaths ? { webhookPaths: options.shared.webhookPaths } : {}),
  });
  const { webhooks, scheduler, sweeper, events, deliveries } = triggers;
  const { push, feed: pushFeed } = buildPush({
    config,
    h,
    identity,
    workflows: storage.workflows,
    executions,
    events$: engine.events$,
    logger,
  });
  const analytics = createHostAnalytics({
    h,
    enabled: config.analytics,
    retentionDays: config.analyticsRetentionDays,
    events$: engine.events$,
    logger,
    ...(redis ? { redis, redisPrefix: config.redisPrefix } : {}),
  });
  const outbound = buildOutboundWebhooks({
    config,
    h,
    executions,
    events$: engine.events$,
    logger,
    deliver: options.worker !== false,
  });
  analytics.onRollup(
    createAlertEvaluator({
      analytics,
      h,
      logger,
      push,
      outbound: outbound.outbound,
      publish: (ws, name, payload, source) =>
        events.publish(ws, name, payload, { internal: true, sourceWorkflowId: source }),
    }),
  );
  const noticeFeed = notices && !redis ? engine.events$.subscribe((e) => notices.publish(e)) : undefined;
  const reads = buildReadRouting(config, h, logger);
  // Executions this process finished are the workspace's writes too (a run the user is waiting for).
  const readMarks = reads.replica
    ? engine.events$.subscribe((e) => {
        if (e.type === 'workflow:completed' || e.type === 'workflow:failed') reads.noteWrite(e.workspaceId);
      })
    : undefined;
  const subscriptions = [
    hubs.feed,
    metricsFeed,
    triggers.feed,
    pushFeed,
    outbound.feed,
    ...(noticeFeed ? [noticeFeed] : []),
    ...(readMarks ? [readMarks] : []),
  ];
  // An export bundle whose link has expired is deleted within the hour: it holds a subject's data.
  const exportSweep =
    options.worker !== false
      ? setInterval(() => {
          sweepExpiredExports(runtime).catch((err) =>
            logger.warn({ err: String(err) }, 'deleting expired GDPR export bundles failed; retrying later'),
          );
        }, 3_600_000)
      : undefined;
  exportSweep?.unref();
  let closed = false;
  const runtime: HostRuntime = {
    config,
    logger,
    h,
    engine,
    executions: storage.executions,
    reads,
    queue: jobs,
    sandbox,
    registry,
    vault,
    identity,
    sessions: options.shared?.sessions ?? new SessionStore(h),
    apiKeys: options.shared?.apiKeys ?? new ApiKeyStore(h),
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
    rateLimiter: buildRateLimiter(config, redis),
    locks,
    oauth2,
    push,
    analytics,
    ...(redis ? { redis } : {}),
    blob: built.blob,
    files,
    outboundWebhooks: outbound.outbound,
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
      if (exportSweep) clearInterval(exportSweep);
      await scheduler.stop();
      await sweeper.stop();
      await worker?.stop();
      const left = await launcher.drain(config.shutdownGraceMs);
      if (left)
        logger.warn({ executions: left }, 'shutting down with executions still running; they resume on the next start');
      for (const s of subscriptions) s.unsubscribe();
      await deliveries.close();
      await push.close();
      await outbound.close();
      await analytics.close();
      await hubs.close();
      if (redis) {
        await (queue as RedisQueue).close().catch(() => {});
        redis.disconnect();
      }
      await sandbox.close();
      await locks.close();
      built.close();
      await reads.close();
      await storage.close();
    },
  };
  // With WEFT_REGIONS every workspace's data lives in its region's own runtime (ADR 0014).
  return attachRegions(runtime, (cfg, shared, payloadBlobRoot) =>
    createRuntime(cfg, { ...options, shared, payloadBlobRoot }),
  );
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
