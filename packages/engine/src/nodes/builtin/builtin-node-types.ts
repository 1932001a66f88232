import type { AnyNodeType } from '../node-registry.js';
import { aggregateNode } from './aggregate-node.js';
import { approvalNode } from './approval-node.js';
import { codeNode } from './code-node.js';
import { executeWorkflowNode } from './execute-workflow-node.js';
import { filterNode } from './filter-node.js';
import { ifNode } from './if-node.js';
import { limitNode } from './limit-node.js';
import { loopNode } from './loop-node.js';
import { manualTrigger } from './manual-trigger.js';
import { mergeNode } from './merge-node.js';
import { noOpNode } from './no-op-node.js';
import { removeFieldsNode } from './remove-fields-node.js';
import { renameFieldsNode } from './rename-fields-node.js';
import { setNode } from './set-node.js';
import { sortNode } from './sort-node.js';
import { splitOutNode } from './split-out-node.js';
import { stopAndErrorNode } from './stop-and-error-node.js';
import { subWorkflowTrigger } from './sub-workflow-trigger.js';
import { switchNode } from './switch-node.js';
import { waitNode } from './wait-node.js';

/** Every node type the engine ships: triggers, control flow and transforms. */
export const builtinNodeTypes: AnyNodeType[] = [
  manualTrigger,
  subWorkflowTrigger,
  ifNode,
  switchNode,
  mergeNode,
  loopNode,
  filterNode,
  setNode,
  renameFieldsNode,
  removeFieldsNode,
  sortNode,
  limitNode,
  aggregateNode,
  splitOutNode,
  waitNode,
  approvalNode,
  executeWorkflowNode,
  stopAndErrorNode,
  noOpNode,
  codeNode,
];
