import type { JsonValue } from '../model/json.js';
import type { CompiledNode } from './compiled-workflow.js';

/** What a progress report becomes: a `node:progress` event of the node now running. */
export type ProgressEmit = (node: CompiledNode, runIndex: number, data: JsonValue) => void;

/**
 * The `progress()` function nodes of one run report through. Nodes of one run execute one at a
 * time, so one reporter serves the whole run; a node that reported, or was cut off while it may
 * still run, keeps its old reporter (which then goes quiet) and the next node gets a new one.
 * Runs whose nodes never report allocate nothing per node.
 *
 * @example
 * ```ts
 * const progress = new ProgressReporter((node, runIndex, data) => emit({ type: 'node:progress', ... }));
 * progress.started(node, 0);
 * ctx.progress = progress.report;
 * progress.ended(signal.aborted);
 * ```
 */
export class ProgressReporter {
  #running: CompiledNode | undefined;
  #runIndex = 0;
  #epoch = 0;
  #reported = false;
  #report: (data: JsonValue) => void;

  constructor(private readonly emit: ProgressEmit) {
    this.#report = this.#make();
  }

  /** The function to hand the node now starting. */
  get report(): (data: JsonValue) => void {
    return this.#report;
  }

  /** `node` (run `runIndex`) starts running: reports go to it until {@link ended}. */
  started(node: CompiledNode, runIndex: number): void {
    this.#running = node;
    this.#runIndex = runIndex;
  }

  /** The running node ended; `cutOff` when it was aborted and may still be running. */
  ended(cutOff: boolean): void {
    this.#running = undefined;
    if (cutOff || this.#reported) this.#report = this.#make();
    this.#reported = false;
  }

  #make(): (data: JsonValue) => void {
    const epoch = ++this.#epoch;
    return (data) => {
      const node = this.#running;
      if (!node || epoch !== this.#epoch) return;
      this.#reported = true;
      this.emit(node, this.#runIndex, data);
    };
  }
}
