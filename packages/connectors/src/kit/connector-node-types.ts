import type {
  AnyNodeType,
  Item,
  JsonObject,
  JsonValue,
  NodeContext,
  ParameterFields,
  ParameterSpec,
  ResolvedCredential,
} from '@weft/engine';
import { runPoll } from '../triggers/polling.js';
import type { Redactor } from '../vault/redactor.js';
import type { ActionContext } from './connector-context.js';
import { type ConnectorRuntime, createConnectorContext } from './connector-runtime.js';
import { credentialRedactor, redactItems } from './credential-redaction.js';
import type { ActionDefinition, ActionOutput } from './define-action.js';
import { authOptional, authSchemesOf, type ConnectorDefinition } from './define-connector.js';
import type { TriggerDefinition } from './define-trigger.js';
import { describeAction, describeTrigger } from './describe-connector.js';

/**
 * The credential slot connector node types use.
 *
 * @example
 * ```ts
 * const node = { type: 'slack.sendMessage', credentials: { [AUTH_SLOT]: credentialId } };
 * ```
 */
export const AUTH_SLOT = 'auth';

/**
 * What a connector's node types carry besides an engine node-type description, for editors: the
 * connector's display name to group by, words to search by (connector and action names plus the
 * definition's `aliases`) and, on triggers, their kind (a `webhook` trigger has URLs to show).
 *
 * @example
 * ```ts
 * const t = registry.describe().find((d) => d.type === 'weft.webhook') as NodeTypeDescription & ConnectorNodeTypeExtras;
 * t.triggerKind; // 'webhook'
 * ```
 */
export interface ConnectorNodeTypeExtras {
  category: string;
  aliases: string[];
  triggerKind?: TriggerDefinition['kind'];
}

/**
 * Items from whatever `run` returned.
 *
 * @example
 * ```ts
 * toItems([{ a: 1 }, { json: { b: 2 } }]); // [{ json: { a: 1 } }, { json: { b: 2 } }]
 * ```
 */
export function toItems(output: ActionOutput): Item[] {
  if (output === undefined || output === null) return [];
  const list = Array.isArray(output) ? output : [output];
  return list.map((o) => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return { json: { value: o as JsonValue } };
    const keys = Object.keys(o);
    const isItem =
      keys.includes('json') &&
      keys.every((k) => k === 'json' || k === 'binary') &&
      typeof o.json === 'object' &&
      o.json !== null &&
      !Array.isArray(o.json);
    return isItem ? (o as Item) : { json: o as JsonObject };
  });
}

/**
 * Throws when a required prop has no value, naming the node and the prop.
 *
 * @example
 * ```ts
 * checkRequired(action.props, values, 'Node "Send" (slack.sendMessage v1)');
 * ```
 */
export function checkRequired(fields: ParameterFields, values: Record<string, unknown>, where: string): void {
  for (const [name, spec] of Object.entries(fields) as [string, ParameterSpec][]) {
    const v = values[name];
    if (spec.required && (v === undefined || v === null || v === '')) {
      throw new Error(`${where}: prop "${name}" (${spec.label}) is required but has no value`);
    }
  }
}

async function credentialFor(connector: ConnectorDefinition, ctx: NodeContext, where: string) {
  const schemes = authSchemesOf(connector);
  if (schemes.length === 0) return undefined;
  if (!ctx.node.credentials?.[AUTH_SLOT]) {
    if (authOptional(connector)) return undefined;
    throw new Error(
      `${where} needs a credential of type ${schemes.map((s) => s.type).join(' or ')} in slot "${AUTH_SLOT}"`,
    );
  }
  return ctx.credential(AUTH_SLOT);
}

function common(
  connector: ConnectorDefinition,
  def: {
    name: string;
    displayName: string;
    description: string;
    version?: number;
    props: ParameterFields;
    aliases?: readonly string[];
    icon?: string;
  },
) {
  const schemes = authSchemesOf(connector);
  const icon = def.icon ?? connector.icon;
  // category and aliases are extra description fields: the editor's palette groups and searches by them.
  return {
    type: `${connector.name}.${def.name}`,
    version: def.version ?? 1,
    displayName: def.displayName,
    description: def.description,
    category: connector.displayName,
    aliases: [connector.name, def.name, ...(def.aliases ?? [])],
    ...(icon ? { icon } : {}),
    parameters: def.props,
    ...(schemes.length
      ? { credentials: { [AUTH_SLOT]: { types: schemes.map((s) => s.type), required: !authOptional(connector) } } }
      : {}),
  };
}

// With a credential, progress reports are redacted like outputs (they reach browsers live), and
// the signer's run-time secrets (OAuth2 access tokens) are added to the node's redactor.
function contextFor<P>(
  connector: ConnectorDefinition,
  ctx: NodeContext,
  credential: ResolvedCredential | undefined,
  runtime: ConnectorRuntime,
  props: P,
  redactor: Redactor | undefined,
) {
  return createConnectorContext(
    connector,
    {
      props,
      credential,
      workspaceId: ctx.execution.workspaceId,
      scope: `${ctx.execution.workspaceId}/${ctx.workflow.id ?? 'inline'}/${ctx.node.id}`,
      logger: ctx.logger,
      signal: ctx.signal,
      execution: ctx.execution,
      ...(ctx.trace ? { trace: ctx.trace } : {}),
      progress: redactor ? (data) => ctx.progress(redactor.redact(data, { keys: false })) : ctx.progress,
      ...(redactor ? { onSecret: (value: string) => redactor.add(value) } : {}),
    },
    runtime,
  );
}

