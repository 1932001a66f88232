import { type Observable, Subject } from 'rxjs';
import { InterpreterSandbox } from '../memory/interpreter-sandbox.js';
import { MemoryExecutionStore } from '../memory/memory-execution-store.js';
import { MemoryQueue } from '../memory/memory-queue.js';
import { MemoryWorkflowStore } from '../memory/memory-workflow-store.js';
import { silentLogger } from '../memory/silent-logger.js';
import { systemClock } from '../memory/system-clock.js';
import type { ExecutionMode, ExecutionRecord } from '../model/execution.js';
import type { Item } from '../model/item.js';
import type { JsonValue } from '../model/json.js';
import type { Workflow } from '../model/workflow-schema.js';
import { builtinNodeTypes } from '../nodes/builtin/builtin-node-types.js';
import { NodeRegistry } from '../nodes/node-registry.js';
import type { CodeSandbox } from '../ports/code-sandbox.js';
import type { CreateQueued, ExecutionStore } from '../ports/execution-store.js';
import type { JobQueue } from '../ports/queue.js';
import type { WorkflowStore } from '../ports/workflow-store.js';
import { DEFAULT_CHECKPOINT_LIMITS } from './checkpoint-buffer.js';
import { compileWorkflow } from './compiled-workflow.js';
import type { DebugOptions, EngineDeps } from './engine-deps.js';
import { EngineError } from './engine-error.js';
import type { EngineEvent } from './engine-events.js';
import type { EngineOptions, ExecuteOptions } from './engine-options.js';
import { ExecutionDriver } from './execution-driver.js';
import { DEFAULT_LIMITS } from './execution-limits.js';
import { newExecutionRecord, notWaiting, startNode, startNodeMissing } from './execution-records.js';
import { type ExecutionResult, resultOf } from './execution-result.js';
import { activeTraceCarrier, type TraceCarrier } from './execution-tracing.js';
import { recoveryJob, startJob } from './recovery-jobs.js';
import { replayLog } from './replay-log.js';
import { reusableOutputs } from './reusable-outputs.js';
import { RunState } from './run-state.js';
import { timeOrderedId } from './time-ordered-id.js';
import { WorkflowVersions } from './workflow-versions.js';

const TERMINAL = new Set(['succeeded', 'failed', 'cancelled']);

/** Options of {@link WorkflowEngine.resume}. */
export type ResumeOptions = {
  workflow?: Workflow;
  payload?: JsonValue;
  signal?: AbortSignal;
  workspaceId?: string;
  /** W3C trace context to continue (e.g. carried by a queue job): the execution span becomes its child. */
  traceContext?: TraceCarrier;
} & DebugOptions;

/**
 * Runs workflows. Every node run is checkpointed through the execution store, so `resume()` can
 * continue a crashed or parked execution without re-running finished nodes.
 *
 * @example
 * ```ts
 * const engine = new WorkflowEngine();
 * engine.events$.subscribe((e) => console.log(e.type));
 * const result = await engine.execute(workflow, { input: [{ json: { name: 'Ada' } }] });
 * console.log(result.status, result.output);
 * ```
 */
export class WorkflowEngine {
  readonly registry: NodeRegistry;
  readonly workflows: WorkflowStore;
  readonly executions: ExecutionStore;
  readonly queue: JobQueue;
  readonly sandbox: CodeSandbox;
  readonly #deps: EngineDeps;
  readonly #events = new Subject<EngineEvent>();
  readonly #driver: ExecutionDriver;
  readonly #versions: WorkflowVersions;
  readonly #createQueued: CreateQueued | undefined;

