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

/**
 * Hands the catalogue to the editor's palette, canvas and inspector under `root`: the node types
 * they offer (without the Code node when `hideCode`, as embeds ask), the canvas's validation
 * against it, the inspector's dynamic options through the host and the base of webhook URLs.
 *
 * @example
 * ```ts
 * wireCatalogue(editor, await loadCatalogue(client), { client, workspaceId, hideCode: false });
 * ```
 */
export function wireCatalogue(
  root: ParentNode,
  catalogue: Catalogue,
  opts: { client: WeftClient; workspaceId: string; hideCode: boolean },
): void {
  const all = catalogue.nodeTypes;
  const types = opts.hideCode ? all.filter((t) => t.type !== 'weft.code') : all;
  const palette = root.querySelector('weft-node-palette');
  if (palette) palette.nodeTypes = types;
  const canvas = root.querySelector('weft-canvas');
  if (canvas) {
    // With code nodes turned off the canvas's own palette offers the same reduced list.
    canvas.nodeTypes = types;
    canvas.validate = (wf) => validateForCanvas(wf, catalogue.source);
  }
  const inspector = root.querySelector('weft-inspector');
  if (inspector) {
    inspector.nodeTypes = all;
    inspector.loadOptions = (r) => loadOptions(opts.client, opts.workspaceId, r);
    inspector.webhookBaseUrl = location.origin;
  }
}
