import { type Clock, type ScheduleLock, systemClock, type TriggerStateStore } from '@weft/engine';
import { dueTicks, type MissedTickPolicy, type ScheduleSpec, validateSchedule } from './schedule.js';

/**
 * A scheduled trigger as the host knows it.
 *
 * @example
 * ```ts
 * const trigger: ScheduledTrigger = { id: 'ws1/wf1/n1', spec: { cron: '0 * * * *' }, policy: 'catchUp', maxCatchUp: 12 };
 * ```
 */
export interface ScheduledTrigger {
  /** Unique across the installation, e.g. `${workspaceId}/${workflowId}/${nodeId}`. */
  id: string;
  spec: ScheduleSpec;
  policy: MissedTickPolicy;
  maxCatchUp?: number;
}

/**
 * Options of {@link runDueTicks}.
 *
 * @example
 * ```ts
 * await runDueTicks(trigger, { lock, state, leaseMs: 3600_000 } satisfies ScheduleDeps, fire);
 * ```
 */
export interface ScheduleDeps {
  lock: ScheduleLock;
  state: TriggerStateStore;
  clock?: Clock;
  /** Lease per tick. Default 24 h. */
  leaseMs?: number;
}

/**
 * Fires a trigger's due ticks once each across every process that runs this: reads the last
 * fire time, works out the ticks per the missed-tick policy, takes the lock per tick and calls
 * `fire` for those it won, then records the last tick. A trigger seen for the first time starts
 * counting from now. Returns the ticks this process fired.
 *
 * @example
 * ```ts
 * setInterval(() => runDueTicks(trigger, { lock, state }, (tick) => engine.execute(wf, { input: { main: [{ json: { firedAt: new Date(tick).toISOString() } }] } })), 1000);
 * ```
 */
export async function runDueTicks(
  trigger: ScheduledTrigger,
  deps: ScheduleDeps,
  fire: (tick: number) => Promise<void>,
): Promise<number[]> {
  validateSchedule(trigger.spec);
  const now = (deps.clock ?? systemClock).now();
  const last = (await deps.state.get(trigger.id, 'lastFireAt')) as number | undefined;
  if (last === undefined) {
    await deps.state.set(trigger.id, 'lastFireAt', now);
    return [];
  }
  const ticks = dueTicks(trigger.spec, {
    lastFireAt: last,
    now,
    policy: trigger.policy,
    ...(trigger.maxCatchUp !== undefined ? { maxCatchUp: trigger.maxCatchUp } : {}),
  });
  const fired: number[] = [];
  for (const tick of ticks) {
    if (await deps.lock.acquire(`schedule:${trigger.id}:${tick}`, deps.leaseMs ?? 24 * 3600_000)) {
      await fire(tick);
      fired.push(tick);
    }
  }
  const newest = ticks.at(-1);
  if (newest !== undefined) {
    const current = (await deps.state.get(trigger.id, 'lastFireAt')) as number | undefined;
    if (current === undefined || newest > current) await deps.state.set(trigger.id, 'lastFireAt', newest);
  }
  return fired;
}
