import { defineNodeType, type JsonValue, param } from '@weft/engine';
import type { HandlerResponse } from '../auth/oauth2-handlers.js';

/**
 * The response a `weft.respondToWebhook` node asks for, kept in its node-run `state`.
 *
 * @example
 * ```ts
 * const state = run.state as unknown as WebhookResponseState;
 * state.webhookResponse.status; // 201
 * ```
 */
export interface WebhookResponseState {
  webhookResponse: { status: number; headers: Record<string, string>; body: string };
}

/**
 * `weft.respondToWebhook`: in a workflow started by a webhook in `respondNode` mode, decides the
 * HTTP response. It passes its input items on unchanged and records the response in its node-run
 * state and hands it to `ctx.respond()`, so the host answers the waiting request from
 * `ExecutionResult.response` (or, for an execution resumed elsewhere, `respondToWebhookResponse(run.state)`).
 *
 * @example
 * ```ts
 * registry.register(respondToWebhookNode);
 * // workflow node: { type: 'weft.respondToWebhook', parameters: { respondWith: 'firstItem', statusCode: 201 } }
 * ```
 */
export const respondToWebhookNode = defineNodeType({
  type: 'weft.respondToWebhook',
  version: 1,
  displayName: 'Respond to Webhook',
  description: 'Sets the HTTP response of the webhook that started this workflow',
  group: 'flow',
  docs:
    '`weft.respondToWebhook` fires once when it receives its input. Use it with a webhook trigger whose response mode is "respond node": ' +
    'the first Respond to Webhook node that runs decides the response; later ones are ignored. Items pass through unchanged.',
  sideEffects: 'none',
  parameters: {
    respondWith: param.options({
      label: 'Respond with',
      options: [
        { value: 'firstItem', label: 'First item (JSON)' },
        { value: 'allItems', label: 'All items (JSON array)' },
        { value: 'json', label: 'JSON' },
        { value: 'text', label: 'Text' },
        { value: 'noData', label: 'No body' },
      ],
      default: 'firstItem',
    }),
    statusCode: param.number({ label: 'Status code', default: 200, min: 100, max: 599, integer: true }),
    body: param.string({ label: 'Body', multiline: true, displayOptions: { show: { respondWith: ['json', 'text'] } } }),
    headers: param.list({
      label: 'Headers',
      fields: {
        name: param.string({ label: 'Name', required: true }),
        value: param.string({ label: 'Value', required: true }),
      },
    }),
  },
  execute(ctx) {
    const p = ctx.params;
    const items = ctx.inputs.main ?? [];
    const status = p.statusCode;
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new Error(
        `Respond to Webhook "${ctx.node.name}": status code ${status} must be an integer from 100 to 599`,
      );
    }
    const headers: Record<string, string> = {};
    for (const h of p.headers ?? []) headers[h.name.toLowerCase()] = h.value;
    let body = '';
    const json = (v: JsonValue) => {
      headers['content-type'] ??= 'application/json';
      return JSON.stringify(v);
    };
    if (p.respondWith === 'firstItem') body = json(items[0]?.json ?? {});
    else if (p.respondWith === 'allItems') body = json(items.map((i) => i.json));
    else if (p.respondWith === 'json') {
      try {
        body = json(JSON.parse(p.body ?? 'null') as JsonValue);
      } catch (err) {
        throw new Error(`Respond to Webhook "${ctx.node.name}": body is not valid JSON: ${(err as Error).message}`);
      }
    } else if (p.respondWith === 'text') {
      headers['content-type'] ??= 'text/plain; charset=utf-8';
      body = p.body ?? '';
    }
    const state: WebhookResponseState = { webhookResponse: { status, headers, body } };
    ctx.respond(state.webhookResponse as unknown as JsonValue);
    return { outputs: { main: items }, state: state as unknown as JsonValue };
  },
});

/**
 * The response recorded by a `weft.respondToWebhook` node run, or undefined when the state is
 * not one.
 *
 * @example
 * ```ts
 * const response = respondToWebhookResponse(nodeRun.state);
 * if (response) send(response);
 * ```
 */
export function respondToWebhookResponse(state: unknown): HandlerResponse | undefined {
  const r = (state as Partial<WebhookResponseState> | undefined)?.webhookResponse;
  if (!r || typeof r.status !== 'number') return undefined;
  return { status: r.status, headers: { ...r.headers }, body: r.body };
}
