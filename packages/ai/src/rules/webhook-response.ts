import type { WorkflowNode } from '@weft/engine';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';

/**
 * A workflow with a Respond to Webhook node answers the caller from that node: its webhook
 * triggers that have a `responseMode` with a `respondNode` option and none set get it (otherwise
 * the caller gets 202 at once and the respond node's answer is lost). Changes `nodes` in place.
 *
 * @example
 * ```ts
 * respondFromNode(draft.nodes, (type) => index.get(type));
 * ```
 */
export function respondFromNode(nodes: WorkflowNode[], entryOf: (type: string) => CatalogueEntry | undefined): void {
  if (!nodes.some((n) => n.type === 'weft.respondToWebhook')) return;
  for (const n of nodes) {
    const spec = entryOf(n.type)?.parameters.responseMode;
    const options = spec && 'options' in spec && Array.isArray(spec.options) ? spec.options : [];
    if (n.parameters.responseMode === undefined && options.some((o) => o.value === 'respondNode'))
      n.parameters = { ...n.parameters, responseMode: 'respondNode' };
  }
}
