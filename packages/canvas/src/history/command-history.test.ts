import type { Workflow } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { CommandHistory } from './command-history.js';
import type { WorkflowCommand } from './workflow-command.js';

const wf: Workflow = { name: 'A', nodes: [], connections: [] };
const rename = (from: string, to: string, mergeKey?: string): WorkflowCommand => ({
  label: `Rename to ${to}`,
  apply: (w) => ({ ...w, name: to }),
  revert: (w) => ({ ...w, name: from }),
  ...(mergeKey ? { mergeKey } : {}),
});

describe('CommandHistory', () => {
  it('undoes and redoes in order, and a new command clears the redo stack', () => {
    const h = new CommandHistory();
    let w = h.execute(wf, rename('A', 'B'));
    w = h.execute(w, rename('B', 'C'));
    expect(w.name).toBe('C');
    expect(h.undoLabel).toBe('Rename to C');
    w = h.undo(w)!;
    expect(w.name).toBe('B');
    expect(h.canRedo).toBe(true);
    w = h.redo(w)!;
    expect(w.name).toBe('C');
    w = h.undo(w)!;
    w = h.execute(w, rename('B', 'D'));
    expect(h.canRedo).toBe(false);
    expect(h.redo(w)).toBeUndefined();
    w = h.undo(w)!;
    w = h.undo(w)!;
    expect(w.name).toBe('A');
    expect(h.undo(w)).toBeUndefined();
  });

  it('records a batch as one step', () => {
    const h = new CommandHistory();
    const w = h.batch('Two renames', (x) => h.execute(h.execute(x, rename('A', 'B')), rename('B', 'C')), wf);
    expect(w.name).toBe('C');
    expect(h.undoLabel).toBe('Two renames');
    expect(h.undo(w)!.name).toBe('A');
    expect(h.canUndo).toBe(false);
  });

  it('merges commands with the same key inside the merge window only', () => {
    let now = 0;
    const h = new CommandHistory({ now: () => now, mergeWindowMs: 1000 });
    let w = h.execute(wf, rename('A', 'B', 'name'));
    now = 500;
    w = h.execute(w, rename('B', 'C', 'name'));
    now = 3000;
    w = h.execute(w, rename('C', 'D', 'name'));
    w = h.undo(w)!;
    expect(w.name).toBe('C');
    w = h.undo(w)!;
    expect(w.name).toBe('A');
  });

  it('drops the oldest steps beyond its limit', () => {
    const h = new CommandHistory({ limit: 2 });
    let w = h.execute(wf, rename('A', 'B'));
    w = h.execute(w, rename('B', 'C'));
    w = h.execute(w, rename('C', 'D'));
    w = h.undo(h.undo(w)!)!;
    expect(w.name).toBe('B');
    expect(h.canUndo).toBe(false);
  });
});
