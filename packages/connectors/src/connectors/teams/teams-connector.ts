import type { JsonObject, JsonValue, ResolvedCredential } from '@weft/engine';
import { Auth } from '../../auth/auth-scheme.js';
import type { HttpClient } from '../../http/http-types.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';

function webhookUrl(credential: ResolvedCredential | undefined): string {
  const raw = String(credential?.data.webhookUrl ?? '');
  try {
    return new URL(raw).href;
  } catch {
    throw new Error('Teams credential: webhook URL is missing or not a URL');
  }
}

/**
 * Posts to a Teams incoming webhook. Classic connectors answer `1` (HTTP 200) on success and
 * sometimes report failures in a 200 body; Workflows webhooks answer 202.
 */
async function post(
  http: HttpClient,
  credential: ResolvedCredential | undefined,
  payload: JsonObject,
  signal: AbortSignal,
) {
  const res = await http.request<string>({
    method: 'POST',
    url: webhookUrl(credential),
    json: payload,
    responseType: 'text',
    signal,
  });
  const text = (res.body ?? '').trim();
  if (res.status === 200 && text !== '' && text !== '1')
    throw new Error(`Teams webhook refused the message: ${text.slice(0, 300)}`);
  return { ok: true, status: res.status };
}

const webhook = Auth.custom({
  type: 'teams.incomingWebhook',
  displayName: 'Teams incoming webhook URL',
  description:
    'From the channel\'s Connectors or Workflows ("Post to a channel when a webhook request is received"). The URL is the secret.',
  fields: { webhookUrl: Property.SecretText({ label: 'Webhook URL', required: true, expressions: false }) },
  sign: () => {},
});

const sendMessage = defineAction({
  name: 'sendMessage',
  displayName: 'Send message',
  description: 'Posts a simple card with a title and text (Markdown)',
  sideEffects: 'once',
  props: {
    title: Property.ShortText({ label: 'Title' }),
    text: Property.LongText({ label: 'Text', required: true }),
    themeColor: Property.ShortText({ label: 'Accent colour', placeholder: '0076D7', pattern: '^#?[0-9a-fA-F]{6}$' }),
  },
  run: (ctx) => {
    const p = ctx.props;
    if (p.themeColor && !/^#?[0-9a-fA-F]{6}$/.test(p.themeColor)) {
      throw new Error(`Teams: accent colour "${p.themeColor}" must be 6 hex digits`);
    }
    const card: JsonObject = {
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: p.title || p.text.slice(0, 50),
      text: p.text,
      ...(p.title ? { title: p.title } : {}),
      ...(p.themeColor ? { themeColor: p.themeColor.replace('#', '') } : {}),
    };
    return post(ctx.http, ctx.credential, card, ctx.signal);
  },
});

const sendAdaptiveCard = defineAction({
  name: 'sendAdaptiveCard',
  displayName: 'Send Adaptive Card',
  description: 'Posts an Adaptive Card (JSON from the designer)',
  sideEffects: 'once',
  props: {
    card: Property.Json({ label: 'Card', required: true, description: 'An object with "type": "AdaptiveCard"' }),
  },
  run: (ctx) => {
    const card = ctx.props.card as JsonValue;
    if (!card || typeof card !== 'object' || Array.isArray(card) || card.type !== 'AdaptiveCard') {
      throw new Error('Teams: Card must be an object with "type": "AdaptiveCard"');
    }
    const payload: JsonObject = {
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
    };
    return post(ctx.http, ctx.credential, payload, ctx.signal);
  },
});

/**
 * The Microsoft Teams connector (incoming webhooks): simple cards and Adaptive Cards.
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(teamsConnector, runtime));
 * ```
 */
export const teamsConnector = defineConnector({
  name: 'teams',
  displayName: 'Microsoft Teams',
  description: 'Post to Teams channels through incoming webhooks.',
  version: '1.0.0',
  icon: svgIcon(
    '#5059C9',
    '<path d="M5 7h10M10 7v11"/><circle cx="17.5" cy="9" r="2"/><path d="M15 18c0-2.5 1-4 2.5-4s2.5 1.5 2.5 4"/>',
  ),
  auth: webhook,
  actions: [sendMessage, sendAdaptiveCard],
});
