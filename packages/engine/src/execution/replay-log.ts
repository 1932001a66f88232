import type { NodeRunRecord } from '../model/execution.js';
import type { JsonValue } from '../model/json.js';
import type { CompiledWorkflow } from './compiled-workflow.js';
import { EngineError } from './engine-error.js';
import type { ReadyEntry, RunState } from './run-state.js';

/**
 * Rebuilds an execution's state from its checkpoint log: every finished run goes through the same
 * `RunState.complete()` as during the live run. Returns the node left open by a trailing `waiting`
 * record (to be re-run with the resume payload) or `running` marker (an `atMostOnce` node cut off
 * by a crash, which must not run again), taken off the ready queue, if any.
 */
export function replayLog(
  state: RunState,
  compiled: CompiledWorkflow,
  runs: NodeRunRecord[],
  executionId: string,
): { entry: ReadyEntry; state: JsonValue | undefined; interrupted: boolean } | undefined {
  let parked: { entry: ReadyEntry; state: JsonValue | undefined; interrupted: boolean } | undefined;
  for (const run of runs) {
    const node = compiled.byId.get(run.nodeId);
    if (!node)
      throw new EngineError(
        'INVALID_STATE',
        `Checkpoint of execution "${executionId}" names unknown node "${run.nodeId}"`,
      );
    const entry = state.take(node) ?? { node, feedback: false };
    if (run.status === 'waiting' || run.status === 'running') {
      state.ready.unshift(entry);
      state.seq++;
      parked = { entry, state: run.state, interrupted: run.status === 'running' };
      continue;
    }
    parked = undefined;
    state.complete(node, run.output ?? {}, run.state);
  }
  if (parked) state.take(parked.entry.node);
  return parked;
}
