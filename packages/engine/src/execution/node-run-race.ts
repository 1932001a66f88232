import type { NodeResult } from '../nodes/node-type.js';
import { EngineError } from './engine-error.js';

/** A node's own time limit: `controller` (which feeds the node's signal) aborts after `ms`. */
export interface NodeTimeout {
  controller: AbortController;
  ms: number;
  nodeName: string;
}

/**
 * Settles with a node's running `execute()` promise, or rejects with `signal`'s reason as soon as
 * it aborts: a node that ignores its signal still stops the run at once (its promise is left to
 * settle unobserved). With `timeout`, aborts `timeout.controller` with a `NODE_TIMEOUT` error
 * after `timeout.ms`.
 *
 * @example
 * ```ts
 * const result = await raceNodeRun(node.type.execute(ctx), ctx.signal, { controller, ms: 5000, nodeName: 'Fetch' });
 * ```
 */
export async function raceNodeRun(
  running: Promise<NodeResult>,
  signal: AbortSignal,
  timeout?: NodeTimeout,
): Promise<NodeResult> {
  const timer = timeout
    ? setTimeout(
        () =>
          timeout.controller.abort(
            new EngineError('NODE_TIMEOUT', `Node "${timeout.nodeName}" exceeded its timeout of ${timeout.ms} ms`, {
              timeoutMs: timeout.ms,
            }),
          ),
        timeout.ms,
      )
    : undefined;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  running.catch(() => {});
  aborted.catch(() => {});
  try {
    return await Promise.race([running, aborted]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
