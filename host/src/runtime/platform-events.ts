import type { EngineEvent, ExecutionStore, JsonObject, Logger } from '@weft/engine';
import type { EventTriggerStore } from '@weft/sql';
import type { Observable, Subscription } from 'rxjs';
import type { EventTriggerRouter } from './event-trigger-router.js';

/**
 * The host's own events, published when an execution of a workflow ends.
 *
 * @example
 * ```ts
 * const failed = PLATFORM_EVENTS['workflow:failed']; // 'weft.workflow.failed'
 * ```
 */
export const PLATFORM_EVENTS = {
  'workflow:completed': 'weft.workflow.succeeded',
  'workflow:failed': 'weft.workflow.failed',
} as const;

/**
 * How many platform-event hops a chain of workflows may take (A fails -> B runs and fails -> ...).
 *
 * @example
 * ```ts
 * if (payload.chain >= MAX_PLATFORM_CHAIN) return;
 * ```
 */
export const MAX_PLATFORM_CHAIN = 3;

const SKIPPED_MODES = new Set(['test', 'debug']);

/**
 * Publishes `weft.workflow.succeeded` and `weft.workflow.failed` on the event bus when an execution
 * run by this process ends, so a workflow's `weft.event` trigger can start on another workflow's
 * outcome (payload `{ workflowId, executionId, status, durationMs, error?, chain }`). A workflow
 * never fires on its own events, editor test runs publish nothing, and a chain of workflows
 * started by each other's events stops after {@link MAX_PLATFORM_CHAIN} hops. Which workspaces
 * listen is read from the database at most every `refreshMs` (and after local changes), so the
 * end of an execution costs a set lookup when nobody listens.
 *
 * @example
 * ```ts
 * const platform = new PlatformEvents({ router, store, executions, logger });
 * subscriptions.push(platform.attach(engine.events$));
 * ```
 */
export class PlatformEvents {
  #listening = new Set<string>();
  #until = 0;
  #refreshing: Promise<void> | undefined;
  #generation = 0;

  constructor(
    readonly options: {
      router: EventTriggerRouter;
      store: EventTriggerStore;
      executions: ExecutionStore;
      logger: Logger;
      refreshMs?: number;
    },
  ) {
    options.router.onChange(() => {
      this.#until = 0;
      this.#generation++;
    });
  }

  /** Publishes the platform events of the engine events this process emits. */
  attach(events$: Observable<EngineEvent>): Subscription {
    return events$.subscribe((e) => {
      if (e.type !== 'workflow:completed' && e.type !== 'workflow:failed') return;
      void this.#handle(e).catch((err) =>
        this.options.logger.error({ executionId: e.executionId, err: String(err) }, 'platform event not published'),
      );
    });
  }

  async #handle(e: Extract<EngineEvent, { type: 'workflow:completed' | 'workflow:failed' }>): Promise<void> {
    const name = PLATFORM_EVENTS[e.type];
    if (Date.now() >= this.#until) await this.#refresh();
    if (!this.#listening.has(`${e.workspaceId}\n${name}`)) return;
    const record = await this.options.executions.get(e.workspaceId, e.executionId);
    if (!record || SKIPPED_MODES.has(record.mode)) return;
    const started = record.input.main?.[0]?.json as { event?: unknown; payload?: { chain?: unknown } } | undefined;
    const upstream =
      record.mode === 'trigger' && typeof started?.event === 'string' && started.event in REVERSE
        ? Number(started.payload?.chain ?? 0)
        : -1;
    const chain = upstream + 1;
    if (chain >= MAX_PLATFORM_CHAIN) {
      this.options.logger.warn(
        { executionId: e.executionId, workflowId: e.workflowId, event: name },
        'platform event not published: the chain of workflows started by each other is too long',
      );
      return;
    }
    const payload: JsonObject = {
      workflowId: e.workflowId,
      executionId: e.executionId,
      status: e.type === 'workflow:failed' ? 'failed' : 'succeeded',
      durationMs: e.durationMs,
      chain,
      ...(e.type === 'workflow:failed' ? { error: { message: e.error.message, code: e.error.code } } : {}),
    };
    await this.options.router.publish(e.workspaceId, name, payload, {
      internal: true,
      sourceWorkflowId: e.workflowId,
    });
  }

  #refresh(): Promise<void> {
    const generation = this.#generation;
    this.#refreshing ??= this.options.store
      .platformEvents()
      .then((rows) => {
        this.#listening = new Set(rows.map((r) => `${r.workspaceId}\n${r.event}`));
        // A change made while reading is read again next time.
        if (generation === this.#generation) this.#until = Date.now() + (this.options.refreshMs ?? 5000);
      })
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }
}

const REVERSE: Record<string, true> = Object.fromEntries(Object.values(PLATFORM_EVENTS).map((n) => [n, true]));
