import type { ExecutionError, NodeRunRecord, NodeRunStatus } from '../model/execution.js';
import type { PortItems } from '../model/item.js';
import type { JsonValue } from '../model/json.js';
import type { NodeWait } from '../nodes/node-type.js';
import type { CompiledNode } from './compiled-workflow.js';
import type { EngineError } from './engine-error.js';

/**
 * How one node run ended: outputs to pass on (with `error` when the node failed but its error
 * policy continues), a park, or a failure that ends the execution.
 */
export type NodeOutcome =
  | { kind: 'done'; outputs: PortItems; state: JsonValue | undefined; error?: ExecutionError }
  | { kind: 'wait'; wait: NodeWait }
  | { kind: 'fail'; error: ExecutionError };

/** Error codes a node's retry policy does not retry: trying again cannot change them. */
export const NOT_RETRIED: ReadonlySet<string> = new Set([
  'EXPRESSION_ERROR',
  'LIMIT_EXCEEDED',
  'STOPPED_BY_NODE',
  'CANCELLED',
  'WORKFLOW_TIMEOUT',
]);

/**
 * Applies a node's error policy (`onError`): `stop` fails the execution; `continue` passes the
 * input items on with the error added to each; `route` sends them to the node's `error` port.
 * A limit that was exceeded always fails the execution.
 *
 * @example
 * ```ts
 * const outcome = onNodeError(node, inputs, new EngineError('NODE_ERROR', 'HTTP 500'));
 * ```
 */
export function onNodeError(node: CompiledNode, inputs: PortItems, err: EngineError): NodeOutcome {
  const error = err.toExecutionError(node.node);
  const policy = node.node.onError ?? 'stop';
  if (policy === 'stop' || err.code === 'LIMIT_EXCEEDED') return { kind: 'fail', error };
  const items = (inputs.main?.length ? inputs.main : [{ json: {} }]).map((it) => ({
    ...it,
    json: { ...it.json, error: { message: error.message, code: error.code } },
  }));
  const port = policy === 'route' ? 'error' : (node.outputNames[0] ?? 'main');
  return { kind: 'done', outputs: { [port]: items }, state: undefined, error };
}

/** The status a node run is recorded with. */
export function nodeRunStatus(outcome: NodeOutcome): NodeRunStatus {
  if (outcome.kind === 'wait') return 'waiting';
  return outcome.kind === 'fail' || outcome.error ? 'failed' : 'succeeded';
}

/**
 * Fills a node run record's result fields from its outcome: outputs and state of a finished run,
 * the state a parked node keeps, the error of a failed one (also when its policy continued).
 */
export function recordOutcome(run: NodeRunRecord, outcome: NodeOutcome): NodeRunRecord {
  if (outcome.kind === 'done') {
    run.output = outcome.outputs;
    if (outcome.state !== undefined) run.state = outcome.state;
    if (outcome.error) run.error = outcome.error;
  } else if (outcome.kind === 'wait') {
    if (outcome.wait.state !== undefined) run.state = outcome.wait.state;
  } else run.error = outcome.error;
  return run;
}
