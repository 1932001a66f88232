import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';

/** Keeps the first or last n items. */
export const limitNode = defineNodeType({
  type: 'weft.limit',
  version: 1,
  displayName: 'Limit',
  description: 'Keeps only the first or last items',
  group: 'transform',
  docs: 'Outputs at most `maxItems` items, from the start or the end of the input.',
  parameters: {
    maxItems: param.number({ label: 'Max items', default: 1, min: 0, integer: true }),
    keep: param.options({
      label: 'Keep',
      options: [
        { value: 'first', label: 'First items' },
        { value: 'last', label: 'Last items' },
      ],
      default: 'first',
    }),
  },
  execute: ({ inputs, params }) => {
    const items = inputs.main ?? [];
    const n = Math.max(0, params.maxItems ?? 1);
    return {
      outputs: { main: params.keep === 'last' ? items.slice(Math.max(0, items.length - n)) : items.slice(0, n) },
    };
  },
});
