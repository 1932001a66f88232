import { builtinConnectors, type CredentialVault } from '@weft/connectors';
import type { ExecutionStore, Logger, WorkflowEngine, WorkflowStore } from '@weft/engine';
import { EventTriggerStore, type HostDb, SqlDeliveryLog, type SqlTriggerState, WebhookStore } from '@weft/sql';
import type { Subscription } from 'rxjs';
import type { HostConfig } from '../config/load-config.js';
import type { ConnectorLocks } from './connector-locks.js';
import { EventTriggerRouter } from './event-trigger-router.js';
import type { ExecutionLauncher } from './execution-launcher.js';
import { ExecutionSweeper } from './execution-sweeper.js';
import { PlatformEvents } from './platform-events.js';
import { Scheduler } from './scheduler.js';
import { type WebhookPathRegistry, WebhookRouter } from './webhook-router.js';

/** What {@link buildTriggers} returns: every way an execution starts without an API call. */
export interface BuiltTriggers {
  webhooks: WebhookRouter;
  scheduler: Scheduler;
  sweeper: ExecutionSweeper;
  events: EventTriggerRouter;
  deliveries: SqlDeliveryLog;
  /** Publishes each execution's outcome as a platform event; unsubscribe on shutdown. */
  feed: Subscription;
}

/**
 * Loads the active workflows' webhook routes, schedules and event triggers, and the webhook
 * delivery log. A process that runs executions (`worker`) first gives executions a dead process
 * left without their queue job that job, then keeps sweeping, and prunes old deliveries; one with
 * `scheduler` fires schedules.
 *
 * @example
 * ```ts
 * const triggers = await buildTriggers({ config, h, workflows, executions, engine, launcher, vault, locks,
 *   triggerState, workspaceIds, logger, worker: true, scheduler: true });
 * await triggers.scheduler.stop();
 * ```
 */
export async function buildTriggers(options: {
  config: Pick<HostConfig, 'deliveryRetentionDays'>;
  h: HostDb;
  workflows: WorkflowStore;
  executions: ExecutionStore;
  engine: WorkflowEngine;
  launcher: ExecutionLauncher;
  vault: CredentialVault;
  locks: Pick<ConnectorLocks, 'schedule'>;
  triggerState: SqlTriggerState;
  /** Reads the workspaces whose schedules and event triggers to load. */
  workspaceIds: () => Promise<string[]>;
  logger: Logger;
  worker: boolean;
  scheduler: boolean;
  /** With `WEFT_REGIONS`: the control registry keeping webhook paths unique across regions. */
  webhookPaths?: WebhookPathRegistry;
}): Promise<BuiltTriggers> {
  const { h, workflows, launcher, locks, triggerState, logger } = options;
  const webhooks = new WebhookRouter({
    store: new WebhookStore(h),
    workflows,
    credentials: options.vault,
    connectors: builtinConnectors,
    ...(options.webhookPaths ? { paths: options.webhookPaths } : {}),
  });
  await webhooks.load();
  const scheduler = new Scheduler({
    workflows,
    state: triggerState,
    ...(locks.schedule ? { lock: locks.schedule } : {}),
    launcher,
    logger,
    connectors: builtinConnectors,
  });
  const sweeper = new ExecutionSweeper({ engine: options.engine, lock: locks.schedule ?? triggerState, logger });
  if (options.worker) {
    await sweeper.sweep().catch((err) => logger.error({ err: (err as Error).message }, 'execution sweep failed'));
    sweeper.start();
  }
  const workspaceIds = await options.workspaceIds();
  await scheduler.load(workspaceIds);
  if (options.scheduler) scheduler.start();
  const eventTriggers = new EventTriggerStore(h);
  const events = new EventTriggerRouter({
    store: eventTriggers,
    workflows,
    launcher,
    logger,
    connectors: builtinConnectors,
  });
  await events.load(workspaceIds);
  // Local events only: each execution's outcome is published once, by the process that ran it.
  const feed = new PlatformEvents({
    router: events,
    store: eventTriggers,
    executions: options.executions,
    logger,
  }).attach(options.engine.events$);
  const deliveries = new SqlDeliveryLog(h, { logger });
  if (options.worker && options.config.deliveryRetentionDays > 0)
    deliveries.keepFor(options.config.deliveryRetentionDays * 86_400_000);
  return { webhooks, scheduler, sweeper, events, deliveries, feed };
}
