import {
  builtinNodeTypes,
  NodeRegistry,
  type NodeTypeDescription,
  validateWorkflow,
  type Workflow,
} from '@weft/engine';

/**
 * The node types the editor offers: the engine's built-in triggers, control flow and transforms.
 * The host registers more (webhook and schedule triggers, connectors) but does not publish its
 * registry yet; nodes of those types in a stored workflow still load, show and save unchanged.
 */
const registry = new NodeRegistry().register(...builtinNodeTypes);

/** Descriptions for the palette, the canvas and the inspector. */
export const nodeTypes: NodeTypeDescription[] = registry.describe();

/**
 * Validation problems of a document as the canvas draws them. Problems about node types this
 * browser does not know are left to the host, which validates every save against its registry.
 *
 * @example
 * ```ts
 * canvas.validate = validateForCanvas;
 * ```
 */
export function validateForCanvas(wf: Workflow) {
  const unknown = new Set(wf.nodes.filter((n) => !registry.has(n.type)).map((n) => n.id));
  return validateWorkflow(wf, registry).problems.filter((p) => !(p.nodeId && unknown.has(p.nodeId)));
}
