import { defineNodeType } from '../node-type.js';

/** Passes its items on unchanged: a junction or a placeholder. */
export const noOpNode = defineNodeType({
  type: 'weft.noOp',
  version: 1,
  displayName: 'No operation',
  description: 'Passes items through unchanged',
  group: 'utility',
  docs: 'Outputs its input items unchanged.',
  parameters: {},
  execute: ({ inputs }) => ({ outputs: { main: inputs.main ?? [] } }),
});
