import type { EngineEvent, ExecutionError, NodeRunStatus } from '@weft/engine';

/** What the canvas shows on one node while and after it runs. */
export interface NodeRunState {
  status: 'running' | NodeRunStatus;
  durationMs?: number;
  runs: number;
  error?: ExecutionError;
}

/** The state of one execution as the overlay draws it. */
export interface OverlayState {
  executionId: string | null;
  status: 'idle' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
  nodes: Map<string, NodeRunState>;
  /** Items emitted per `nodeId:port`, summed over runs. */
  portItems: Map<string, number>;
}

/** A fresh, empty overlay. */
export function emptyOverlay(): OverlayState {
  return { executionId: null, status: 'idle', nodes: new Map(), portItems: new Map() };
}

/**
 * Folds one engine event into the overlay. A `workflow:started` for another execution starts
 * over; events of other executions after that are ignored. Returns a new state (the maps are
 * copied), so a Lit property holding it re-renders.
 *
 * @example
 * ```ts
 * let overlay = emptyOverlay();
 * engine.events$.subscribe((e) => { overlay = reduceOverlay(overlay, e); canvas.overlay = overlay; });
 * ```
 */
export function reduceOverlay(state: OverlayState, event: EngineEvent): OverlayState {
  if (event.type === 'workflow:started') {
    if (event.resumed && event.executionId === state.executionId) return { ...state, status: 'running' };
    return { ...emptyOverlay(), executionId: event.executionId, status: 'running' };
  }
  if (state.executionId !== null && event.executionId !== state.executionId) return state;
  const next: OverlayState = {
    executionId: event.executionId,
    status: state.status === 'idle' ? 'running' : state.status,
    nodes: new Map(state.nodes),
    portItems: state.portItems,
  };
  switch (event.type) {
    case 'node:started': {
      const prev = next.nodes.get(event.nodeId);
      const running: NodeRunState = { status: 'running', runs: prev?.runs ?? 0 };
      if (prev?.durationMs !== undefined) running.durationMs = prev.durationMs;
      next.nodes.set(event.nodeId, running);
      break;
    }
    case 'node:executed': {
      const prev = next.nodes.get(event.nodeId);
      const run: NodeRunState = {
        status: event.status,
        durationMs: (prev?.durationMs ?? 0) + event.durationMs,
        runs: (prev?.runs ?? 0) + 1,
      };
      if (event.error) run.error = event.error;
      next.nodes.set(event.nodeId, run);
      next.portItems = new Map(state.portItems);
      for (const [port, count] of Object.entries(event.itemsOut)) {
        const key = `${event.nodeId}:${port}`;
        next.portItems.set(key, (next.portItems.get(key) ?? 0) + count);
      }
      break;
    }
    case 'workflow:waiting':
    case 'approval:required':
      next.status = 'waiting';
      break;
    case 'workflow:completed':
      next.status = 'succeeded';
      break;
    case 'workflow:failed':
      next.status = 'failed';
      break;
    case 'workflow:cancelled':
      next.status = 'cancelled';
      break;
  }
  return next;
}
