import type { Item, ParameterFields, ResolvedCredential } from '@weft/engine';
import { toItems } from '../kit/connector-node-types.js';
import { type ConnectorRuntime, createConnectorContext } from '../kit/connector-runtime.js';
import { credentialRedactor, redactItems } from '../kit/credential-redaction.js';
import type { ConnectorDefinition } from '../kit/define-connector.js';
import type { PollingTriggerDefinition, WebhookTriggerDefinition } from '../kit/define-trigger.js';
import { runPoll } from './polling.js';
import { acceptWebhook, type WebhookAcceptance } from './webhook-handler.js';
import type { WebhookRequest } from './webhook-verification.js';

/**
 * Where a trigger lives: its node in a workflow, for state and credentials.
 *
 * @example
 * ```ts
 * const site: TriggerSite = { workspaceId: 'ws1', workflowId: 'wf1', nodeId: 'n1', props: { repo: 'octo/hello' }, credential };
 * ```
 */
export interface TriggerSite {
  workspaceId: string;
  workflowId: string;
  nodeId: string;
  props: Record<string, unknown>;
  credential?: ResolvedCredential;
}

const scopeOf = (site: TriggerSite) => `${site.workspaceId}/${site.workflowId}/${site.nodeId}`;

/**
 * Runs one poll of a polling trigger for a workflow node: fetches with the connector context,
 * dedupes against the node's persisted state and returns the new items (oldest first). With
 * `test: true` returns a sample and leaves the state alone.
 *
 * @example
 * ```ts
 * const items = await pollTrigger(github, newIssue, { workspaceId, workflowId, nodeId, props, credential }, runtime);
 * if (items.length) await engine.execute(workflow, { input: { main: items } });
 * ```
 */
export async function pollTrigger<F extends ParameterFields>(
  connector: ConnectorDefinition,
  trigger: PollingTriggerDefinition<F>,
  site: TriggerSite,
  runtime: ConnectorRuntime = {},
  options: { test?: boolean; signal?: AbortSignal } = {},
): Promise<Item[]> {
  // The items become the execution's trigger data: the credential's secrets stay out of them.
  const redactor = credentialRedactor(connector, site.credential);
  const ctx = createConnectorContext(
    connector,
    {
      props: site.props,
      credential: site.credential,
      workspaceId: site.workspaceId,
      scope: scopeOf(site),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(redactor ? { onSecret: (value: string) => redactor.add(value) } : {}),
    },
    runtime,
  );
  const dedupe = typeof trigger.dedupe === 'function' ? trigger.dedupe(site.props as never) : trigger.dedupe;
  const items = await runPoll({
    fetch: () => trigger.poll(ctx as never),
    dedupe,
    ...(trigger.firstRun ? { firstRun: trigger.firstRun } : {}),
    state: ctx.state,
    ...(options.test ? { test: true } : {}),
  });
  return redactItems(toItems(items), redactor);
}

/**
 * Handles a request to a connector's webhook trigger: endpoint settings from the definition and
 * props, verification from the credential, then the trigger's `handle` (or the default item).
 * Returns the items to start an execution with, or the refusal to send.
 *
 * @example
 * ```ts
 * const result = await handleTriggerWebhook(github, onPush, site, request, runtime);
 * if (!result.accepted) return send(result.response);
 * ```
 */
export async function handleTriggerWebhook<F extends ParameterFields>(
  connector: ConnectorDefinition,
  trigger: WebhookTriggerDefinition<F>,
  site: TriggerSite,
  request: WebhookRequest,
  runtime: ConnectorRuntime = {},
  now: number = Date.now(),
): Promise<WebhookAcceptance> {
  const props = site.props as never;
  const endpoint = {
    ...(trigger.methods ? { methods: trigger.methods } : {}),
    ...(trigger.maxBodyBytes ? { maxBodyBytes: trigger.maxBodyBytes } : {}),
    ...(trigger.responseMode ? { responseMode: trigger.responseMode } : {}),
    ...trigger.endpoint?.(props),
    verification: trigger.verification?.(props, site.credential) ?? { type: 'none' as const },
  };
  const accepted = acceptWebhook(endpoint, request, now);
  if (!accepted.accepted || !trigger.handle) return accepted;
  const ctx = createConnectorContext(
    connector,
    { props: site.props, credential: site.credential, workspaceId: site.workspaceId, scope: scopeOf(site) },
    runtime,
  );
  const handled = await trigger.handle(request, ctx as never);
  const redactor = credentialRedactor(connector, site.credential);
  if (Array.isArray(handled)) return { accepted: true, items: redactItems(toItems(handled), redactor) };
  const items = redactItems(toItems(handled.items), redactor);
  return { accepted: true, items, ...(handled.response ? { response: handled.response } : {}) };
}
