import type { JsonObject, JsonValue, ResolvedCredential } from '@weft/engine';
import { Auth } from '../../auth/auth-scheme.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';

function webhookUrl(credential: ResolvedCredential | undefined): string {
  const raw = String(credential?.data.webhookUrl ?? '');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('Discord credential: webhook URL is missing or not a URL');
  }
  if (!/\/api\/webhooks\/\d+\/[\w-]+\/?$/.test(url.pathname)) {
    throw new Error('Discord credential: webhook URL must look like https://discord.com/api/webhooks/<id>/<token>');
  }
  return url.href.replace(/\/$/, '');
}

const webhook = Auth.custom({
  type: 'discord.webhook',
  displayName: 'Discord webhook URL',
  description: 'Channel settings > Integrations > Webhooks > Copy URL. The URL is the secret.',
  fields: { webhookUrl: Property.SecretText({ label: 'Webhook URL', required: true, expressions: false }) },
  sign: () => {},
  test: async ({ http, data, signal }) => {
    await http.request({ url: webhookUrl({ id: 't', type: 'discord.webhook', data }), signal });
  },
});

const messageProps = {
  content: Property.LongText({ label: 'Content', description: 'Up to 2000 characters' }),
  embeds: Property.Json({ label: 'Embeds', description: 'Array of up to 10 embed objects' }),
};

function messageBody(p: { content?: string; embeds?: JsonValue }, extra: JsonObject = {}): JsonObject {
  if (!p.content && (p.embeds === undefined || p.embeds === null)) throw new Error('Discord: give Content or Embeds');
  if (p.content && p.content.length > 2000)
    throw new Error(`Discord: Content is ${p.content.length} characters; the limit is 2000`);
  if (p.embeds !== undefined && (!Array.isArray(p.embeds) || p.embeds.length > 10)) {
    throw new Error('Discord: Embeds must be an array of at most 10 objects');
  }
  return {
    ...(p.content ? { content: p.content } : {}),
    ...(p.embeds !== undefined ? { embeds: p.embeds } : {}),
    allowed_mentions: { parse: [] },
    ...extra,
  };
}

const sendMessage = defineAction({
  name: 'sendMessage',
  displayName: 'Send message',
  description: 'Posts a message through the channel webhook and returns it',
  sideEffects: 'once',
  props: {
    ...messageProps,
    username: Property.ShortText({ label: 'Override username' }),
    avatarUrl: Property.ShortText({ label: 'Override avatar URL' }),
  },
  docs: 'Mentions are not resolved (`allowed_mentions.parse = []`), so text cannot ping @everyone by accident.',
  sample: { id: '1200000000000000000', channel_id: '1100000000000000000', content: 'Deployed!' },
  run: async (ctx) => {
    const p = ctx.props;
    const body = messageBody(p, {
      ...(p.username ? { username: p.username } : {}),
      ...(p.avatarUrl ? { avatar_url: p.avatarUrl } : {}),
    });
    const res = await ctx.http.request<JsonObject>({
      method: 'POST',
      url: webhookUrl(ctx.credential),
      query: { wait: true },
      json: body,
      signal: ctx.signal,
    });
    return res.body;
  },
});

const messageId = Property.ShortText({ label: 'Message ID', required: true, pattern: '^\\d+$' });

const editMessage = defineAction({
  name: 'editMessage',
  displayName: 'Edit message',
  description: 'Edits a message this webhook sent',
  sideEffects: 'idempotent',
  props: { messageId, ...messageProps },
  run: async (ctx) => {
    const url = `${webhookUrl(ctx.credential)}/messages/${encodeURIComponent(ctx.props.messageId)}`;
    return (
      await ctx.http.request<JsonObject>({ method: 'PATCH', url, json: messageBody(ctx.props), signal: ctx.signal })
    ).body;
  },
});

const deleteMessage = defineAction({
  name: 'deleteMessage',
  displayName: 'Delete message',
  description: 'Deletes a message this webhook sent',
  sideEffects: 'idempotent',
  props: { messageId },
  run: async (ctx) => {
    const url = `${webhookUrl(ctx.credential)}/messages/${encodeURIComponent(ctx.props.messageId)}`;
    await ctx.http.request({ method: 'DELETE', url, signal: ctx.signal });
    return { deleted: true, messageId: ctx.props.messageId };
  },
});

/**
 * The Discord connector (channel webhooks): send, edit and delete messages with content and
 * embeds. Discord's 429s are retried after `Retry-After` by the HTTP client.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(discordConnector, runtime));
 * ```
 */
export const discordConnector = defineConnector({
  name: 'discord',
  displayName: 'Discord',
  description: 'Post to Discord channels through webhooks.',
  version: '1.0.0',
  icon: svgIcon(
    '#5865F2',
    '<path d="M6 6h12a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1h-7l-4 3v-3H6a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1z"/><path d="M9.5 11h.01M14.5 11h.01"/>',
  ),
  auth: webhook,
  actions: [sendMessage, editMessage, deleteMessage],
});
