import type { EngineEvent, ExecutionStore, Logger, WorkflowStore } from '@weft/engine';
import { type HostDb, type IdentityStore, PushSubscriptionStore } from '@weft/sql';
import type { Observable, Subscription } from 'rxjs';
import type { HostConfig } from '../config/load-config.js';
import { PushNotifier } from '../push/push-notifier.js';

/**
 * Web Push for failed workflows and approvals, sent to members of the workspace only, named
 * after the workflow, skipping test and debug runs. It reads this process's engine events only:
 * with the Redis bridge each event is still sent once, by the process that ran it.
 *
 * @example
 * ```ts
 * const { push, feed } = buildPush({ config, h, identity, workflows, executions, events$: engine.events$, logger });
 * feed.unsubscribe();
 * await push.close();
 * ```
 */
export function buildPush(options: {
  config: Pick<HostConfig, 'vapid' | 'httpAllow'>;
  h: HostDb;
  identity: Pick<IdentityStore, 'roleOf'>;
  workflows: WorkflowStore;
  executions: ExecutionStore;
  events$: Observable<EngineEvent>;
  logger: Logger;
}): { push: PushNotifier; feed: Subscription } {
  const { identity, workflows, executions } = options;
  const push = new PushNotifier({
    store: new PushSubscriptionStore(options.h),
    vapid: options.config.vapid,
    logger: options.logger,
    isMember: async (ws, userId) => (await identity.roleOf(ws, userId)) !== undefined,
    workflowName: async (ws, id) => (await workflows.get(ws, id))?.workflow.name,
    executionMode: async (ws, id) => (await executions.get(ws, id))?.mode,
    allow: options.config.httpAllow,
  });
  return { push, feed: push.attach(options.events$) };
}
