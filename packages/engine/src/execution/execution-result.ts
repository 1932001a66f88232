import type { ExecutionError, ExecutionStatus, WaitState } from '../model/execution.js';
import type { Item, PortItems } from '../model/item.js';
import type { JsonValue } from '../model/json.js';

/**
 * What `execute()`/`resume()` return once the execution finished or parked.
 *
 * @example
 * ```ts
 * const result = await engine.execute(workflow, { input: [{ json: { a: 1 } }] });
 * if (result.status === 'succeeded') console.log(result.output);
 * ```
 */
export interface ExecutionResult {
  executionId: string;
  status: ExecutionStatus;
  /** Main output items of the last node with no outgoing connection (or the last node run). */
  output: Item[];
  /** Every output port of that node. */
  outputs: PortItems;
  error?: ExecutionError;
  wait?: WaitState;
  /** What a node set with `ctx.respond()` (e.g. a respond-to-webhook node), if any. */
  response?: JsonValue;
  /**
   * True when nothing ran here: an idempotency key matched an existing execution, or another
   * caller (a process, a duplicate queue job) resumed the execution first.
   */
  duplicate?: boolean;
}
