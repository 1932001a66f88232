import { context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import type { EngineEvent } from '@weft/engine';

/**
 * Turns engine events into OpenTelemetry spans through `@opentelemetry/api`: one span per
 * execution run with a child span per node. Nothing is exported unless the embedding process
 * registered a tracer provider (the API is a no-op otherwise).
 *
 * @example
 * ```ts
 * const tracing = new ExecutionTracing();
 * engine.events$.subscribe((e) => tracing.observe(e));
 * ```
 */
export class ExecutionTracing {
  readonly #tracer = trace.getTracer('@weft/host');
  readonly #executions = new Map<string, Span>();
  readonly #nodes = new Map<string, Span>();

  observe(e: EngineEvent): void {
    switch (e.type) {
      case 'workflow:started': {
        const span = this.#tracer.startSpan('weft.execution', {
          attributes: {
            'weft.execution.id': e.executionId,
            'weft.workflow.id': e.workflowId,
            'weft.workspace.id': e.workspaceId,
            'weft.execution.mode': e.mode,
            'weft.execution.resumed': e.resumed,
          },
        });
        // Without a registered tracer provider spans do not record: keep nothing, skip node spans.
        if (span.isRecording()) this.#executions.set(e.executionId, span);
        break;
      }
      case 'node:started': {
        const parent = this.#executions.get(e.executionId);
        if (!parent) break;
        const ctx = trace.setSpan(context.active(), parent);
        const span = this.#tracer.startSpan(
          `weft.node ${e.nodeName}`,
          { attributes: { 'weft.node.id': e.nodeId, 'weft.node.run_index': e.runIndex } },
          ctx,
        );
        this.#nodes.set(`${e.executionId}/${e.nodeId}/${e.runIndex}`, span);
        break;
      }
      case 'node:executed': {
        const key = `${e.executionId}/${e.nodeId}/${e.runIndex}`;
        const span = this.#nodes.get(key);
        if (!span) break;
        this.#nodes.delete(key);
        span.setAttribute('weft.node.status', e.status);
        span.setAttribute('weft.node.attempts', e.attempts);
        if (e.error) span.setStatus({ code: SpanStatusCode.ERROR, message: e.error.message });
        span.end();
        break;
      }
      case 'workflow:completed':
      case 'workflow:failed':
      case 'workflow:cancelled':
      case 'workflow:waiting': {
        const span = this.#executions.get(e.executionId);
        if (!span) break;
        this.#executions.delete(e.executionId);
        if (e.type === 'workflow:failed') span.setStatus({ code: SpanStatusCode.ERROR, message: e.error.message });
        span.end();
        break;
      }
    }
  }
}
