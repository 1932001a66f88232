import {
  type ConnectorDefinition,
  coreTriggers,
  findTrigger,
  nextFires,
  runDueTicks,
  type ScheduledTrigger,
  type ScheduleTriggerDefinition,
  validateSchedule,
} from '@weft/connectors';
import {
  type Clock,
  type Logger,
  type ScheduleLock,
  type StoredWorkflow,
  systemClock,
  type WorkflowStore,
} from '@weft/engine';
import type { SqlTriggerState } from '@weft/sql';
import type { ExecutionLauncher } from './execution-launcher.js';

interface ActiveSchedule {
  trigger: ScheduledTrigger;
  stored: StoredWorkflow;
  nodeId: string;
}

/**
 * Fires the schedule triggers (`weft.schedule`: cron with time zone, or an interval) of active
 * workflows. Every host process runs one; a lock per tick (in the database, or Redis when given)
 * makes each tick fire exactly once, and missed ticks after downtime follow the trigger's
 * skip/catch-up policy.
 *
 * @example
 * ```ts
 * const scheduler = new Scheduler({ workflows, state, launcher, logger });
 * await scheduler.sync('ws1', 'nightly');
 * scheduler.start();
 * ```
 */
export class Scheduler {
  readonly #active = new Map<string, ActiveSchedule[]>();
  readonly #connectors: ConnectorDefinition[];
  readonly #clock: Clock;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    readonly options: {
      workflows: WorkflowStore;
      state: SqlTriggerState;
      /** Takes each tick's lock; default `state` (a row in the database). The host passes Redis's when it has one. */
      lock?: ScheduleLock;
      launcher: ExecutionLauncher;
      logger: Logger;
      clock?: Clock;
      connectors?: ConnectorDefinition[];
      intervalMs?: number;
    },
  ) {
    this.#connectors = options.connectors ?? [coreTriggers];
    this.#clock = options.clock ?? systemClock;
  }

  /** The schedule trigger nodes of a workflow, checked (a bad cron throws). */
  schedulesOf(stored: StoredWorkflow): ActiveSchedule[] {
    const out: ActiveSchedule[] = [];
    for (const node of stored.workflow.nodes) {
      const found = findTrigger(this.#connectors, node.type, node.typeVersion);
      if (found?.trigger.kind !== 'schedule' || node.disabled) continue;
      const trigger = found.trigger as ScheduleTriggerDefinition;
      const props: Record<string, unknown> = {};
      for (const [k, spec] of Object.entries(trigger.props as Record<string, { default?: unknown }>))
        props[k] = node.parameters[k] ?? spec.default;
      const { spec, policy } = trigger.schedule(props as never);
      validateSchedule(spec);
      out.push({
        trigger: { id: `${stored.workspaceId}/${stored.id}/${node.id}`, spec, policy },
        stored,
        nodeId: node.id,
      });
    }
    return out;
  }

  /** Re-reads a workflow after it changed: schedules run only while it is active. */
  async sync(workspaceId: string, workflowId: string): Promise<void> {
    const stored = await this.options.workflows.get(workspaceId, workflowId);
    const key = `${workspaceId}/${workflowId}`;
    if (!stored?.active) this.#active.delete(key);
    else {
      const schedules = this.schedulesOf(stored);
      if (schedules.length) this.#active.set(key, schedules);
      else this.#active.delete(key);
    }
  }

  /** A workspace's active schedules with their next fire times. */
  list(workspaceId: string): Array<{
    workflowId: string;
    nodeId: string;
    spec: ScheduledTrigger['spec'];
    policy: string;
    nextFireAt: string | null;
  }> {
    const now = this.#clock.now();
    const out = [];
    for (const [key, schedules] of this.#active) {
      if (!key.startsWith(`${workspaceId}/`)) continue;
      for (const s of schedules) {
        const next = nextFires(s.trigger.spec, now, now + 366 * 86_400_000, 1)[0];
        out.push({
          workflowId: s.stored.id,
          nodeId: s.nodeId,
          spec: s.trigger.spec,
          policy: s.trigger.policy,
          nextFireAt: next === undefined ? null : new Date(next).toISOString(),
        });
      }
    }
    return out;
  }

  /** Forgets a deleted workspace's schedules. */
  forgetWorkspace(workspaceId: string): void {
    for (const key of [...this.#active.keys()]) if (key.startsWith(`${workspaceId}/`)) this.#active.delete(key);
  }

  /** Loads the active workflows of the given workspaces. */
  async load(workspaceIds: string[]): Promise<void> {
    for (const ws of workspaceIds) {
      let cursor: string | undefined;
      do {
        const page = await this.options.workflows.list(ws, { limit: 200, ...(cursor ? { cursor } : {}) });
        for (const s of page.items) {
          if (!s.active) continue;
          try {
            const schedules = this.schedulesOf(s);
            if (schedules.length) this.#active.set(`${ws}/${s.id}`, schedules);
          } catch (e) {
            this.options.logger.warn({ workflowId: s.id, err: (e as Error).message }, 'schedule not loaded');
          }
        }
        cursor = page.nextCursor;
      } while (cursor);
    }
  }

  /** Fires every due tick once; returns how many executions started. */
  async tick(): Promise<number> {
    let started = 0;
    const deps = { lock: this.options.lock ?? this.options.state, state: this.options.state, clock: this.#clock };
    for (const schedules of this.#active.values()) {
      for (const s of schedules) {
        try {
          const fired = await runDueTicks(s.trigger, deps, async (tick) => {
            await this.options.launcher.launch(s.stored, {
              mode: 'schedule',
              startNodeId: s.nodeId,
              input: [{ json: { firedAt: new Date(tick).toISOString(), timestamp: tick } }],
              idempotencyKey: `schedule:${s.nodeId}:${tick}`,
            });
          });
          started += fired.length;
        } catch (e) {
          this.options.logger.error({ schedule: s.trigger.id, err: (e as Error).message }, 'schedule tick failed');
        }
      }
    }
    await this.options.state.pruneLocks(this.#clock.now() - 2 * 86_400_000).catch(() => {});
    return started;
  }

  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.tick()
        .then(() => undefined)
        .finally(() => {
          this.#running = undefined;
        });
    }, this.options.intervalMs ?? 1000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  get size(): number {
    let n = 0;
    for (const s of this.#active.values()) n += s.length;
    return n;
  }
}
