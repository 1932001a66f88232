import type { NodeCatalogueEntry, OptionsRequest } from '@weft/canvas';
import type { WeftClient } from '@weft/client';
import {
  builtinNodeTypes,
  NodeRegistry,
  type NodeTypeSource,
  nodeTypesFromDescriptions,
  type OptionChoice,
  validateWorkflow,
  type Workflow,
} from '@weft/engine';

/** A credential type (a connector auth scheme) as `GET /api/v1/credential-types` describes it. */
export interface CredentialType {
  type: string;
  displayName: string;
  description?: string;
  kind: 'apiKey' | 'basic' | 'bearer' | 'oauth2' | 'custom';
  fields: NodeCatalogueEntry['parameters'];
  connector: string;
  connectorDisplayName: string;
  icon?: string;
  testable: boolean;
  grant?: 'authorizationCode' | 'clientCredentials';
}

/** The host's node catalogue and credential types, loaded once per page. */
export interface Catalogue {
  nodeTypes: NodeCatalogueEntry[];
  credentialTypes: CredentialType[];
  source: NodeTypeSource;
}

const fallback = new NodeRegistry().register(...builtinNodeTypes).describe();
let loaded: Promise<Catalogue> | undefined;

/**
 * The catalogue the editor offers: every node type the host runs (`GET /api/v1/node-types`:
 * built-ins, connector actions and triggers with their icons and categories) and the credential
 * types its forms are built from. When the host cannot be asked, the engine's built-ins.
 *
 * @example
 * ```ts
 * const { nodeTypes } = await loadCatalogue(appState.client);
 * canvas.nodeTypes = nodeTypes;
 * ```
 */
export function loadCatalogue(client: WeftClient): Promise<Catalogue> {
  loaded ??= Promise.all([
    client.transport.request<{ items: NodeCatalogueEntry[] }>('GET', '/node-types'),
    client.transport.request<{ items: CredentialType[] }>('GET', '/credential-types'),
  ]).then(
    ([types, creds]) => ({
      nodeTypes: types.items,
      credentialTypes: creds.items,
      source: nodeTypesFromDescriptions(types.items),
    }),
    (e) => {
      loaded = undefined;
      console.warn('node catalogue unavailable, offering the built-ins', e);
      return { nodeTypes: fallback, credentialTypes: [], source: nodeTypesFromDescriptions(fallback) };
    },
  );
  return loaded;
}

/**
 * Validation problems of a document as the canvas draws them, against the catalogue. Problems
 * about node types the catalogue does not know are left to the host, which validates every save.
 *
 * @example
 * ```ts
 * canvas.validate = (wf) => validateForCanvas(wf, catalogue.source);
 * ```
 */
export function validateForCanvas(wf: Workflow, source: NodeTypeSource) {
  const unknown = new Set(wf.nodes.filter((n) => !source.has(n.type)).map((n) => n.id));
  return validateWorkflow(wf, source).problems.filter((p) => !(p.nodeId && unknown.has(p.nodeId)));
}

/**
 * Loads a dynamic dropdown's options through the host (the connector's option loader, run with
 * the node's credential): what the inspector's `loadOptions` calls.
 *
 * @example
 * ```ts
 * inspector.loadOptions = (r) => loadOptions(appState.client, workspaceId, r);
 * ```
 */
export async function loadOptions(client: WeftClient, ws: string, r: OptionsRequest): Promise<OptionChoice[]> {
  const path = `/workspaces/${encodeURIComponent(ws)}/node-types/options`;
  return (await client.transport.request<{ items: OptionChoice[] }>('POST', path, { body: r })).items;
}
