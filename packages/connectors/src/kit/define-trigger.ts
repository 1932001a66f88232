import type { JsonObject, ParameterFields, ParameterValues, ResolvedCredential } from '@weft/engine';
import type { HandlerResponse } from '../auth/oauth2-handlers.js';
import type { PublishedEvent } from '../triggers/event-trigger.js';
import type { DedupeStrategy, FirstRunBehaviour } from '../triggers/polling.js';
import type { MissedTickPolicy, ScheduleSpec } from '../triggers/schedule.js';
import type { WebhookEndpoint } from '../triggers/webhook-handler.js';
import type { WebhookRequest, WebhookVerification } from '../triggers/webhook-verification.js';
import type { ConnectorContext } from './connector-context.js';

/**
 * How the webhook's HTTP response is produced (the host implements them).
 *
 * @example
 * ```ts
 * const mode: WebhookResponseMode = 'respondNode';
 * ```
 */
export type WebhookResponseMode =
  /** 202 at once with `{ executionId }`. */
  | 'immediately'
  /** Wait for the execution and answer with the last node's output. */
  | 'lastNode'
  /** Wait for a `weft.respondToWebhook` node and answer with what it says. */
  | 'respondNode';

interface TriggerBase<F extends ParameterFields> {
  name: string;
  displayName: string;
  description: string;
  /** Other words people search for it by (`cron`, `http`); the editor's palette matches them. */
  aliases?: readonly string[];
  /** Overrides the connector's icon (URL or data URI). */
  icon?: string;
  props: F;
  version?: number;
  docs?: string;
  /** Example output items, for docs, the editor and test mode. */
  sample?: JsonObject[];
}

/**
 * A trigger that polls an API on an interval and emits only new items.
 *
 * @example
 * ```ts
 * defineTrigger({ kind: 'polling', name: 'newRow', displayName: 'New row', description: 'New rows', props: {}, dedupe: { by: 'id', field: 'id' }, poll: async (ctx) => (await ctx.http.request<JsonObject[]>({ url })).body });
 * ```
 */
export interface PollingTriggerDefinition<F extends ParameterFields = ParameterFields> extends TriggerBase<F> {
  kind: 'polling';
  dedupe: DedupeStrategy | ((props: ParameterValues<F>) => DedupeStrategy);
  firstRun?: FirstRunBehaviour;
  /** Default interval between polls. */
  intervalMs?: number;
  poll(ctx: ConnectorContext<ParameterValues<F>>): Promise<JsonObject[]>;
}

/**
 * What a webhook trigger's `handle` returns: items, or items plus a direct response.
 *
 * @example
 * ```ts
 * handle: (req) => ({ items: [], response: { status: 200, headers: {}, body: 'challenge' } })
 * ```
 */
export type WebhookHandleResult = JsonObject[] | { items: JsonObject[]; response?: HandlerResponse };

/**
 * A trigger fed by inbound HTTP requests.
 *
 * @example
 * ```ts
 * defineTrigger({ kind: 'webhook', name: 'onEvent', displayName: 'On event', description: 'Events', props: {}, verification: (_p, c) => ({ type: 'headerSecret', header: 'x-token', secret: String(c?.data.secret) }) });
 * ```
 */
export interface WebhookTriggerDefinition<F extends ParameterFields = ParameterFields> extends TriggerBase<F> {
  kind: 'webhook';
  /** Default `['POST']`. */
  methods?: readonly string[];
  responseMode?: WebhookResponseMode;
  /** Largest accepted body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** How requests are verified, from the props and the credential. Default none. */
  verification?: (props: ParameterValues<F>, credential: ResolvedCredential | undefined) => WebhookVerification;
  /** Endpoint settings that depend on the props (methods, limits, raw body); override the above. */
  endpoint?: (props: ParameterValues<F>) => Partial<Omit<WebhookEndpoint, 'verification'>>;
  /**
   * Turns a verified request into items. Default: one item with headers, query and parsed body.
   * Return `{ items: [], response }` to answer the request directly without starting an execution
   * (handshakes such as Slack's `url_verification`).
   */
  handle?(
    request: WebhookRequest,
    ctx: ConnectorContext<ParameterValues<F>>,
  ): Promise<WebhookHandleResult> | WebhookHandleResult;
}

/**
 * A trigger that fires on a schedule.
 *
 * @example
 * ```ts
 * defineTrigger({ kind: 'schedule', name: 'daily', displayName: 'Daily', description: 'Every day at 9', props: {}, schedule: () => ({ spec: { cron: '0 9 * * *', timezone: 'Europe/Berlin' }, policy: 'skip' }) });
 * ```
 */
export interface ScheduleTriggerDefinition<F extends ParameterFields = ParameterFields> extends TriggerBase<F> {
  kind: 'schedule';
  schedule(props: ParameterValues<F>): { spec: ScheduleSpec; policy: MissedTickPolicy };
}

/**
 * A trigger fired by a named event on the host's event bus: the host starts one execution per
 * published event of that name in the workflow's workspace, with the item
 * `{ event, payload, publishedAt, id }`.
 *
 * @example
 * ```ts
 * defineTrigger({ kind: 'event', name: 'orderCreated', displayName: 'Order created', description: 'On order.created', props: {}, event: 'order.created' });
 * ```
 */
export interface EventTriggerDefinition<F extends ParameterFields = ParameterFields> extends TriggerBase<F> {
  kind: 'event';
  /**
   * Event name, e.g. `order.created` (letters, digits, `.`, `_`, `:`, `-`; see `EVENT_NAME_PATTERN`),
   * or a function of the props for triggers whose user picks the event.
   */
  event: string | ((props: ParameterValues<F>) => string);
  /** Whether a published event of that name starts the workflow. Default: every one. */
  filter?: (event: PublishedEvent, props: ParameterValues<F>) => boolean;
}

/**
 * Any trigger.
 *
 * @example
 * ```ts
 * const triggers: TriggerDefinition[] = [webhookTrigger, scheduleTrigger];
 * ```
 */
export type TriggerDefinition<F extends ParameterFields = ParameterFields> =
  | PollingTriggerDefinition<F>
  | WebhookTriggerDefinition<F>
  | ScheduleTriggerDefinition<F>
  | EventTriggerDefinition<F>;

/**
 * Defines a trigger; keeps the props' types for inference.
 *
 * @example
 * ```ts
 * const newIssue = defineTrigger({
 *   kind: 'polling',
 *   name: 'newIssue',
 *   displayName: 'New issue',
 *   description: 'Fires for each new issue',
 *   props: { repo: Property.ShortText({ label: 'Repository', required: true }) },
 *   dedupe: { by: 'id', field: 'id' },
 *   poll: async (ctx) => (await ctx.http.request<JsonObject[]>({ url: `https://api.github.com/repos/${ctx.props.repo}/issues` })).body,
 * });
 * ```
 */
export function defineTrigger<const F extends ParameterFields>(trigger: TriggerDefinition<F>): TriggerDefinition<F> {
  return trigger;
}
