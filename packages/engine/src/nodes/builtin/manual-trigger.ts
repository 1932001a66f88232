import { defineNodeType } from '../node-type.js';

/** Starts a workflow by hand, from the API or from code; outputs the items it was started with. */
export const manualTrigger = defineNodeType({
  type: 'weft.manualTrigger',
  version: 1,
  displayName: 'Manual trigger',
  description: 'Starts the workflow when you run it by hand or from code',
  group: 'trigger',
  trigger: true,
  docs: 'Fires once per run. Outputs the items the run was started with (one empty item when none were given).',
  parameters: {},
  execute: ({ inputs }) => ({ outputs: { main: inputs.main?.length ? inputs.main : [{ json: {} }] } }),
});
