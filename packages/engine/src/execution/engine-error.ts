import type { ExecutionError } from '../model/execution.js';
import type { JsonValue } from '../model/json.js';

/** Stable error codes of the engine. */
export type EngineErrorCode =
  | 'NODE_ERROR'
  | 'NODE_TIMEOUT'
  | 'NODE_INTERRUPTED'
  | 'EXPRESSION_ERROR'
  | 'SANDBOX_TIMEOUT'
  | 'SANDBOX_MEMORY'
  | 'LIMIT_EXCEEDED'
  | 'WORKFLOW_TIMEOUT'
  | 'UNKNOWN_NODE_TYPE'
  | 'INVALID_WORKFLOW'
  | 'STOPPED_BY_NODE'
  | 'SUBWORKFLOW_FAILED'
  | 'NOT_FOUND'
  | 'INVALID_STATE'
  | 'CANCELLED'
  | 'CREDENTIAL_BROKEN'
  | (string & {});

/**
 * An error with a stable code, raised by the engine or thrown by a node to choose its code.
 *
 * @example
 * ```ts
 * throw new EngineError('LIMIT_EXCEEDED', 'Node "Split" produced 200000 items; the limit maxItemsPerNode is 100000', { limit: 'maxItemsPerNode' });
 * ```
 */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    readonly details?: Record<string, JsonValue>,
  ) {
    super(message);
  }

  toExecutionError(node?: { id: string; name: string }): ExecutionError {
    return {
      message: this.message,
      code: this.code,
      ...(node ? { nodeId: node.id, nodeName: node.name } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

/**
 * Abort reason that stops an execution run without ending the execution: it stays resumable
 * (used when a worker shuts down or loses its lease).
 *
 * @example
 * ```ts
 * controller.abort(new ExecutionInterrupted('worker shutting down'));
 * ```
 */
export class ExecutionInterrupted extends Error {
  override readonly name = 'ExecutionInterrupted';
}
