import type { OptionChoice, ResolvedCredential } from '@weft/engine';
import { type ConnectorRuntime, createConnectorContext } from './connector-runtime.js';
import type { ConnectorDefinition } from './define-connector.js';

/**
 * The request behind a dynamic dropdown: current props, search text and the chosen credential.
 *
 * @example
 * ```ts
 * await loadOptions(slack, 'listChannels', { search: 'gen', credential, limit: 50 } satisfies LoadOptionsRequest);
 * ```
 */
export interface LoadOptionsRequest {
  props?: Record<string, unknown>;
  search?: string;
  credential?: ResolvedCredential;
  workspaceId?: string;
  signal?: AbortSignal;
  /** Most options returned. Default 200. */
  limit?: number;
}

/**
 * Runs a connector's option loader for a dynamic dropdown. The loader receives the search text
 * (to filter server-side when the API can); the result is filtered again by label or value
 * containing the search, case-insensitively, and capped at `limit`.
 *
 * @example
 * ```ts
 * const channels = await loadOptions(slack, 'listChannels', { search: 'gen', credential, workspaceId: 'ws1' }, runtime);
 * // [{ value: 'C123', label: '#general' }]
 * ```
 */
export async function loadOptions(
  connector: ConnectorDefinition,
  loaderName: string,
  request: LoadOptionsRequest,
  runtime: ConnectorRuntime = {},
): Promise<OptionChoice[]> {
  const loader = connector.optionLoaders?.[loaderName];
  if (!loader) {
    const known = Object.keys(connector.optionLoaders ?? {});
    throw new Error(
      `Connector "${connector.name}" has no option loader "${loaderName}" (has: ${known.join(', ') || 'none'})`,
    );
  }
  const workspaceId = request.workspaceId ?? 'default';
  const base = createConnectorContext(
    connector,
    {
      props: request.props ?? {},
      credential: request.credential,
      workspaceId,
      scope: `${workspaceId}/options/${connector.name}`,
      ...(request.signal ? { signal: request.signal } : {}),
    },
    runtime,
  );
  const search = (request.search ?? '').trim();
  const { binary: _b, state: _s, ...ctx } = base;
  const options = await loader({ ...ctx, search });
  if (!Array.isArray(options))
    throw new Error(`Option loader "${loaderName}" of "${connector.name}" must return an array`);
  const needle = search.toLowerCase();
  const filtered = needle
    ? options.filter((o) => o.label.toLowerCase().includes(needle) || o.value.toLowerCase().includes(needle))
    : options;
  return filtered.slice(0, request.limit ?? 200);
}
