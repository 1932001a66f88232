import type { Context } from '@opentelemetry/api';
import type { ExecutionError, ExecutionRecord, NodeRunRecord } from '../model/execution.js';
import type { Item, PortItems } from '../model/item.js';
import type { JsonValue } from '../model/json.js';
import type { NodeResult, NodeWait } from '../nodes/node-type.js';
import type { ExpressionData } from '../ports/code-sandbox.js';
import { checkOutputs } from './check-outputs.js';
import { CheckpointBuffer } from './checkpoint-buffer.js';
import type { CompiledNode } from './compiled-workflow.js';
import { DebugPause } from './debug-pause.js';
import type { DebugOptions, EngineDeps } from './engine-deps.js';
import { EngineError, ExecutionInterrupted } from './engine-error.js';
import type { EngineEvent } from './engine-events.js';
import type { ExecutionResult } from './execution-result.js';
import { traceNode } from './execution-tracing.js';
import { nodeContext } from './node-context.js';
import { NOT_RETRIED, type NodeOutcome, nodeRunStatus, onNodeError, recordOutcome } from './node-outcome.js';
import { raceNodeRun } from './node-run-race.js';
import { type ResolvedParameters, resolveParameters, toEngineError } from './parameter-resolver.js';
import { ProgressReporter } from './progress-reporter.js';
import { timerJob } from './recovery-jobs.js';
import { backoffDelay } from './retry-backoff.js';
import type { ReadyEntry, RunState } from './run-state.js';

/**
 * One run (start or resume) of one execution: walks the ready queue, runs each node with its
 * policies, checkpoints every node run, publishes events, and settles the execution's status.
 */
