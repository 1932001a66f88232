import { setMaxListeners } from 'node:events';
import type {
  EngineEvent,
  EventHub,
  ExecutionMode,
  ExecutionResult,
  Item,
  StoredWorkflow,
  TraceCarrier,
  WorkflowEngine,
} from '@weft/engine';
import { EngineError, resultOf, timeOrderedId } from '@weft/engine';
import { TimedOutError, UnavailableError } from './host-error.js';

const DONE = new Set(['succeeded', 'failed', 'cancelled', 'waiting']);

interface Listening {
  next(ms: number): Promise<EngineEvent | undefined>;
  cancel(): void;
}

/** How executions of stored workflows are started. */
export type LaunchMode = 'direct' | 'queue';

/**
 * Where a process hears that an execution another process ran has ended or parked, beside the
 * {@link EventHub} (e.g. Postgres notifications when there is no Redis event bridge).
 */
export interface ExecutionNotices {
  /** Resolves with the event that ends or parks the execution, or undefined after `timeoutMs` (or `cancel`). */
  waitFor(executionId: string, timeoutMs: number): { promise: Promise<EngineEvent | undefined>; cancel: () => void };
}

/** How long a waiting request trusts events alone before it also reads the store (a lost event). */
const FALLBACK_POLL_MS = 1000;

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
      /** Ends and parks of executions run by other processes, when the hub does not carry them. */
      notices?: ExecutionNotices;
      onError?: (err: unknown, executionId: string) => void;
    },
  ) {
    // Every waiting request listens for shutdown.
    setMaxListeners(0, this.#closing.signal);
  }

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
      /** W3C trace context of what launches it (a webhook request's span): the execution joins that trace. */
      traceContext?: TraceCarrier;
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
        ...(options.traceContext ? { traceContext: options.traceContext } : {}),
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
    // A fresh id lets the wait for its end start before the job exists, so the end cannot be missed;
    // with an idempotency key the id is the store's answer (it may be an earlier execution's).
    // A caller's own id (webhook uploads are stored under it first) is kept in every case.
    const executionId = options.executionId ?? (options.idempotencyKey ? undefined : timeOrderedId());
    const timeoutMs = options.timeoutMs ?? 30_000;
    const early = options.wait && executionId ? this.#listen(executionId, timeoutMs) : undefined;
    let queued: { executionId: string; duplicate: boolean };
    try {
      queued = await engine.enqueue(stored.workspaceId, stored.id, {
        version: stored.version,
        mode: options.mode ?? 'manual',
        ...(executionId ? { executionId } : {}),
        ...(options.input ? { input: options.input } : {}),
        ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
        ...(options.startNodeId ? { startNodeId: options.startNodeId } : {}),
        ...(options.traceContext ? { traceContext: options.traceContext } : {}),
      });
    } catch (err) {
      early?.cancel();
      throw err;
    }
    if (!options.wait) return queued;
    const result = await this.#waitForEnd(stored.workspaceId, queued.executionId, timeoutMs, early);
    return { ...queued, result };
  }

  /**
   * Waits until a queued execution ended or parked, woken by its engine event (this process's
   * worker, the Redis event bridge or the notices): a completion answers from the event itself,
   * with no store read. The store is read first only when the wait could not start before the
   * enqueue, and then every second in case an event was lost (a process without a bridge ran it).
   */
  async #waitForEnd(
    workspaceId: string,
    executionId: string,
    timeoutMs: number,
    early: Listening | undefined,
  ): Promise<ExecutionResult> {
    const engine = this.options.engine;
    const deadline = Date.now() + timeoutMs;
    const listening = early ?? this.#listen(executionId, timeoutMs);
    const stop = () => listening.cancel();
    this.#closing.signal.addEventListener('abort', stop, { once: true });
    try {
      let read = !early;
      for (;;) {
        if (this.#closing.signal.aborted)
          throw new UnavailableError('shutting-down', 'The host is shutting down; the execution continues', {
            executionId,
            retryAfterSeconds: 5,
          });
        if (read) {
          const record = await engine.executions.get(workspaceId, executionId);
          if (!record) throw new EngineError('NOT_FOUND', `Execution "${executionId}" vanished`);
          if (DONE.has(record.status)) return resultOf(record);
        }
        read = true;
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new TimedOutError(
            'execution-timeout',
            `Execution ${executionId} did not finish within ${timeoutMs} ms; it keeps running`,
            { executionId },
          );
        }
        const event = await listening.next(Math.min(FALLBACK_POLL_MS, left));
        if (event?.type === 'workflow:completed' && event.output !== undefined)
          return {
            executionId,
            status: 'succeeded',
            output: event.output.main ?? [],
            outputs: event.output,
            ...(event.response !== undefined ? { response: event.response } : {}),
          };
      }
    } finally {
      this.#closing.signal.removeEventListener('abort', stop);
      listening.cancel();
    }
  }

  /** Listens for the end of `executionId` on the hub and the notices; `next(ms)` waits at most `ms` more for it. */
  #listen(executionId: string, timeoutMs: number): Listening {
    const sources = [this.options.hub.waitFor(executionId, timeoutMs)];
    if (this.options.notices) sources.push(this.options.notices.waitFor(executionId, timeoutMs));
    let ended: Promise<EngineEvent | undefined> | undefined = Promise.race(sources.map((s) => s.promise));
    return {
      next: (ms) => {
        let timer: NodeJS.Timeout | undefined;
        const waits: Promise<EngineEvent | undefined>[] = [
          new Promise<undefined>((r) => {
            timer = setTimeout(() => r(undefined), ms);
          }),
        ];
        // The end is reported once; later calls only wait (a store read decides then).
        if (ended)
          waits.push(
            ended.then((e) => {
              ended = undefined;
              return e;
            }),
          );
        return Promise.race(waits).finally(() => clearTimeout(timer));
      },
      cancel: () => {
        for (const s of sources) s.cancel();
      },
    };
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
