import { Type } from '@sinclair/typebox';
import {
  authSchemesOf,
  builtinConnectors,
  type ConnectorRuntime,
  createHttpClient,
  credentialRedactor,
  loadOptions,
} from '@weft/connectors';
import { assertConnectorAllowed } from '../auth/connector-allow-list.js';
import { ProblemError } from '../http/problem.js';
import { type AnyRoute, defineRoute } from '../http/route.js';
import { IdString, JsonObjectSchema, WorkspaceParams } from '../http/schemas.js';
import type { HostRuntime } from '../runtime/host-runtime.js';

/** One credential type (an auth scheme of a connector) as the credential form needs it. */
function describeCredentialTypes() {
  const seen = new Set<string>();
  return builtinConnectors.flatMap((c) =>
    authSchemesOf(c)
      .filter((s) => !seen.has(s.type) && seen.add(s.type))
      .map((s) => ({
        type: s.type,
        displayName: s.displayName,
        ...(s.description ? { description: s.description } : {}),
        kind: s.kind,
        fields: s.fields,
        connector: c.name,
        connectorDisplayName: c.displayName,
        ...(c.icon ? { icon: c.icon } : {}),
        testable: Boolean(s.test),
        ...(s.kind === 'oauth2' ? { grant: s.grant } : {}),
      })),
  );
}

/**
 * The node types this host runs — built-in nodes and every registered connector action and
 * trigger — as serialisable descriptions: what the editor's palette lists and what browsers
 * validate workflows against (`nodeTypesFromDescriptions` in @weft/engine). Connector types also
 * carry `category`, `aliases`, `icon` and, on triggers, `triggerKind`. Beside them: the credential
 * types (each connector auth scheme with its form fields) and the option loaders behind dynamic
 * dropdowns (Slack channels, sheet tabs), run with the workspace's credential.
 *
 * @example
 * ```ts
 * mountRoutes(router, nodeTypeRoutes(runtime), runtime);
 * ```
 */
export function nodeTypeRoutes(rt: HostRuntime): AnyRoute[] {
  let described: unknown[] | undefined;
  let credentialTypes: unknown[] | undefined;
  let runtime: ConnectorRuntime | undefined;
  return [
    defineRoute({
      method: 'get',
      path: '/node-types',
      summary: 'Descriptions of every node type this host can run',
      tag: 'node-types',
      auth: 'user',
      handler: async () => {
        described ??= rt.registry.describe();
        return { items: described };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/credential-types',
      summary: 'Credential types (connector auth schemes) with the fields their forms ask for',
      tag: 'node-types',
      auth: 'user',
      handler: async () => {
        credentialTypes ??= describeCredentialTypes();
        return { items: credentialTypes };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/workspaces/:workspaceId/node-types/options',
      summary: 'Options of a dynamic dropdown, loaded from the connector with a credential',
      tag: 'node-types',
      scope: 'workflows',
      auth: 'write',
      params: WorkspaceParams,
      body: Type.Object(
        {
          nodeType: IdString,
          loader: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z][A-Za-z0-9]*$' }),
          parameters: Type.Optional(JsonObjectSchema),
          credentialId: Type.Optional(IdString),
          search: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      handler: async ({ params, body, principal }) => {
        const connector = builtinConnectors.find((c) => c.name === body.nodeType.split('.')[0]);
        if (!connector || !rt.registry.has(body.nodeType))
          throw new ProblemError(404, 'node-type-not-found', `No connector node type "${body.nodeType}"`, {
            errors: [{ in: 'body', path: '/nodeType', message: 'unknown node type' }],
          });
        if (!connector.optionLoaders?.[body.loader])
          throw new ProblemError(
            404,
            'option-loader-not-found',
            `${connector.displayName} has no option loader "${body.loader}"`,
            {
              errors: [{ in: 'body', path: '/loader', message: 'unknown option loader' }],
            },
          );
        let credential: Awaited<ReturnType<typeof rt.vault.resolve>> | undefined;
        if (body.credentialId) {
          const info = await rt.vault.get(params.workspaceId, body.credentialId);
          if (!info)
            throw new ProblemError(404, 'credential-not-found', `Credential "${body.credentialId}" not found`, {
              errors: [{ in: 'body', path: '/credentialId', message: 'not found' }],
            });
          assertConnectorAllowed(principal, info.type);
          credential = await rt.vault.resolve({
            workspaceId: params.workspaceId,
            credentialId: info.id,
            nodeType: body.nodeType,
          });
        }
        runtime ??= { http: createHttpClient({ allow: rt.config.httpAllow }), tokens: rt.oauth2 };
        try {
          const items = await loadOptions(
            connector,
            body.loader,
            {
              props: body.parameters ?? {},
              search: body.search ?? '',
              workspaceId: params.workspaceId,
              ...(credential ? { credential } : {}),
            },
            runtime,
          );
          return { items };
        } catch (e) {
          const raw = (e as Error).message ?? String(e);
          const message = credentialRedactor(connector, credential)?.redact(raw) ?? raw;
          throw new ProblemError(502, 'option-loader-failed', `Could not load the options: ${message}`);
        }
      },
    }),
  ];
}