export class ExecutionRun {
  #seq = 0;
  #response: JsonValue | undefined;
  readonly #startedAt: number;
  readonly #progress = new ProgressReporter((node, runIndex, data) =>
    this.#emit({ type: 'node:progress', nodeId: node.node.id, nodeName: node.node.name, runIndex, data }),
  );
  readonly #checkpoints: CheckpointBuffer;
  readonly #pause: DebugPause | undefined;

  constructor(
    private readonly deps: EngineDeps,
    private readonly record: ExecutionRecord,
    private readonly state: RunState,
    private readonly signal: AbortSignal,
    private readonly debug: DebugOptions = {},
    /** The execution span's context when tracing records: each node run gets a child span. */
    private readonly trace?: Context,
  ) {
    this.#startedAt = deps.clock.now();
    this.#checkpoints = new CheckpointBuffer(deps.executions, deps.clock, record.id, deps.checkpoints);
    this.#pause = DebugPause.of(debug);
  }

  #emit(event: Record<string, unknown> & { type: EngineEvent['type'] }): void {
    if (!this.deps.events.observed) {
      this.#seq++;
      return;
    }
    const r = this.record;
    this.deps.events.next({
      executionId: r.id,
      workspaceId: r.workspaceId,
      workflowId: r.workflowId,
      seq: this.#seq++,
      at: this.deps.clock.now(),
      ...event,
    } as EngineEvent);
  }

  /** Runs until the queue is empty, a node parks, a node fails, or the signal aborts. */
  async run(resume?: {
    entry: ReadyEntry;
    payload: JsonValue | null;
    state: JsonValue | undefined;
    /** The node was cut off mid-run by a crash and must not run again (side effects `once`). */
    interrupted?: boolean;
  }): Promise<ExecutionResult> {
    const { deps, record, state } = this;
    this.#emit({ type: 'workflow:started', mode: record.mode, resumed: resume !== undefined });
    let pendingResume = resume;
    try {
      for (;;) {
        const entry = pendingResume ? pendingResume.entry : state.next();
        if (!entry) break;
        if (this.signal.aborted) return await this.#aborted();
        if (state.totalRuns >= deps.limits.maxNodeRuns) {
          return await this.#fail(
            new EngineError(
              'LIMIT_EXCEEDED',
              `Execution stopped: it reached the limit maxNodeRuns (${deps.limits.maxNodeRuns} node runs)`,
              { limit: 'maxNodeRuns', value: deps.limits.maxNodeRuns },
            ).toExecutionError(entry.node.node),
          );
        }
        if (this.#pause && !pendingResume && this.#pause.before(entry.node)) return await this.#debugPause(entry);
        const resumed = pendingResume
          ? {
              payload: pendingResume.payload,
              state: pendingResume.state,
              interrupted: pendingResume.interrupted === true,
            }
          : undefined;
        pendingResume = undefined;
        const outcome = await this.#runNode(entry, resumed);
        if (outcome.kind === 'wait') return await this.#park(entry.node, outcome.wait);
        if (outcome.kind === 'fail') return await this.#fail(outcome.error);
        state.complete(entry.node, outcome.outputs, outcome.state);
        this.#pause?.ran();
        if (this.debug.stopAfter === entry.node.node.name) break;
      }
    } catch (e) {
      if (this.signal.aborted) return await this.#aborted();
      throw e;
    }
    const outputs = state.lastTerminal ?? state.lastAny ?? {};
    await this.#checkpoints.flush({
      status: 'succeeded',
      output: outputs,
      finishedAt: deps.clock.now(),
      wait: undefined,
    });
    this.#emit({
      type: 'workflow:completed',
      durationMs: deps.clock.now() - this.#startedAt,
      output: outputs,
      ...(this.#response !== undefined ? { response: this.#response } : {}),
    });
    return {
      executionId: record.id,
      status: 'succeeded',
      output: outputs.main ?? [],
      outputs,
      ...(this.#response !== undefined ? { response: this.#response } : {}),
    };
  }

  async #aborted(): Promise<ExecutionResult> {
    const reason = this.signal.reason;
    if (reason instanceof EngineError && reason.code === 'WORKFLOW_TIMEOUT')
      return this.#fail(reason.toExecutionError());
    if (reason instanceof ExecutionInterrupted) {
      return {
        executionId: this.record.id,
        status: 'running',
        output: [],
        outputs: {},
        error: { code: 'INTERRUPTED', message: reason.message },
      };
    }
    const message = reason instanceof Error ? reason.message : 'Execution cancelled';
    const error: ExecutionError = { code: 'CANCELLED', message };
    await this.#checkpoints.flush({
      status: 'cancelled',
      error,
      finishedAt: this.deps.clock.now(),
      wait: undefined,
    });
    this.#emit({ type: 'workflow:cancelled', durationMs: this.deps.clock.now() - this.#startedAt, reason: message });
    return { executionId: this.record.id, status: 'cancelled', output: [], outputs: {}, error };
  }

  async #fail(error: ExecutionError): Promise<ExecutionResult> {
    await this.#checkpoints.flush({
      status: 'failed',
      error,
      finishedAt: this.deps.clock.now(),
      wait: undefined,
    });
    this.#emit({ type: 'workflow:failed', durationMs: this.deps.clock.now() - this.#startedAt, error });
    return { executionId: this.record.id, status: 'failed', output: [], outputs: {}, error };
  }

  async #debugPause(entry: ReadyEntry): Promise<ExecutionResult> {
    const wait = (this.#pause as DebugPause).waitState(this.state, entry);
    await this.#checkpoints.flush({ status: 'waiting', wait });
    this.#emit({ type: 'workflow:waiting', nodeId: wait.nodeId });
    return { executionId: this.record.id, status: 'waiting', output: [], outputs: {}, wait };
  }

  async #park(node: CompiledNode, wait: NodeWait): Promise<ExecutionResult> {
    const { deps, record } = this;
    const waitState =
      wait.kind === 'timer'
        ? { nodeId: node.node.id, kind: 'timer' as const, resumeAt: wait.resumeAt }
        : { nodeId: node.node.id, kind: 'signal' as const };
    await this.#checkpoints.flush({ status: 'waiting', wait: waitState });
    if (wait.kind === 'timer') {
      const { job, options } = timerJob(record, wait.resumeAt);
      await deps.queue.enqueue(job, options);
    } else {
      this.#emit({
        type: 'approval:required',
        nodeId: node.node.id,
        nodeName: node.node.name,
        ...(wait.approval?.message ? { message: wait.approval.message } : {}),
        ...(wait.approval?.payload !== undefined ? { payload: wait.approval.payload } : {}),
      });
    }
    this.#emit({
      type: 'workflow:waiting',
      nodeId: node.node.id,
      ...(waitState.resumeAt ? { resumeAt: waitState.resumeAt } : {}),
    });
    return { executionId: record.id, status: 'waiting', output: [], outputs: {}, wait: waitState };
  }

  #expressionData(node: CompiledNode, items: Item[]): ExpressionData {
    const nodes: Record<string, Item[]> = {};
    for (const name of node.references) {
      const out = this.state.mainOutputs.get(name);
      if (out) nodes[name] = out;
    }
    return {
      items,
      nodes,
      execution: { id: this.record.id, mode: this.record.mode },
      workflow: { id: this.record.workflowId, name: this.state.compiled.workflow.name },
      env: this.deps.env,
      now: this.deps.clock.now(),
      runIndex: this.state.runCount[node.index] ?? 0,
    };
  }

  #runNode(
    entry: ReadyEntry,
    resumed: { payload: JsonValue | null; state: JsonValue | undefined; interrupted: boolean } | undefined,
  ): Promise<NodeOutcome> {
    if (!this.trace) return this.#runNodeUntraced(entry, resumed);
    const n = entry.node;
    return traceNode(
      this.trace,
      { id: n.node.id, name: n.node.name, type: n.node.type },
      this.state.runCount[n.index] ?? 0,
      (ctx) => this.#runNodeUntraced(entry, resumed, ctx),
      (o) => ({ status: nodeRunStatus(o), error: o.kind === 'wait' ? undefined : o.error }),
    );
  }

  async #runNodeUntraced(
    entry: ReadyEntry,
    resumed: { payload: JsonValue | null; state: JsonValue | undefined; interrupted: boolean } | undefined,
    trace?: Context,
  ): Promise<NodeOutcome> {
    const { deps, state } = this;
    const node = entry.node;
    const wn = node.node;
    const runIndex = state.runCount[node.index] ?? 0;
    const inputs = state.inputsFor(entry);
    const startedAt = deps.clock.now();
    const t0 = performance.now();
    this.#emit({ type: 'node:started', nodeId: wn.id, nodeName: wn.name, runIndex });

    let attempts = 0;
    let outcome: NodeOutcome;
    const pinned = this.debug.pinData?.[wn.name];
    const reused = this.debug.reuse?.[wn.name];
    if (reused) outcome = { kind: 'done', outputs: reused, state: undefined };
    else if (pinned) outcome = { kind: 'done', outputs: { [node.outputNames[0] ?? 'main']: pinned }, state: undefined };
    else if (wn.disabled)
      outcome = { kind: 'done', outputs: { [node.outputNames[0] ?? 'main']: inputs.main ?? [] }, state: undefined };
    else if (resumed?.interrupted) {
      outcome = onNodeError(
        node,
        inputs,
        new EngineError(
          'NODE_INTERRUPTED',
          `Node "${wn.name}" was interrupted while running (its process stopped) and is not run again, because its side effects must not repeat`,
        ),
      );
    } else {
      if (node.type.sideEffects === 'atMostOnce') {
        // The marker makes a crash during the run visible to resume(), which then will not repeat it.
        await this.#checkpoints.record(
          {
            executionId: this.record.id,
            seq: state.seq++,
            nodeId: wn.id,
            nodeName: wn.name,
            runIndex,
            status: 'running',
            attempts: 0,
            startedAt,
            finishedAt: startedAt,
          },
          'atMostOnce',
        );
      }
      const maxAttempts = wn.retry?.attempts ?? 1;
      const items = inputs.main ?? [];
      const expressionData = () => this.#expressionData(node, items);
      for (;;) {
        attempts++;
        try {
          // Awaited only when asynchronous: most nodes of a small flow resolve and run synchronously,
          // and each await costs promises and a microtask turn per node run on the webhook hot path.
          let params = resolveParameters(node, items, deps.sandbox, deps.sandboxLimits, expressionData);
          if (params instanceof Promise) params = await params;
          let result = this.#attempt(node, inputs, runIndex, resumed, trace, expressionData, params);
          if (result instanceof Promise) result = await result;
          outcome =
            'wait' in result
              ? { kind: 'wait', wait: result.wait }
              : { kind: 'done', outputs: result.outputs, state: result.state };
          if (outcome.kind === 'done') checkOutputs(node, outcome.outputs, this.deps.limits);
          break;
        } catch (e) {
          if (this.signal.aborted) throw this.signal.reason;
          const err = toEngineError(e, node);
          if (attempts < maxAttempts && !NOT_RETRIED.has(err.code) && wn.retry) {
            await deps.clock.sleep(backoffDelay(wn.retry, attempts, deps.random), this.signal);
            continue;
          }
          outcome = onNodeError(node, inputs, err);
          break;
        }
      }
    }

    const finishedAt = deps.clock.now();
    const status = nodeRunStatus(outcome);
    const run: NodeRunRecord = {
      executionId: this.record.id,
      seq: state.seq,
      nodeId: wn.id,
      nodeName: wn.name,
      runIndex,
      status,
      attempts,
      startedAt,
      finishedAt,
    };
    if ((node.awaited.length === 0 && !entry.feedback) || this.debug.recordInputs) run.input = inputs;
    recordOutcome(run, outcome);
    const durable = this.#checkpoints.record(run, node.type.sideEffects ?? 'none');
    if (durable) await durable;
    if (outcome.kind === 'wait') state.seq++;

    if (deps.events.observed) {
      const itemsOut: Record<string, number> = {};
      if (outcome.kind === 'done') for (const [p, items] of Object.entries(outcome.outputs)) itemsOut[p] = items.length;
      this.#emit({
        type: 'node:executed',
        nodeId: wn.id,
        nodeName: wn.name,
        runIndex,
        status,
        durationMs: performance.now() - t0,
        attempts,
        itemsIn: inputs.main?.length ?? 0,
        itemsOut,
        ...(run.error ? { error: run.error } : {}),
      });
    } else this.#seq++;
    return outcome;
  }

  /** One attempt of a node with its resolved parameters: synchronous when its `execute` is. */
  #attempt(
    node: CompiledNode,
    inputs: PortItems,
    runIndex: number,
    resumed: { payload: JsonValue | null; state: JsonValue | undefined } | undefined,
    trace: Context | undefined,
    expressionData: () => ExpressionData,
    resolved: ResolvedParameters,
  ): NodeResult | Promise<NodeResult> {
    const { deps, record, state } = this;
    const timeoutMs = node.node.timeoutMs;
    const controller = timeoutMs ? new AbortController() : undefined;
    const forward = () => controller?.abort(this.signal.reason);
    if (controller) this.signal.addEventListener('abort', forward, { once: true });
    const signal = controller ? controller.signal : this.signal;
    const ctx = nodeContext({
      params: resolved.params,
      itemParams: resolved.itemParams,
      deps,
      record,
      workflow: state.compiled.workflow,
      node,
      inputs,
      runIndex,
      state: resumed ? resumed.state : state.nodeState[node.index],
      resumed: resumed ? { payload: resumed.payload } : undefined,
      signal,
      progress: this.#progress.report,
      respond: (response) => {
        this.#response = response;
      },
      expressionData,
      trace,
    });
    this.#progress.started(node, runIndex);
    // A node cut off while it may still run must not report as the next node.
    const ended = () => {
      this.#progress.ended(signal.aborted);
      if (controller) this.signal.removeEventListener('abort', forward);
    };
    let result: NodeResult | Promise<NodeResult>;
    try {
      result = node.type.execute(ctx as Parameters<typeof node.type.execute>[0]);
    } catch (e) {
      ended();
      throw e;
    }
    if (!(result instanceof Promise)) {
      ended();
      return result;
    }
    return raceNodeRun(
      result,
      signal,
      controller && timeoutMs ? { controller, ms: timeoutMs, nodeName: node.node.name } : undefined,
      ended,
    );
  }
}
