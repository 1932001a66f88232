import { defineNodeType } from '../node-type.js';

/** Entry point of a workflow that other workflows call with the Execute workflow node. */
export const subWorkflowTrigger = defineNodeType({
  type: 'weft.subWorkflowTrigger',
  version: 1,
  displayName: 'When called by another workflow',
  description: 'Starts the workflow when an Execute workflow node calls it',
  group: 'trigger',
  trigger: true,
  docs: 'Fires once per call. Outputs the items the calling node passed.',
  parameters: {},
  execute: ({ inputs }) => ({ outputs: { main: inputs.main ?? [] } }),
});
