import { builtinConnectors, type ConnectorRuntime, connectorNodeTypes, respondToWebhookNode } from '@weft/connectors';
import { type AnyNodeType, builtinNodeTypes } from '@weft/engine';

/**
 * Every node type the host knows: the engine's built-ins, the actions and triggers of every
 * built-in connector (`weft.webhook`, `http.request`, `slack.sendMessage`, …) and Respond to
 * Webhook. The host's runtime and the `weft` CLI register this same list; the runtime passes the
 * services connectors use, the CLI the defaults.
 *
 * @example
 * ```ts
 * const registry = new NodeRegistry().register(...hostNodeTypes({ http: createHttpClient() }));
 * ```
 */
export function hostNodeTypes(runtime: ConnectorRuntime = {}): AnyNodeType[] {
  return [
    ...builtinNodeTypes,
    ...builtinConnectors.flatMap((c) => connectorNodeTypes(c, runtime)),
    respondToWebhookNode,
  ];
}
