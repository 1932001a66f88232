import type { ExecutionRecord } from '../model/execution.js';
import type { Item } from '../model/item.js';
import type { Workflow } from '../model/workflow-schema.js';
import type { DebugOptions, EngineDeps } from './engine-deps.js';
import { EngineError } from './engine-error.js';
import type { ExecutionResult } from './execution-result.js';
import { ExecutionRun } from './execution-run.js';
import { type TraceCarrier, traceExecution } from './execution-tracing.js';
import type { RunState } from './run-state.js';

/** Starts a workflow's error workflow with one item describing the failed execution. */
export type ErrorWorkflowStarter = (workflow: Workflow, workspaceId: string, item: Item) => Promise<unknown>;

/**
 * Runs executions in this process: each under its own abort controller (cancel, the workflow's
 * time limit, the caller's signal), inside its tracing span, and starts the error workflow of one
 * that fails. Knows which executions run here, so a duplicate job or a cancel finds them.
 *
 * @example
 * ```ts
 * const driver = new ExecutionDriver(deps, (wf, ws, item) => engine.execute(wf, { workspaceId: ws, input: [item], mode: 'error' }));
 * const result = await driver.drive(record, state, signal, {}, undefined);
 * ```
 */
export class ExecutionDriver {
  readonly #running = new Map<string, AbortController>();

  constructor(
    private readonly deps: EngineDeps,
    private readonly startErrorWorkflow: ErrorWorkflowStarter,
  ) {}

  /** Executions running in this process now. */
  get size(): number {
    return this.#running.size;
  }

  /** True while the execution runs in this process. */
  has(executionId: string): boolean {
    return this.#running.has(executionId);
  }

  /** Aborts the execution when it runs here; false when it does not. */
  abort(executionId: string, reason: unknown): boolean {
    const running = this.#running.get(executionId);
    running?.abort(reason);
    return running !== undefined;
  }

  /** Runs (or resumes, with `resume`) an execution whose record is stored and marked running. */
  async drive(
    record: ExecutionRecord,
    state: RunState,
    outer: AbortSignal | undefined,
    debug: DebugOptions,
    trace: TraceCarrier | undefined,
    resume?: Parameters<ExecutionRun['run']>[0],
  ): Promise<ExecutionResult> {
    const controller = new AbortController();
    this.#running.set(record.id, controller);
    const timeoutMs = state.compiled.workflow.settings?.timeoutMs ?? this.deps.limits.maxDurationMs;
    const timer = setTimeout(
      () =>
        controller.abort(
          new EngineError('WORKFLOW_TIMEOUT', `Execution stopped: it ran longer than its ${timeoutMs} ms limit`, {
            limit: 'maxDurationMs',
            value: timeoutMs,
          }),
        ),
      timeoutMs,
    );
    const forward = () => controller.abort(outer?.reason);
    if (outer?.aborted) forward();
    else outer?.addEventListener('abort', forward, { once: true });
    const signal = controller.signal;
    try {
      const result = await traceExecution(record, trace, resume !== undefined, (ctx) =>
        new ExecutionRun(this.deps, record, state, signal, debug, ctx).run(resume),
      );
      if (result.status === 'failed') await this.#runErrorWorkflow(record, state.compiled.workflow, result);
      return result;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', forward);
      this.#running.delete(record.id);
    }
  }

  async #runErrorWorkflow(record: ExecutionRecord, workflow: Workflow, result: ExecutionResult): Promise<void> {
    const target = workflow.settings?.errorWorkflow;
    if (!target || record.mode === 'error') return;
    try {
      const stored = await this.deps.workflows.get(record.workspaceId, target);
      if (!stored) {
        this.deps.logger.warn({ executionId: record.id, errorWorkflow: target }, 'error workflow not found');
        return;
      }
      const item = {
        json: {
          execution: { id: record.id, mode: record.mode, error: result.error ?? null },
          workflow: { id: record.workflowId, name: workflow.name },
        },
      } as Item;
      await this.startErrorWorkflow(stored.workflow, record.workspaceId, item);
    } catch (e) {
      this.deps.logger.error({ executionId: record.id, err: String(e) }, 'error workflow failed to start');
    }
  }
}
