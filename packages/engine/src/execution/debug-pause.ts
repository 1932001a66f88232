import type { WaitState } from '../model/execution.js';
import type { CompiledNode } from './compiled-workflow.js';
import type { DebugOptions } from './engine-deps.js';
import type { ReadyEntry, RunState } from './run-state.js';

/**
 * Where a step-through run parks: before a node once `stepLimit` nodes ran in this call, or
 * before a breakpoint node other than the call's first. Built only when one of the two options is
 * set, so ordinary runs pay one `undefined` check per node.
 *
 * @example
 * ```ts
 * const pause = DebugPause.of({ stepLimit: 1 });
 * if (pause?.before(entry.node)) return park(pause.waitState(state, entry));
 * ```
 */
export class DebugPause {
  #ran = 0;

  private constructor(
    private readonly limit: number | undefined,
    private readonly breakpoints: ReadonlySet<string> | undefined,
  ) {}

  /** The pause rules of `debug`, or undefined when it asks for none. */
  static of(debug: DebugOptions): DebugPause | undefined {
    const points = debug.breakpoints?.length ? new Set(debug.breakpoints) : undefined;
    if (debug.stepLimit === undefined && !points) return undefined;
    return new DebugPause(debug.stepLimit, points);
  }

  /** Whether to park instead of running `node` next. */
  before(node: CompiledNode): boolean {
    if (this.limit !== undefined && this.#ran >= this.limit) return true;
    return this.#ran > 0 && this.breakpoints !== undefined && this.#hits(node);
  }

  /** Counts a node run of this call. */
  ran(): void {
    this.#ran++;
  }

  /** Puts `entry` back at the head of the ready queue and describes the pause. */
  waitState(state: RunState, entry: ReadyEntry): WaitState {
    state.ready.unshift(entry);
    return { nodeId: entry.node.node.id, kind: 'debug', next: state.ready.map((r) => r.node.node.id) };
  }

  #hits(node: CompiledNode): boolean {
    const points = this.breakpoints as ReadonlySet<string>;
    return points.has(node.node.name) || points.has(node.node.id);
  }
}
