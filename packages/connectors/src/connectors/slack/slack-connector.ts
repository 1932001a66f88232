import type { JsonObject, ResolvedCredential } from '@weft/engine';
import { Auth } from '../../auth/auth-scheme.js';
import type { HttpClient } from '../../http/http-types.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { defineTrigger } from '../../kit/define-trigger.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';

/**
 * Slack answers HTTP 200 with `ok: false` on errors; this makes them errors.
 *
 * @example
 * ```ts
 * if (err instanceof SlackApiError && err.code === 'channel_not_found') ...
 * ```
 */
export class SlackApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
  ) {
    super(`Slack ${method} failed: ${code}`);
    this.name = 'SlackApiError';
  }
}

async function call(http: HttpClient, base: string, method: string, body: JsonObject, signal: AbortSignal) {
  const res = await http.request<JsonObject>({
    method: 'POST',
    url: `${base}/${method}`,
    json: body,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    responseType: 'json',
    signal,
  });
  if (res.body?.ok !== true) throw new SlackApiError(method, String(res.body?.error ?? 'unknown_error'));
  return res.body;
}

const channel = Property.Dropdown({ label: 'Channel', loader: 'listChannels', searchable: true, required: true });

/**
 * Creates the Slack connector against an API base URL (default `https://slack.com/api`; tests
 * and proxies pass another).
 *
 * @example
 * ```ts
 * const slack = createSlackConnector();
 * registry.register(...connectorNodeTypes(slack, runtime));
 * ```
 */