  constructor(options: EngineOptions = {}) {
    this.registry = options.registry ?? new NodeRegistry().register(...builtinNodeTypes);
    this.workflows = options.workflows ?? new MemoryWorkflowStore();
    this.executions = options.executions ?? new MemoryExecutionStore();
    this.queue = options.queue ?? new MemoryQueue({ ...(options.clock ? { clock: options.clock } : {}) });
    this.sandbox = options.sandbox ?? new InterpreterSandbox();
    this.#createQueued = this.executions.createQueuedIn?.(this.queue);
    this.#deps = {
      registry: this.registry,
      sandbox: this.sandbox,
      sandboxLimits: { timeoutMs: 1000, memoryMb: 64, ...options.sandboxLimits },
      workflows: this.workflows,
      executions: this.executions,
      queue: this.queue,
      blobs: options.blobs,
      clock: options.clock ?? systemClock,
      credentials: options.credentials,
      logger: options.logger ?? silentLogger,
      env: options.env ?? {},
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      checkpoints: { ...DEFAULT_CHECKPOINT_LIMITS, ...options.checkpoints },
      random: options.random ?? Math.random,
      events: this.#events,
      newId: options.newId ?? (() => timeOrderedId()),
      runChild: (request) =>
        this.#start(
          request.workflow,
          {
            workspaceId: request.workspaceId,
            input: request.input,
            mode: request.mode,
            signal: request.signal,
          },
          { depth: request.depth, parentExecutionId: request.parentExecutionId },
        ),
    };
    this.#versions = new WorkflowVersions(this.workflows);
    this.#driver = new ExecutionDriver(this.#deps, (workflow, workspaceId, item) =>
      this.#start(workflow, { workspaceId, input: [item], mode: 'error' }, { depth: 0 }),
    );
  }

  /** Every event of every execution, in order per execution. */
  get events$(): Observable<EngineEvent> {
    return this.#events.asObservable();
  }

  /** Runs a workflow now, in this process, and resolves when it finishes or parks. */
  execute(workflow: Workflow, options: ExecuteOptions = {}): Promise<ExecutionResult> {
    return this.#start(workflow, options, {
      depth: 0,
      ...(options.parentExecutionId ? { parentExecutionId: options.parentExecutionId } : {}),
    });
  }

  /**
   * Runs an execution again as a new execution (mode `retry`), with the same input and pinned
   * workflow version. Nodes upstream of `fromNode` are not run again: their recorded outputs are
   * reused. Without `fromNode` it starts from the node that failed (or from the start when none
   * did). Nodes that ran more than once (loop bodies) are always run again.
   *
   * @example
   * ```ts
   * const retry = await engine.rerun(failed.executionId);                  // from the failed node
   * const replay = await engine.rerun(id, { fromNode: 'Send invoice' });   // from a chosen node
   * ```
   */
  async rerun(
    executionId: string,
    options: { fromNode?: string; workflow?: Workflow; workspaceId?: string; signal?: AbortSignal } = {},
  ): Promise<ExecutionResult> {
    const record = await this.executions.get(options.workspaceId, executionId);
    if (!record) throw new EngineError('NOT_FOUND', `Execution "${executionId}" not found`);
    const workflow = options.workflow ?? (await this.#versions.pinned(record));
    const compiled = compileWorkflow(workflow, this.registry);
    const runs = await this.executions.listNodeRuns(executionId);
    const fromName = options.fromNode ?? runs.findLast((r) => r.status === 'failed' && r.error)?.nodeName;
    const from = fromName === undefined ? undefined : (compiled.byName.get(fromName) ?? compiled.byId.get(fromName));
    if (fromName !== undefined && !from)
      throw new EngineError('NOT_FOUND', `Node "${fromName}" is not in workflow "${workflow.name}"`);
    const reuse = from ? reusableOutputs(compiled, from, runs) : {};
    return this.execute(workflow, {
      workspaceId: record.workspaceId,
      input: record.input.main ?? [],
      mode: 'retry',
      parentExecutionId: record.id,
      reuse,
      ...(record.startNodeId ? { startNodeId: record.startNodeId } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * Creates a queued execution of a stored workflow version for a worker to run.
   *
   * @example
   * ```ts
   * const { executionId } = await engine.enqueue('ws1', 'wf1', { input: [{ json: body }], idempotencyKey: deliveryId });
   * ```
   */
  async enqueue(
    workspaceId: string,
    workflowId: string,
    options: {
      input?: Item[];
      mode?: ExecutionMode;
      idempotencyKey?: string;
      version?: number;
      /** The trigger node the input enters at, when the workflow has several. */
      startNodeId?: string;
      /** The new execution's id, when the caller needs it before (e.g. to store its files under it). */
      executionId?: string;
      /** W3C trace context the worker's execution span continues; default: the active context's. */
      traceContext?: TraceCarrier;
    } = {},
  ): Promise<{ executionId: string; duplicate: boolean }> {
    // A given version comes from the cache of immutable versions: no store read per execution.
    const stored =
      options.version === undefined
        ? await this.workflows.get(workspaceId, workflowId)
        : await this.#versions.get(workspaceId, workflowId, options.version);
    if (!stored) throw new EngineError('NOT_FOUND', `Workflow "${workflowId}" not found in workspace "${workspaceId}"`);
    if (options.startNodeId && !stored.workflow.nodes.some((n) => n.id === options.startNodeId))
      throw startNodeMissing(options.startNodeId, stored.workflow);
    const record = this.#newRecord(stored.workflow, workspaceId, { ...options, mode: options.mode ?? 'trigger' }, 0);
    record.workflowVersion = stored.version;
    record.status = 'queued';
    const { job, options: jobOptions } = startJob(record);
    const trace = options.traceContext ?? activeTraceCarrier();
    if (trace) job.trace = trace;
    // One write where the store and the queue share a database (ADR 0009 then holds by construction).
    if (this.#createQueued) {
      const r = await this.#createQueued(record, job, jobOptions);
      return { executionId: r.record.id, duplicate: !r.created };
    }
    const created = await this.executions.create(record);
    if (!created.created) return { executionId: created.record.id, duplicate: true };
    await this.queue.enqueue(job, jobOptions);
    return { executionId: record.id, duplicate: false };
  }

  /**
   * Makes sure a queued execution, or one parked on a timer, has its queue job: enqueues the job
   * it should have under the same dedupe key, a no-op while that job exists. A process that dies
   * between storing an execution and enqueueing its job leaves it without one; the host's sweeper
   * calls this for such executions. It asks the queue first and reads the execution again after,
   * so a job that finished meanwhile (the execution moved on) never gets a stray twin. True when
   * a missing job was created.
   *
   * @example
   * ```ts
   * for (const r of await engine.executions.listDueWaiting(Date.now(), 100)) await engine.ensureJob(r);
   * ```
   */
  async ensureJob(record: ExecutionRecord): Promise<boolean> {
    const planned = recoveryJob(record);
    if (!planned || (await this.queue.hasJob(planned.options.dedupeKey))) return false;
    // Read again only now: had the job been acked before `hasJob`, the execution has left the state
    // it was listed in, and enqueueing would make a stray job.
    const now = await this.executions.get(record.workspaceId, record.id);
    if (!now || recoveryJob(now)?.options.dedupeKey !== planned.options.dedupeKey) return false;
    return !(await this.queue.enqueue(planned.job, planned.options)).duplicate;
  }

  /**
   * Continues an execution from its last checkpoint: a parked one (timer due, a signal with
   * `payload`, or a debug pause), a queued one, or one whose process died while it was running.
   * Debug options apply to this call only: pass `stepLimit: 1` to run exactly one more node.
   *
   * @example
   * ```ts
   * const paused = await engine.execute(workflow, { mode: 'debug', stepLimit: 0 }); // before the trigger
   * const step = await engine.resume(paused.executionId, { workflow, stepLimit: 1 }); // runs the trigger
   * console.log(step.wait?.next); // ids of the nodes ready to run next
   * ```
   */
  resume(executionId: string, options: ResumeOptions = {}): Promise<ExecutionResult> {
    return this.#resume(executionId, options, 'call');
  }

  /**
   * `job`: a queue job asks, which may be a stale or duplicate one (recovery enqueues jobs that
   * may exist already), so it never answers a signal or a debug pause nor touches an execution this
   * process runs. `signal`: the execution must be parked on a signal, and stay so until this call
   * takes it. Leaving `queued` or `waiting` is a conditional write: of several processes
   * resuming the same execution, one runs it and the others answer `duplicate` (a signal: an
   * `INVALID_STATE` error, since its payload was not delivered).
   */
  async #resume(
    executionId: string,
    options: ResumeOptions,
    from: 'call' | 'job' | 'signal',
  ): Promise<ExecutionResult> {
    const record = await this.executions.get(options.workspaceId, executionId);
    if (!record) throw new EngineError('NOT_FOUND', `Execution "${executionId}" not found`);
    if (from === 'signal' && (record.status !== 'waiting' || record.wait?.kind !== 'signal'))
      throw notWaiting(executionId, record.status);
    if (TERMINAL.has(record.status)) return resultOf(record);
    if (
      from === 'job' &&
      (this.#driver.has(executionId) || (record.status === 'waiting' && record.wait?.kind !== 'timer'))
    )
      return { ...resultOf(record), duplicate: true };
    if (this.#driver.has(executionId))
      throw new EngineError('INVALID_STATE', `Execution "${executionId}" is already running in this process`);
    const workflow = options.workflow ?? (await this.#versions.pinned(record));
    const compiled = compileWorkflow(workflow, this.registry);
    const state = new RunState(compiled);
    const only = record.startNodeId ? compiled.byId.get(record.startNodeId) : undefined;
    state.start(record.input.main ?? [{ json: {} }], only);
    // A queued execution has no checkpoints yet: skip reading them.
    const runs = record.status === 'queued' ? [] : await this.executions.listNodeRuns(executionId);
    const parked = replayLog(state, compiled, runs, executionId);
    if (
      record.status === 'waiting' &&
      record.wait?.kind === 'timer' &&
      (record.wait.resumeAt ?? 0) > this.#deps.clock.now()
    ) {
      return { executionId, status: 'waiting', output: [], outputs: {}, wait: record.wait };
    }
    if (record.status === 'queued' || record.status === 'waiting') {
      const won = await this.executions.transition(executionId, record.status, { status: 'running', wait: undefined });
      if (!won && from === 'signal') throw notWaiting(executionId, 'running');
      if (!won)
        return { ...resultOf((await this.executions.get(record.workspaceId, executionId)) ?? record), duplicate: true };
    } else await this.executions.update(executionId, { status: 'running', wait: undefined });
    return this.#driver.drive(
      record,
      state,
      options.signal,
      options,
      options.traceContext,
      parked && {
        entry: parked.entry,
        payload: options.payload ?? null,
        state: parked.state,
        interrupted: parked.interrupted,
      },
    );
  }

  /**
   * Delivers a signal (e.g. an approval decision) to an execution parked on one, and resumes it.
   * Of concurrent signals to one execution exactly one is delivered; the others, like any signal
   * to an execution not parked on one, throw an `INVALID_STATE` {@link EngineError}.
   */
  async signal(
    executionId: string,
    payload: JsonValue,
    options: { workspaceId?: string; signal?: AbortSignal } = {},
  ): Promise<ExecutionResult> {
    return this.#resume(executionId, { ...options, payload }, 'signal');
  }

  /** Cancels an execution: aborts it if it runs here, or marks a queued/parked one cancelled. */
  async cancel(executionId: string, options: { workspaceId?: string } = {}): Promise<boolean> {
    if (this.#driver.abort(executionId, new EngineError('CANCELLED', 'Execution cancelled'))) return true;
    const record = await this.executions.get(options.workspaceId, executionId);
    if (!record || TERMINAL.has(record.status)) return false;
    await this.executions.update(executionId, {
      status: 'cancelled',
      finishedAt: this.#deps.clock.now(),
      error: { code: 'CANCELLED', message: 'Execution cancelled' },
      wait: undefined,
    });
    return true;
  }

  /** Runs a queue job (what a {@link Worker} calls). */
  async runJob(
    job: { executionId: string; workspaceId: string; payload?: JsonValue; trace?: TraceCarrier },
    signal?: AbortSignal,
  ): Promise<ExecutionResult> {
    return this.#resume(
      job.executionId,
      {
        workspaceId: job.workspaceId,
        ...(job.payload !== undefined ? { payload: job.payload } : {}),
        ...(job.trace ? { traceContext: job.trace } : {}),
        ...(signal ? { signal } : {}),
      },
      'job',
    );
  }

  /** Executions running in this process now. */
  get runningCount(): number {
    return this.#driver.size;
  }

  #newRecord(workflow: Workflow, workspaceId: string, options: ExecuteOptions, depth: number): ExecutionRecord {
    return newExecutionRecord(workflow, workspaceId, options, depth, this.#deps.newId, this.#deps.clock.now());
  }

  async #start(
    workflow: Workflow,
    options: ExecuteOptions,
    meta: { depth: number; parentExecutionId?: string },
  ): Promise<ExecutionResult> {
    const compiled = compileWorkflow(workflow, this.registry);
    const only = options.startNodeId ? startNode(compiled, options.startNodeId) : undefined;
    const record = this.#newRecord(workflow, options.workspaceId ?? 'default', options, meta.depth);
    if (meta.parentExecutionId) record.parentExecutionId = meta.parentExecutionId;
    const created = await this.executions.create(record);
    options.onCreated?.(created.record.id, !created.created);
    if (!created.created) {
      const r = created.record;
      return {
        executionId: r.id,
        status: r.status,
        output: r.output?.main ?? [],
        outputs: r.output ?? {},
        duplicate: true,
      };
    }
    const state = new RunState(compiled);
    state.start(record.input.main ?? [], only);
    return this.#driver.drive(record, state, options.signal, options, options.traceContext);
  }
}
