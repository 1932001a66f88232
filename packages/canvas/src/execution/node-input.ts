import type { Connection, Item, PortItems } from '@weft/engine';

/** The part of a node run (the engine's `NodeRunRecord`) a node's input is derived from. */
export interface RunData {
  nodeId: string;
  input?: PortItems | undefined;
  output?: PortItems | undefined;
}

/**
 * The items a node received (or would receive) in a run, per input port. The engine records a
 * node's input only for the first nodes of a run (and in debug sessions); every other node gets
 * what its upstream nodes emitted on the ports connected to it, so that is what this returns:
 * its recorded input when there is one, else the last output of each connected upstream port.
 * This also gives a node that has not run yet (just added, or failed before) the input it will
 * see, which feeds the input view, `$json` autocomplete and previews. `undefined` when nothing
 * upstream has run.
 *
 * @example
 * ```ts
 * nodeInput(workflow.connections, execution.nodeRuns, 'if1');
 * // { main: [{ json: { total: 12 } }] } (the output of the node connected to if1)
 * ```
 */
export function nodeInput(
  connections: readonly Connection[],
  runs: readonly RunData[],
  nodeId: string,
): PortItems | undefined {
  const last = new Map<string, RunData>();
  for (const r of runs) last.set(r.nodeId, r);
  const recorded = last.get(nodeId)?.input;
  if (recorded) return recorded;
  let found = false;
  const ports: Record<string, Item[]> = {};
  for (const c of connections) {
    if (c.target !== nodeId) continue;
    const port = c.targetPort ?? 'main';
    const items = last.get(c.source)?.output?.[c.sourcePort ?? 'main'];
    ports[port] ??= [];
    if (!items) continue;
    found = true;
    ports[port].push(...items);
  }
  return found ? ports : undefined;
}
