import { builtinConnectors, connectorNodeTypes, respondToWebhookNode } from '@weft/connectors';
import { builtinNodeTypes, NodeRegistry } from '@weft/engine';
import type { CatalogueEntry } from './catalogue/catalogue-entry.js';

/** The catalogue the reference host serves at GET /api/v1/node-types (same list as its hostNodeTypes). */
export const hostCatalogue: CatalogueEntry[] = new NodeRegistry()
  .register(...builtinNodeTypes, ...builtinConnectors.flatMap((c) => connectorNodeTypes(c, {})), respondToWebhookNode)
  .describe();
