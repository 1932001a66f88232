import type { Workflow } from '@weft/engine';
import { groupCommands, type WorkflowCommand } from './workflow-command.js';

interface Entry {
  command: WorkflowCommand;
  at: number;
}

/** Options for {@link CommandHistory}. */
export interface CommandHistoryOptions {
  /** Oldest steps are dropped beyond this many (default 200). */
  limit?: number;
  /** Commands with equal `mergeKey` within this many ms merge into one step (default 1000). */
  mergeWindowMs?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * Undo/redo over {@link WorkflowCommand}s. The history does not hold the document: each call
 * takes the current workflow and returns the next one, so the owner stays the single source of truth.
 *
 * @example
 * ```ts
 * const history = new CommandHistory();
 * let wf = history.execute(workflow, moveCommand);
 * wf = history.undo(wf) ?? wf;
 * wf = history.redo(wf) ?? wf;
 * ```
 */
export class CommandHistory {
  #done: Entry[] = [];
  #undone: Entry[] = [];
  #openGroup: { label: string; commands: WorkflowCommand[] } | null = null;
  readonly #limit: number;
  readonly #mergeWindowMs: number;
  readonly #now: () => number;

  constructor(options: CommandHistoryOptions = {}) {
    this.#limit = options.limit ?? 200;
    this.#mergeWindowMs = options.mergeWindowMs ?? 1000;
    this.#now = options.now ?? (() => Date.now());
  }

  get canUndo(): boolean {
    return this.#done.length > 0;
  }

  get canRedo(): boolean {
    return this.#undone.length > 0;
  }

  /** Label of the step `undo()` would revert. */
  get undoLabel(): string | undefined {
    return this.#done.at(-1)?.command.label;
  }

  /** Label of the step `redo()` would re-apply. */
  get redoLabel(): string | undefined {
    return this.#undone.at(-1)?.command.label;
  }

  /** Applies a command, records it and clears the redo stack. */
  execute(workflow: Workflow, command: WorkflowCommand): Workflow {
    const next = command.apply(workflow);
    if (this.#openGroup) {
      this.#openGroup.commands.push(command);
      return next;
    }
    this.#record(command);
    return next;
  }

  /**
   * Runs `fn`, recording every command it executes as one undo step.
   *
   * @example
   * ```ts
   * wf = history.batch('Align', (wf) => moves.reduce((acc, m) => history.execute(acc, m), wf), wf);
   * ```
   */
  batch(label: string, fn: (workflow: Workflow) => Workflow, workflow: Workflow): Workflow {
    if (this.#openGroup) return fn(workflow);
    this.#openGroup = { label, commands: [] };
    let result: Workflow;
    try {
      result = fn(workflow);
    } finally {
      const group = this.#openGroup;
      this.#openGroup = null;
      if (group && group.commands.length > 0) this.#record(groupCommands(label, group.commands));
    }
    return result;
  }

  /** Reverts the last step; undefined when there is nothing to undo. */
  undo(workflow: Workflow): Workflow | undefined {
    const entry = this.#done.pop();
    if (!entry) return undefined;
    this.#undone.push(entry);
    return entry.command.revert(workflow);
  }

  /** Re-applies the last undone step; undefined when there is nothing to redo. */
  redo(workflow: Workflow): Workflow | undefined {
    const entry = this.#undone.pop();
    if (!entry) return undefined;
    this.#done.push({ command: entry.command, at: Number.NEGATIVE_INFINITY });
    return entry.command.apply(workflow);
  }

  /** Forgets every step (for example when a different workflow is loaded). */
  clear(): void {
    this.#done = [];
    this.#undone = [];
  }

  #record(command: WorkflowCommand): void {
    const now = this.#now();
    this.#undone = [];
    const last = this.#done.at(-1);
    if (
      last &&
      command.mergeKey !== undefined &&
      last.command.mergeKey === command.mergeKey &&
      now - last.at <= this.#mergeWindowMs
    ) {
      const merged = groupCommands(command.label, [last.command, command]);
      merged.mergeKey = command.mergeKey;
      this.#done[this.#done.length - 1] = { command: merged, at: now };
      return;
    }
    this.#done.push({ command, at: now });
    if (this.#done.length > this.#limit) this.#done.shift();
  }
}
