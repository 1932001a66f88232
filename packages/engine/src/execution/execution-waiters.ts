import type { EngineEvent } from './engine-events.js';

const TERMINAL = new Set([
  'workflow:completed',
  'workflow:failed',
  'workflow:cancelled',
  'workflow:waiting',
  'approval:required',
]);

/**
 * Callers waiting for an execution to end or park, woken by the event that says so: how an
 * `EventHub` implements `waitFor`.
 *
 * @example
 * ```ts
 * const waiters = new ExecutionWaiters();
 * engine.events$.subscribe((e) => waiters.observe(e));
 * const { promise } = waiters.waitFor(executionId, 1000);
 * ```
 */
export class ExecutionWaiters {
  readonly #waiters = new Map<string, Set<(e: EngineEvent) => void>>();

  /** Wakes the waiters of `event`'s execution when it ends or parks it. */
  observe(event: EngineEvent): void {
    const waiters = this.#waiters.get(event.executionId);
    if (!waiters || !TERMINAL.has(event.type)) return;
    this.#waiters.delete(event.executionId);
    for (const w of waiters) w(event);
  }

  /** Resolves with the event that ends or parks an execution, or undefined after `timeoutMs` (or `cancel`). */
  waitFor(executionId: string, timeoutMs: number): { promise: Promise<EngineEvent | undefined>; cancel: () => void } {
    let set = this.#waiters.get(executionId);
    if (!set) {
      set = new Set();
      this.#waiters.set(executionId, set);
    }
    let done!: (e: EngineEvent | undefined) => void;
    const promise = new Promise<EngineEvent | undefined>((r) => {
      done = r;
    });
    const fn = (e: EngineEvent) => {
      clearTimeout(timer);
      done(e);
    };
    const cancel = () => {
      clearTimeout(timer);
      const s = this.#waiters.get(executionId);
      s?.delete(fn);
      if (s?.size === 0) this.#waiters.delete(executionId);
      done(undefined);
    };
    const timer = setTimeout(cancel, timeoutMs);
    set.add(fn);
    return { promise, cancel };
  }
}
