import type { Workflow } from '@weft/engine';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { problemsByNode, type WorkflowProblem } from '../model/problems-by-node.js';
import type { ProblemsChangeDetail } from './canvas-types.js';

/** What {@link CanvasValidation} reads from its canvas. */
export interface ValidationHost extends ReactiveControllerHost, EventTarget {
  readonly editor: { readonly workflow: Workflow };
  problems: readonly WorkflowProblem[];
  validate: ((workflow: Workflow) => readonly WorkflowProblem[]) | null;
}

/**
 * The problems a `<weft-canvas>` draws on its nodes: the given `problems` plus what `validate`
 * finds. `validate` runs after the frame that shows a change, not inside it: checking a
 * 1,000-node document took longer than drawing it, and ran again on every edit before the edit
 * showed. Fires `problems-change` (bubbling) whenever the problems were grouped again.
 *
 * @example
 * ```ts
 * canvas.addEventListener('problems-change', (e) => (inspector.problems = e.detail.problems));
 * ```
 */
export class CanvasValidation implements ReactiveController {
  #byNode = new Map<string, WorkflowProblem[]>();
  #found: readonly WorkflowProblem[] = [];
  #frame = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ValidationHost) {
    host.addController(this);
  }

  /** Problems per node id (`''` for the whole workflow). */
  get byNode(): ReadonlyMap<string, WorkflowProblem[]> {
    return this.#byNode;
  }

  /** Called before a render: `documentChanged` when the document or the validator changed. */
  refresh(documentChanged: boolean): void {
    if (documentChanged) {
      if (this.host.validate) this.#schedule();
      else this.#found = [];
    }
    this.#group();
  }

  hostDisconnected(): void {
    this.#cancel();
  }

  #schedule(): void {
    this.#cancel();
    // after the next frame is drawn: a task queued from requestAnimationFrame runs once it is painted
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#found = this.host.validate ? this.host.validate(this.host.editor.workflow) : [];
        this.#group();
        this.host.requestUpdate();
      }, 0);
    });
  }

  #cancel(): void {
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#timer);
    this.#frame = 0;
    this.#timer = undefined;
  }

  #group(): void {
    const all = [...this.host.problems, ...this.#found];
    this.#byNode = problemsByNode(this.host.editor.workflow, all);
    this.host.dispatchEvent(
      new CustomEvent<ProblemsChangeDetail>('problems-change', {
        detail: { problems: all },
        bubbles: true,
        composed: true,
      }),
    );
  }
}
