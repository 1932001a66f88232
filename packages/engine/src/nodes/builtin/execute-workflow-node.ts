import type { Item } from '../../model/item.js';
import type { Workflow } from '../../model/workflow-schema.js';
import { defineNodeType } from '../node-type.js';
import { param } from '../parameter-spec.js';

/** Runs another workflow and outputs what it returned. */
export const executeWorkflowNode = defineNodeType({
  type: 'weft.executeWorkflow',
  version: 1,
  displayName: 'Execute workflow',
  description: 'Runs another workflow as a step of this one',
  group: 'flow',
  // The child may touch the outside world: the parent's checkpoint of this node is written before
  // the run goes on, so a resumed parent does not start the child again.
  sideEffects: 'once',
  docs:
    'Runs the sub-workflow to completion and outputs its result. **once**: one run with all input items; **each**: one run per ' +
    'item, outputs concatenated. Nesting is limited by `maxSubWorkflowDepth`; a failing sub-workflow fails this node.',
  parameters: {
    source: param.options({
      label: 'Workflow from',
      options: [
        { value: 'id', label: 'Stored workflow (by id)' },
        { value: 'json', label: 'Inline workflow JSON' },
      ],
      default: 'id',
    }),
    workflowId: param.string({ label: 'Workflow id', displayOptions: { show: { source: ['id'] } } }),
    workflow: param.json({ label: 'Workflow JSON', displayOptions: { show: { source: ['json'] } } }),
    mode: param.options({
      label: 'Run',
      options: [
        { value: 'once', label: 'Once with all items' },
        { value: 'each', label: 'Once per item' },
      ],
      default: 'once',
    }),
  },
  execute: async ({ inputs, params, executeWorkflow, node }) => {
    const target =
      params.source === 'json'
        ? { workflow: params.workflow as unknown as Workflow }
        : params.workflowId
          ? { workflowId: params.workflowId }
          : undefined;
    if (!target) throw new Error(`Execute workflow "${node.name}" needs a workflow id`);
    const items = inputs.main ?? [];
    if (params.mode === 'each') {
      const out: Item[] = [];
      for (const item of items) out.push(...(await executeWorkflow({ ...target, items: [item] })));
      return { outputs: { main: out } };
    }
    return { outputs: { main: await executeWorkflow({ ...target, items }) } };
  },
});
