import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { ExecutionRecord } from '../model/execution.js';
import type { ExecutionResult } from './execution-result.js';

/**
 * W3C trace context headers (`traceparent`, optionally `tracestate`), as carried by queue jobs
 * and HTTP requests.
 */
export type TraceCarrier = Record<string, string>;

const tracer = trace.getTracer('@weft/engine');

/**
 * The trace context of the active span as W3C headers, to carry in a queue job so the worker's
 * execution span continues the caller's trace; undefined when no span is active (always so
 * without an OpenTelemetry SDK, which makes this a single lookup).
 *
 * @example
 * ```ts
 * const job = { workspaceId, executionId, kind: 'start', ...withTrace() };
 * ```
 */
export function activeTraceCarrier(): TraceCarrier | undefined {
  const active = context.active();
  if (!trace.getSpanContext(active)) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(active, carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The contexts of the execution spans recording in this process, by execution id. */
const live = new Map<string, Context>();

/**
 * The span context of an execution this process is running with tracing on, for work done on
 * its behalf that cannot be handed a context: the storage's write batches find their parent
 * here by execution id. Undefined when the execution is not traced (no SDK, or sampled out) or
 * not running here.
 *
 * @example
 * ```ts
 * const parent = executionTraceContext(executionId) ?? context.active();
 * ```
 */
export function executionTraceContext(executionId: string): Context | undefined {
  return live.get(executionId);
}

/**
 * Runs one execution run (start or resume) inside a `weft.execution` span, a child of `parent`
 * (the W3C context of the request that started it, or of a queue job) or else of the active
 * span. `run` gets the context its node spans are children of, or undefined when the span does
 * not record (no SDK, or sampled out): then nothing else is traced and nothing is allocated per
 * node. Parents are passed explicitly, so no async context manager is needed (see ADR 0015).
 *
 * @example
 * ```ts
 * const result = await traceExecution(record, job.trace, false, (ctx) => new ExecutionRun(deps, record, state, signal, {}, ctx).run());
 * ```
 */
export async function traceExecution(
  record: ExecutionRecord,
  parent: TraceCarrier | undefined,
  resumed: boolean,
  run: (ctx: Context | undefined) => Promise<ExecutionResult>,
): Promise<ExecutionResult> {
  const base = parent ? propagation.extract(ROOT_CONTEXT, parent) : context.active();
  // Attributes go on once the span records: given at the start, the SDK copies and checks them
  // twice more before and after sampling, also for the executions it then drops (ADR 0013).
  const span = tracer.startSpan('weft.execution', { kind: SpanKind.INTERNAL }, base);
  if (!span.isRecording()) return run(undefined);
  span.setAttributes({
    'weft.execution.id': record.id,
    'weft.workflow.id': record.workflowId,
    'weft.workflow.version': record.workflowVersion,
    'weft.workspace.id': record.workspaceId,
    'weft.execution.mode': record.mode,
    'weft.execution.resumed': resumed,
  });
  const ctx = trace.setSpan(base, span);
  live.set(record.id, ctx);
  try {
    const result = await context.with(ctx, run, undefined, ctx);
    span.setAttribute('weft.execution.status', result.status);
    if (result.status === 'failed')
      span.setStatus({ code: SpanStatusCode.ERROR, message: result.error?.message ?? '' });
    return result;
  } catch (err) {
    failed(span, err);
    throw err;
  } finally {
    if (live.get(record.id) === ctx) live.delete(record.id);
    span.end();
  }
}

/** What a traced node run reports when it ends. */
export interface NodeSpanOutcome {
  status: string;
  error?: { message: string; code?: string } | undefined;
}

/**
 * Runs one node run inside a `weft.node <name>` span, a child of the execution's span. `run`
 * gets the node span's context, to hand to the work the node starts (outbound HTTP); it is also
 * the active context for an embedder's own async context manager.
 *
 * @example
 * ```ts
 * await traceNode(executionCtx, { id: 'n1', name: 'Fetch', type: 'http.request' }, 0, (ctx) => runNode(ctx), (r) => ({ status: 'succeeded' }));
 * ```
 */
export async function traceNode<T>(
  parent: Context,
  node: { id: string; name: string; type: string },
  runIndex: number,
  run: (ctx: Context) => Promise<T>,
  outcome: (result: T) => NodeSpanOutcome,
): Promise<T> {
  const span = tracer.startSpan(`weft.node ${node.name}`, undefined, parent);
  span.setAttributes({ 'weft.node.id': node.id, 'weft.node.type': node.type, 'weft.node.run_index': runIndex });
  const ctx = trace.setSpan(parent, span);
  try {
    const result = await context.with(ctx, run, undefined, ctx);
    const o = outcome(result);
    span.setAttribute('weft.node.status', o.status);
    if (o.error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: o.error.message });
      if (o.error.code) span.setAttribute('error.type', o.error.code);
    }
    return result;
  } catch (err) {
    failed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

function failed(span: Span, err: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  if (err instanceof Error) span.setAttribute('error.type', err.name);
}
