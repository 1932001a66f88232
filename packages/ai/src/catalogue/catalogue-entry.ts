import { type NodeTypeDescription, type NodeTypeSource, nodeTypesFromDescriptions } from '@weft/engine';

/**
 * One node type as the host's `GET /api/v1/node-types` describes it: the engine's description
 * plus what connector types carry (`category`, `aliases`, and `triggerKind` on triggers). The AI
 * package takes the catalogue as data, so it plans for exactly the node types a host runs.
 *
 * @example
 * ```ts
 * const catalogue: CatalogueEntry[] = (await (await fetch('/api/v1/node-types')).json()).items;
 * ```
 */
export type CatalogueEntry = NodeTypeDescription & {
  category?: string;
  aliases?: string[];
  triggerKind?: string;
};

/**
 * The validation source for a catalogue: what `validateWorkflow` checks generated workflows
 * against.
 *
 * @example
 * ```ts
 * validateWorkflow(workflow, catalogueSource(catalogue));
 * ```
 */
export function catalogueSource(catalogue: readonly CatalogueEntry[]): NodeTypeSource {
  return nodeTypesFromDescriptions([...catalogue]);
}
