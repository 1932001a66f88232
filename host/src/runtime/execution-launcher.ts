import type {
  EventHub,
  ExecutionMode,
  ExecutionRecord,
  ExecutionResult,
  Item,
  StoredWorkflow,
  WorkflowEngine,
} from '@weft/engine';
import { EngineError, timeOrderedId } from '@weft/engine';
import { TimedOutError, UnavailableError } from './host-error.js';

const DONE = new Set(['succeeded', 'failed', 'cancelled', 'waiting']);

/** How executions of stored workflows are started. */
export type LaunchMode = 'direct' | 'queue';

/** What a launch returns: the id at once, and the result when the caller waited for it. */
export interface Launched {
  executionId: string;
  duplicate: boolean;
  result?: ExecutionResult;
}

/**
 * Starts executions of stored workflows. `direct` (one process, SQLite): the execution record is
 * created and run in this process at once — no queue round trip; the SQLite store group-commits its
 * checkpoints. `queue` (Postgres/Redis, many processes): the execution is enqueued for workers.
 * Direct runs are tracked so shutdown can wait for them; any left unfinished stay `running` in the
 * store and {@link ExecutionLauncher.resumeOrphans} continues them on the next start.
 *
 * @example
 * ```ts
 * const launcher = new ExecutionLauncher({ engine, mode: 'direct', hub });
 * const { executionId } = await launcher.launch(stored, { input, mode: 'webhook' });
 * ```
 */
export class ExecutionLauncher {
  readonly #inflight = new Set<Promise<unknown>>();
  readonly #closing = new AbortController();

  constructor(
    readonly options: {
      engine: WorkflowEngine;
      mode: LaunchMode;
      hub: EventHub;
      onError?: (err: unknown, executionId: string) => void;
    },
  ) {}

  get mode(): LaunchMode {
    return this.options.mode;
  }

  /** Runs or enqueues `stored`. With `wait`, resolves once the execution ended or parked (or after `timeoutMs`). */
  async launch(
    stored: StoredWorkflow,
    options: {
      input?: Item[];
      mode?: ExecutionMode;
      idempotencyKey?: string;
      startNodeId?: string;
      /** The execution's id, when the caller stored something under it first (webhook uploads). */
      executionId?: string;
      wait?: boolean;
      timeoutMs?: number;
    },
  ): Promise<Launched> {
    const engine = this.options.engine;
    if (this.options.mode === 'direct') {
      // Time-ordered ids keep execution and checkpoint inserts at the edge of their indexes.
      const executionId = options.executionId ?? timeOrderedId();
      let created: () => void = () => {};
      const durable = new Promise<void>((resolve) => {
        created = resolve;
      });
      const run = engine.execute(stored.workflow, {
        onCreated: () => created(),
        workspaceId: stored.workspaceId,
        executionId,
        mode: options.mode ?? 'manual',
        ...(options.input ? { input: options.input } : {}),
        ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
        ...(options.startNodeId ? { startNodeId: options.startNodeId } : {}),
      });
      this.#track(run, executionId);
      // With an idempotency key the id is known only once the store answered: wait for the run.
      if (options.wait || options.idempotencyKey) {
        const result = await run;
        return { executionId: result.executionId, duplicate: !!result.duplicate, result };
      }
      // Answer with the id only once the execution is stored: an accepted request is never lost.
      await Promise.race([durable, run]);
      return { executionId, duplicate: false };
    }
    const queued = await engine.enqueue(stored.workspaceId, stored.id, {
      version: stored.version,
      mode: options.mode ?? 'manual',
      ...(options.input ? { input: options.input } : {}),
      ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
      ...(options.startNodeId ? { startNodeId: options.startNodeId } : {}),
      ...(options.executionId ? { executionId: options.executionId } : {}),
    });
    if (!options.wait) return queued;
    const record = await this.#waitForEnd(stored.workspaceId, queued.executionId, options.timeoutMs ?? 30_000);
    return {
      ...queued,
      result: {
        executionId: record.id,
        status: record.status,
        output: record.output?.main ?? [],
        outputs: record.output ?? {},
        ...(record.error ? { error: record.error } : {}),
        ...(record.wait ? { wait: record.wait } : {}),
      },
    };
  }

  /**
   * Waits until a queued execution ended or parked: woken by its engine event (this process's
   * worker, or the Redis event bridge) and, since another process's worker may run it without a
   * bridge, by polling the store with a growing interval.
   */
  async #waitForEnd(workspaceId: string, executionId: string, timeoutMs: number): Promise<ExecutionRecord> {
    const engine = this.options.engine;
    const deadline = Date.now() + timeoutMs;
    let pollMs = 10;
    for (;;) {
      if (this.#closing.signal.aborted)
        throw new UnavailableError('shutting-down', 'The host is shutting down; the execution continues', {
          executionId,
          retryAfterSeconds: 5,
        });
      const record = await engine.executions.get(workspaceId, executionId);
      if (!record) throw new EngineError('NOT_FOUND', `Execution "${executionId}" vanished`);
      if (DONE.has(record.status)) return record;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new TimedOutError(
          'execution-timeout',
          `Execution ${executionId} did not finish within ${timeoutMs} ms; it keeps running`,
          { executionId },
        );
      }
      const waiter = this.options.hub.waitFor(executionId, Math.min(pollMs, left));
      const stop = () => waiter.cancel();
      this.#closing.signal.addEventListener('abort', stop, { once: true });
      await waiter.promise;
      this.#closing.signal.removeEventListener('abort', stop);
      pollMs = Math.min(pollMs * 2, 250);
    }
  }

  /** Stops waiting for queued executions (shutdown): waiting requests answer 503. */
  stopWaiting(): void {
    this.#closing.abort();
  }

  /** Runs any promise-returning engine call as a tracked in-flight execution. */
  track<T>(run: Promise<T>, executionId: string): Promise<T> {
    this.#track(run, executionId);
    return run;
  }

  #track(run: Promise<unknown>, executionId: string): void {
    const p = run.catch((err) => this.options.onError?.(err, executionId));
    this.#inflight.add(p);
    void p.finally(() => this.#inflight.delete(p));
  }

  get inflight(): number {
    return this.#inflight.size;
  }

  /** Waits for in-process executions to finish, at most `timeoutMs`; returns how many were still running. */
  async drain(timeoutMs: number): Promise<number> {
    if (this.#inflight.size === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#inflight]),
      new Promise((r) => {
        timer = setTimeout(r, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    return this.#inflight.size;
  }

  /**
   * Direct mode: continues executions a crashed process left `running` (queued ones belong to the queue's workers; their
   * checkpoints make this safe: finished nodes are not re-run).
   */
  async resumeOrphans(workspaceIds: string[]): Promise<number> {
    if (this.options.mode !== 'direct') return 0;
    const engine = this.options.engine;
    let n = 0;
    for (const ws of workspaceIds) {
      let cursor: string | undefined;
      do {
        const page = await engine.executions.list(ws, {
          status: ['running'],
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
        for (const r of page.items) {
          this.#track(engine.resume(r.id, { workspaceId: ws }), r.id);
          n++;
        }
        cursor = page.nextCursor;
      } while (cursor);
    }
    return n;
  }
}