export function createSlackConnector(options: { baseUrl?: string; oauthBaseUrl?: string } = {}) {
  const base = (options.baseUrl ?? 'https://slack.com/api').replace(/\/$/, '');
  const oauthBase = options.oauthBaseUrl ?? 'https://slack.com';
  // A credential may name another API base (GovSlack's https://slack-gov.com/api, a proxy).
  const baseOf = (c: ResolvedCredential | { data: JsonObject } | undefined) =>
    String(c?.data.apiBaseUrl || base).replace(/\/$/, '');
  const apiBaseUrl = Property.ShortText({
    label: 'API base URL',
    description: 'Leave empty for Slack; GovSlack is https://slack-gov.com/api',
    placeholder: base,
    expressions: false,
  });
  const signingSecret = Property.SecretText({
    label: 'Signing secret',
    description: 'Verifies Events API requests',
    expressions: false,
  });
  const test = async ({ http, data, signal }: { http: HttpClient; data: JsonObject; signal: AbortSignal }) => {
    await call(http, baseOf({ data }), 'auth.test', {}, signal);
  };
  const botToken = Auth.bearer({
    type: 'slack.botToken',
    displayName: 'Slack bot token',
    fields: { signingSecret, apiBaseUrl },
    test,
  });
  const oauth = Auth.oauth2({
    type: 'slack.oauth2',
    displayName: 'Slack OAuth2',
    grant: 'authorizationCode',
    authorizationUrl: `${oauthBase}/oauth/v2/authorize`,
    tokenUrl: `${base}/oauth.v2.access`,
    scopes: ['chat:write', 'channels:read', 'reactions:write'],
    pkce: false,
    clientAuth: 'body',
    scopeSeparator: ',',
    fields: { signingSecret },
    test,
  });

  const sendMessage = defineAction({
    name: 'sendMessage',
    displayName: 'Send message',
    description: 'Posts a message to a channel (chat.postMessage)',
    sideEffects: 'once',
    props: {
      channel,
      text: Property.LongText({ label: 'Text', required: true }),
      blocks: Property.Json({ label: 'Blocks', description: 'Block Kit JSON array' }),
      threadTs: Property.ShortText({ label: 'Reply in thread (ts)' }),
    },
    sample: { ok: true, channel: 'C123', ts: '1700000000.000100' },
    run: async (ctx) => {
      await ctx.rateLimit();
      const p = ctx.props;
      const body: JsonObject = { channel: p.channel, text: p.text };
      if (p.blocks !== undefined) body.blocks = p.blocks;
      if (p.threadTs) body.thread_ts = p.threadTs;
      return call(ctx.http, baseOf(ctx.credential), 'chat.postMessage', body, ctx.signal);
    },
  });

  const updateMessage = defineAction({
    name: 'updateMessage',
    displayName: 'Update message',
    description: 'Edits a message (chat.update)',
    sideEffects: 'idempotent',
    props: {
      channel,
      ts: Property.ShortText({ label: 'Message ts', required: true }),
      text: Property.LongText({ label: 'Text', required: true }),
    },
    run: (ctx) =>
      call(
        ctx.http,
        baseOf(ctx.credential),
        'chat.update',
        { channel: ctx.props.channel, ts: ctx.props.ts, text: ctx.props.text },
        ctx.signal,
      ),
  });

  const addReaction = defineAction({
    name: 'addReaction',
    displayName: 'Add reaction',
    description: 'Adds an emoji reaction to a message (reactions.add)',
    sideEffects: 'idempotent',
    props: {
      channel,
      ts: Property.ShortText({ label: 'Message ts', required: true }),
      emoji: Property.ShortText({ label: 'Emoji name', required: true }),
    },
    run: async (ctx) => {
      try {
        return await call(
          ctx.http,
          baseOf(ctx.credential),
          'reactions.add',
          { channel: ctx.props.channel, timestamp: ctx.props.ts, name: ctx.props.emoji },
          ctx.signal,
        );
      } catch (err) {
        if (err instanceof SlackApiError && err.code === 'already_reacted') return { ok: true, alreadyReacted: true };
        throw err;
      }
    },
  });

  const listChannelsAll = async (http: HttpClient, apiBase: string, signal: AbortSignal, max = 1000) => {
    const out: JsonObject[] = [];
    let cursor = '';
    do {
      const body = await call(
        http,
        apiBase,
        'conversations.list',
        { limit: 200, exclude_archived: true, ...(cursor ? { cursor } : {}) },
        signal,
      );
      out.push(...((body.channels as JsonObject[]) ?? []));
      cursor = String((body.response_metadata as JsonObject | undefined)?.next_cursor ?? '');
    } while (cursor && out.length < max);
    return out.slice(0, max);
  };

  const listChannels = defineAction({
    name: 'listChannels',
    displayName: 'List channels',
    description: 'Lists public channels, following cursor pagination',
    sideEffects: 'none',
    props: { limit: Property.Number({ label: 'Most channels', default: 1000, integer: true, min: 1 }) },
    run: async (ctx) => listChannelsAll(ctx.http, baseOf(ctx.credential), ctx.signal, ctx.props.limit),
  });

  const events = defineTrigger({
    kind: 'webhook',
    name: 'events',
    displayName: 'Events API',
    description: 'Fires for each Slack event delivered to the Events API request URL',
    props: { eventTypes: Property.ShortText({ label: 'Event types', description: 'Comma-separated; empty for all' }) },
    docs: "Requests are verified with the credential's signing secret (v0 HMAC, 5-minute tolerance). The `url_verification` handshake is answered directly.",
    verification: (_p, credential) => ({
      type: 'hmac',
      header: 'x-slack-signature',
      prefix: 'v0=',
      secret: String(credential?.data.signingSecret ?? ''),
      timestampHeader: 'x-slack-request-timestamp',
      signedPayload: 'v0:{timestamp}:{body}',
      toleranceSec: 300,
    }),
    handle: (request, ctx) => {
      const body = JSON.parse(new TextDecoder().decode(request.rawBody)) as JsonObject;
      if (body.type === 'url_verification') {
        return {
          items: [],
          response: { status: 200, headers: { 'content-type': 'text/plain' }, body: String(body.challenge ?? '') },
        };
      }
      const event = (body.event ?? {}) as JsonObject;
      const wanted = (ctx.props.eventTypes ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      if (wanted.length && !wanted.includes(String(event.type))) return [];
      return [{ ...event, teamId: body.team_id ?? null, eventId: body.event_id ?? null }];
    },
  });

  return defineConnector({
    name: 'slack',
    displayName: 'Slack',
    description: 'Send messages, react and receive events in Slack.',
    version: '1.0.0',
    icon: svgIcon('#4A154B', '<path d="M10 4 8 20M16 4l-2 16M5 9h15M4 15h15"/>'),
    auth: [botToken, oauth],
    actions: [sendMessage, updateMessage, addReaction, listChannels],
    triggers: [events],
    optionLoaders: {
      listChannels: async (ctx) =>
        (await listChannelsAll(ctx.http, baseOf(ctx.credential), ctx.signal)).map((c) => ({
          value: String(c.id),
          label: `#${String(c.name)}`,
        })),
    },
  });
}

/**
 * The Slack connector against slack.com.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(slackConnector, runtime));
 * ```
 */
export const slackConnector = createSlackConnector();
