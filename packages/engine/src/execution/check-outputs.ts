import type { Item, PortItems } from '../model/item.js';
import type { CompiledNode } from './compiled-workflow.js';
import { EngineError } from './engine-error.js';
import type { ExecutionLimits } from './execution-limits.js';

function countItems(outputs: PortItems): number {
  let n = 0;
  for (const k in outputs) n += (outputs[k] as Item[]).length;
  return n;
}

/** Checks a node run's outputs: known ports only, and within the item and payload limits. */
export function checkOutputs(node: CompiledNode, outputs: PortItems, limits: ExecutionLimits): void {
  for (const port of Object.keys(outputs)) {
    if (!node.outputNames.includes(port)) {
      throw new EngineError('NODE_ERROR', `Node "${node.node.name}" emitted items on unknown output "${port}"`);
    }
  }
  const count = countItems(outputs);
  if (count > limits.maxItemsPerNode) {
    throw new EngineError(
      'LIMIT_EXCEEDED',
      `Node "${node.node.name}" emitted ${count} items; the limit maxItemsPerNode is ${limits.maxItemsPerNode}`,
      { limit: 'maxItemsPerNode', value: limits.maxItemsPerNode },
    );
  }
  const bytes = JSON.stringify(outputs).length;
  if (bytes > limits.maxPayloadBytes) {
    throw new EngineError(
      'LIMIT_EXCEEDED',
      `Node "${node.node.name}" emitted ${bytes} bytes of data; the limit maxPayloadBytes is ${limits.maxPayloadBytes}`,
      { limit: 'maxPayloadBytes', value: limits.maxPayloadBytes },
    );
  }
}
