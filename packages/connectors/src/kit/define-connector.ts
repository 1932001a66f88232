import type { OptionChoice, ParameterFields, ParameterSpec } from '@weft/engine';
import type { AuthScheme } from '../auth/auth-scheme.js';
import type { ConnectorContext } from './connector-context.js';
import type { ActionDefinition } from './define-action.js';
import type { TriggerDefinition } from './define-trigger.js';

/**
 * What an option loader receives: the connector context plus the search text.
 *
 * @example
 * ```ts
 * listUsers: async (ctx: OptionLoaderContext) => (await ctx.http.request<{ id: string; name: string }[]>({ url, query: { q: ctx.search } })).body.map((u) => ({ value: u.id, label: u.name }))
 * ```
 */
export interface OptionLoaderContext extends Omit<ConnectorContext<Record<string, unknown>>, 'binary' | 'state'> {
  /** What the user typed, for searchable dropdowns ('' when nothing). */
  search: string;
}

/**
 * Loads options for a dynamic dropdown.
 *
 * @example
 * ```ts
 * const listTeams: OptionLoader = async () => [{ value: 't1', label: 'Core' }];
 * ```
 */
export type OptionLoader = (ctx: OptionLoaderContext) => Promise<OptionChoice[]>;

/**
 * A connector: actions and triggers for one service, with the credentials it accepts.
 *
 * @example
 * ```ts
 * const def: ConnectorDefinition = { name: 'acme', displayName: 'Acme', description: 'Acme CRM', version: '1.0.0', actions: [] };
 * ```
 */
export interface ConnectorDefinition {
  /** camelCase, the node-type namespace: `slack` gives `slack.sendMessage`. */
  name: string;
  displayName: string;
  description: string;
  /** Semver of the connector as a whole (docs); node types carry their own integer versions. */
  version: string;
  /** URL or data URI of an icon. */
  icon?: string;
  /** Accepted auth schemes; a credential's type picks one. Omit (or `Auth.none()`) for none. */
  auth?: AuthScheme | readonly AuthScheme[];
  // biome-ignore lint/suspicious/noExplicitAny: each action keeps its own parameter types
  actions: readonly ActionDefinition<any>[];
  // biome-ignore lint/suspicious/noExplicitAny: each trigger keeps its own parameter types
  triggers?: readonly TriggerDefinition<any>[];
  optionLoaders?: Record<string, OptionLoader>;
  /** Editor group of the actions. Default `action`. */
  group?: 'action' | 'transform' | 'utility';
}

/**
 * Whether the connector also works without a credential (its `auth` lists `Auth.none()`).
 *
 * @example
 * ```ts
 * authOptional(httpRequestConnector); // true: Auth.none() is listed
 * ```
 */
export function authOptional(connector: ConnectorDefinition): boolean {
  const list = connector.auth === undefined ? [] : Array.isArray(connector.auth) ? connector.auth : [connector.auth];
  return (list as AuthScheme[]).some((s) => s.kind === 'none');
}

const NAME = /^[a-zA-Z][a-zA-Z0-9]*$/;

/**
 * The auth schemes of a connector as a list (empty for none).
 *
 * @example
 * ```ts
 * authSchemesOf(slackConnector).map((s) => s.type); // ['slack.botToken', 'slack.oauth2']
 * ```
 */
export function authSchemesOf(connector: ConnectorDefinition): AuthScheme[] {
  const list = connector.auth === undefined ? [] : Array.isArray(connector.auth) ? connector.auth : [connector.auth];
  return (list as AuthScheme[]).filter((s) => s.kind !== 'none');
}

function loadersIn(fields: ParameterFields, where: string, out: { where: string; loader: string }[]) {
  for (const [name, spec] of Object.entries(fields) as [string, ParameterSpec][]) {
    if ((spec.kind === 'options' || spec.kind === 'multiOptions') && !Array.isArray(spec.options)) {
      out.push({ where: `${where} prop "${name}"`, loader: (spec.options as { loader: string }).loader });
    }
    if (spec.kind === 'collection' || spec.kind === 'list') loadersIn(spec.fields, `${where} prop "${name}"`, out);
  }
}

/**
 * Defines a connector and checks it: names, unique action/trigger names per version, auth types,
 * and that every dynamic dropdown names a loader that exists. Errors say where the problem is.
 * Connectors register by import: the host passes `connectorNodeTypes(connector)` to the registry.
 *
 * @example
 * ```ts
 * export const acme = defineConnector({
 *   name: 'acme',
 *   displayName: 'Acme',
 *   description: 'Acme CRM',
 *   version: '1.0.0',
 *   auth: Auth.bearer({ type: 'acme.token', displayName: 'Acme token' }),
 *   actions: [getContact],
 *   optionLoaders: { listLists: async (ctx) => [{ value: '1', label: 'Customers' }] },
 * });
 * ```
 */
export function defineConnector<const C extends ConnectorDefinition>(connector: C): C {
  const at = `Connector "${connector.name}"`;
  if (!NAME.test(connector.name)) throw new Error(`${at}: name must be camelCase letters and digits`);
  const seen = new Set<string>();
  const refs: { where: string; loader: string }[] = [];
  for (const [kind, list] of [
    ['action', connector.actions],
    ['trigger', connector.triggers ?? []],
  ] as const) {
    for (const def of list) {
      const where = `${at}: ${kind} "${def.name}"`;
      if (!NAME.test(def.name)) throw new Error(`${where}: name must be camelCase letters and digits`);
      const version = def.version ?? 1;
      if (!Number.isInteger(version) || version < 1) throw new Error(`${where}: version must be a positive integer`);
      const key = `${def.name}@${version}`;
      if (seen.has(key)) throw new Error(`${where}: version ${version} is defined twice`);
      seen.add(key);
      loadersIn(def.props, where, refs);
    }
  }
  for (const ref of refs) {
    if (!connector.optionLoaders?.[ref.loader]) {
      throw new Error(`${ref.where} uses option loader "${ref.loader}", which is not in optionLoaders`);
    }
  }
  const types = new Set<string>();
  for (const scheme of authSchemesOf(connector)) {
    if (types.has(scheme.type)) throw new Error(`${at}: auth type "${scheme.type}" is listed twice`);
    types.add(scheme.type);
  }
  return connector;
}