function actionNodeType(
  connector: ConnectorDefinition,
  action: ActionDefinition,
  runtime: ConnectorRuntime,
): AnyNodeType {
  const base = common(connector, action);
  return {
    ...base,
    group: connector.group ?? 'action',
    docs: describeAction(connector, action),
    sideEffects: action.sideEffects,
    async execute(ctx) {
      const where = `Node "${ctx.node.name}" (${base.type} v${base.version})`;
      const credential = await credentialFor(connector, ctx, where);
      // Undefined without a credential: such nodes skip redaction and keep their items as returned.
      const redactor = credentialRedactor(connector, credential);
      const items = ctx.inputs.main ?? [];
      const itemProps = (items.length ? ctx.itemParams : [ctx.params]) as Record<string, unknown>[];
      const out: Item[] = [];
      const runOne = async (props: Record<string, unknown>, index: number) => {
        checkRequired(action.props, props, where);
        const c = contextFor(connector, ctx, credential, runtime, props, redactor);
        const actionCtx: ActionContext<Record<string, unknown>> = { ...c, item: items[index], index, items, itemProps };
        try {
          out.push(...toItems(await action.run(actionCtx as never)));
        } catch (err) {
          if (err instanceof Error) {
            // Webhook URLs and tokens can appear in messages (URLs, echoed bodies): never let them out.
            const message = redactor ? redactor.redact(err.message) : err.message;
            err.message = message.startsWith(where) ? message : `${where}: ${message}`;
            if (err.stack && redactor) err.stack = redactor.redact(err.stack);
          }
          throw err;
        }
      };
      if (action.mode === 'batch') await runOne(ctx.params as Record<string, unknown>, 0);
      else for (let i = 0; i < itemProps.length; i++) await runOne(itemProps[i]!, i);
      return { outputs: { main: redactItems(out, redactor) } };
    },
  };
}

function triggerNodeType(
  connector: ConnectorDefinition,
  trigger: TriggerDefinition,
  runtime: ConnectorRuntime,
): AnyNodeType {
  const base = { ...common(connector, trigger), triggerKind: trigger.kind };
  return {
    ...base,
    group: 'trigger',
    trigger: true,
    docs: describeTrigger(connector, trigger),
    sideEffects: 'none',
    async execute(ctx) {
      const given = ctx.inputs.main ?? [];
      if (given.length || !['manual', 'test', 'debug'].includes(ctx.execution.mode))
        return { outputs: { main: given } };
      // Run by hand from the editor: fetch a sample so the user sees real data.
      if (trigger.kind === 'polling') {
        const credential = await credentialFor(connector, ctx, `Node "${ctx.node.name}" (${base.type})`);
        const redactor = credentialRedactor(connector, credential);
        const c = contextFor(connector, ctx, credential, runtime, ctx.params, redactor);
        const dedupe = typeof trigger.dedupe === 'function' ? trigger.dedupe(ctx.params as never) : trigger.dedupe;
        const sample = await runPoll({ fetch: () => trigger.poll(c as never), dedupe, state: c.state, test: true });
        return { outputs: { main: redactItems(toItems(sample), redactor) } };
      }
      return { outputs: { main: toItems(trigger.sample ?? []) } };
    },
  };
}

/**
 * The engine node types of a connector: `<connector>.<action>` and `<connector>.<trigger>`, one
 * per declared version, so workflows pinned to an old `typeVersion` keep working. The host
 * registers them: `registry.register(...connectorNodeTypes(slack, runtime))`.
 *
 * @example
 * ```ts
 * const registry = new NodeRegistry().register(...connectorNodeTypes(httpRequestConnector, { http: createHttpClient() }));
 * registry.get('http.request', 1)?.displayName; // 'HTTP Request'
 * ```
 */
export function connectorNodeTypes(connector: ConnectorDefinition, runtime: ConnectorRuntime = {}): AnyNodeType[] {
  return [
    ...connector.actions.map((a) => actionNodeType(connector, a, runtime)),
    ...(connector.triggers ?? []).map((t) => triggerNodeType(connector, t, runtime)),
  ];
}

/**
 * Finds the trigger behind a node type name (and version), for the host's webhook, schedule and
 * polling runners.
 *
 * @example
 * ```ts
 * const found = findTrigger([github, slack], 'github.newIssue');
 * ```
 */
export function findTrigger(
  connectors: readonly ConnectorDefinition[],
  type: string,
  version?: number,
): { connector: ConnectorDefinition; trigger: TriggerDefinition } | undefined {
  const [ns, name] = type.split('.');
  const connector = connectors.find((c) => c.name === ns);
  const candidates = (connector?.triggers ?? []).filter((t) => t.name === name);
  const trigger =
    version === undefined
      ? candidates.sort((a, b) => (b.version ?? 1) - (a.version ?? 1))[0]
      : candidates.find((t) => (t.version ?? 1) === version);
  return connector && trigger ? { connector, trigger } : undefined;
}
