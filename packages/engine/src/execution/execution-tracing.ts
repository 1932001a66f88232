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

/**
 * Runs one execution run (start or resume) inside a `weft.execution` span, a child of `parent`
 * (a queue job's carried context) or else of the active span (an HTTP request's). `run` gets the
 * context its node spans are children of, or undefined when the span does not record (no SDK,
 * or sampled out): then nothing else is traced and nothing is allocated per node.
 */
export async function traceExecution(
  record: ExecutionRecord,
  parent: TraceCarrier | undefined,
  resumed: boolean,
  run: (ctx: Context | undefined) => Promise<ExecutionResult>,
): Promise<ExecutionResult> {
  const base = parent ? propagation.extract(ROOT_CONTEXT, parent) : context.active();
  const span = tracer.startSpan(
    'weft.execution',
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        'weft.execution.id': record.id,
        'weft.workflow.id': record.workflowId,
        'weft.workflow.version': record.workflowVersion,
        'weft.workspace.id': record.workspaceId,
        'weft.execution.mode': record.mode,
        'weft.execution.resumed': resumed,
      },
    },
    base,
  );
  if (!span.isRecording()) return run(undefined);
  const ctx = trace.setSpan(base, span);
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
    span.end();
  }
}

/** What a traced node run reports when it ends. */
export interface NodeSpanOutcome {
  status: string;
  error?: { message: string; code?: string } | undefined;
}

/**
 * Runs one node run inside a `weft.node <name>` span, a child of the execution's span; work the
 * node starts (outbound HTTP, database batches) sees this span as the active one.
 */
export async function traceNode<T>(
  parent: Context,
  node: { id: string; name: string; type: string },
  runIndex: number,
  run: () => Promise<T>,
  outcome: (result: T) => NodeSpanOutcome,
): Promise<T> {
  const span = tracer.startSpan(
    `weft.node ${node.name}`,
    {
      attributes: { 'weft.node.id': node.id, 'weft.node.type': node.type, 'weft.node.run_index': runIndex },
    },
    parent,
  );
  try {
    const result = await context.with(trace.setSpan(parent, span), run);
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
