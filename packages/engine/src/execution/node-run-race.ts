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
 * after `timeout.ms`. `onSettled` runs once it settles, before whoever awaits it. One promise and one `then` per call: this runs for every asynchronous node
 * on the webhook hot path, where `Promise.race` over an extra abort promise cost six more.
 *
 * @example
 * ```ts
 * const result = await raceNodeRun(node.type.execute(ctx), ctx.signal, { controller, ms: 5000, nodeName: 'Fetch' });
 * ```
 */
export function raceNodeRun(
  running: Promise<NodeResult>,
  signal: AbortSignal,
  timeout?: NodeTimeout,
  onSettled?: () => void,
): Promise<NodeResult> {
  return new Promise<NodeResult>((resolve, reject) => {
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
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      onSettled?.();
    };
    const onAbort = () => {
      settle();
      reject(signal.reason);
    };
    // Attached first: a rejection after an abort is observed, and a node that already answered
    // when the signal was found aborted still wins, as with Promise.race.
    running.then(
      (result) => {
        settle();
        resolve(result);
      },
      (error: unknown) => {
        settle();
        reject(error);
      },
    );
    if (signal.aborted) queueMicrotask(onAbort);
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}
