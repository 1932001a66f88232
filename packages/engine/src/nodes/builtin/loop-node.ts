import type { Item } from '../../model/item.js';
import type { JsonValue } from '../../model/json.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';

interface LoopState {
  pending: Item[];
  done: Item[];
  iteration: number;
}

/** Splits items into batches and feeds them through a loop body one batch at a time. */
export const loopNode = defineNodeType({
  type: 'weft.loop',
  version: 1,
  displayName: 'Loop over items',
  description: 'Processes items in batches through a loop',
  group: 'flow',
  docs:
    'On its **main** input it takes all items and emits the first batch on **loop**. Connect the end of the loop body back to its ' +
    '**continue** input: each time that input settles, the node collects what arrived and emits the next batch. When no batch ' +
    'is left it emits everything collected on **done** — exactly once. Nodes in the loop body run once per batch.',
  parameters: {
    batchSize: param.number({ label: 'Batch size', default: 1, min: 1, integer: true }),
  },
  inputs: [{ name: 'main' }, { name: 'continue', feedback: true }],
  outputs: [{ name: 'loop' }, { name: 'done' }],
  execute: ({ inputs, params, state }) => {
    const size = Math.max(1, Math.floor(params.batchSize ?? 1));
    let s: LoopState;
    if ('continue' in inputs) {
      const prev = state as unknown as LoopState | undefined;
      if (!prev) throw new Error('Loop received items on "continue" before it started');
      s = { pending: prev.pending, done: prev.done.concat(inputs.continue ?? []), iteration: prev.iteration + 1 };
    } else {
      s = { pending: inputs.main ?? [], done: [], iteration: 0 };
    }
    if (s.pending.length === 0) return { outputs: { loop: [], done: s.done }, state: null };
    const batch = s.pending.slice(0, size);
    const next: LoopState = { pending: s.pending.slice(size), done: s.done, iteration: s.iteration };
    return { outputs: { loop: batch, done: [] }, state: next as unknown as JsonValue };
  },
});
