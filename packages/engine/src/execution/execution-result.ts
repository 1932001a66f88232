import type { ExecutionError, ExecutionRecord, ExecutionStatus, WaitState } from '../model/execution.js';
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

/**
 * An execution as it is stored now, as the result of a call that ran nothing (it had finished,
 * or someone else resumed it first).
 *
 * @example
 * ```ts
 * const result = resultOf(await store.get('ws1', id));
 * ```
 */
export function resultOf(record: ExecutionRecord): ExecutionResult {
  return {
    executionId: record.id,
    status: record.status,
    output: record.output?.main ?? [],
    outputs: record.output ?? {},
    ...(record.error ? { error: record.error } : {}),
    ...(record.wait ? { wait: record.wait } : {}),
  };
}
