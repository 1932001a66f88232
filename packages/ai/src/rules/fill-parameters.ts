import type { ParameterSpec } from '@weft/engine';
import type { CatalogueEntry } from '../catalogue/catalogue-entry.js';

/** What {@link fillParameters} found, and which required values it could not find. */
export interface FilledParameters {
  parameters: Record<string, unknown>;
  /** Required parameters not in the text: each set to read the incoming item's field, to be checked. */
  missing: { parameter: string; placeholder: string }[];
}

const URL_RE = /\bhttps?:\/\/[^\s"'<>)]+/i;
const EMAIL_RE = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/;
const QUOTED_RE = /"([^"]+)"|“([^”]+)”|'([^']{2,})'/;
const TEXT_PARAMS = ['text', 'content', 'message', 'subject', 'title', 'body', 'prompt'];

const STRIPE_EVENTS: [RegExp, string][] = [
  [/payment\w*\s+(?:fail|is declined|declin)/i, 'payment_intent.payment_failed'],
  [
    /payment\w*\s+(?:succe|is successful|complete|is received|clears)|successful payment|paid order/i,
    'payment_intent.succeeded',
  ],
  [/invoice\w*\s+(?:payment\s+)?fail/i, 'invoice.payment_failed'],
  [/invoice\w*\s+(?:is\s+)?paid/i, 'invoice.paid'],
  [/subscription\w*\s+(?:is\s+)?(?:cancel|delet|end)/i, 'customer.subscription.deleted'],
  [/(?:new\s+subscription|subscription\w*\s+(?:is\s+)?(?:creat|start))/i, 'customer.subscription.created'],
  [/refund/i, 'charge.refunded'],
  [/dispute/i, 'charge.dispute.created'],
  [/new\s+customer|customer\w*\s+(?:is\s+)?creat/i, 'customer.created'],
];
const GITHUB_EVENTS: [RegExp, string][] = [
  [/pull request|\bpr\b/i, 'pull_request'],
  [/\bpush/i, 'push'],
  [/\brelease/i, 'release'],
  [/\bstar/i, 'star'],
  [/\bissue/i, 'issues'],
];

/** The first quoted text, if any. */
export function quotedText(text: string): string | undefined {
  const m = text.match(QUOTED_RE);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

function after(text: string, re: RegExp): string | undefined {
  return text.match(re)?.[1];
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'hook'
  );
}

/** "respond ok", "reply with "Thanks"": the text a Respond to Webhook node answers with. */
function respondText(text: string): string | undefined {
  const m = text.match(
    /\b(?:respond|reply|answer)(?:s|ing)?\s+(?:with\s+)?(?:"([^"]+)"|'([^']+)'|([A-Za-z]\w*))\s*[.!]?\s*$/i,
  );
  const value = m?.[1] ?? m?.[2] ?? m?.[3];
  return value && !/^(?:the|a|an|item|items|json|data|result|results|it|them)$/i.test(value) ? value : undefined;
}

function found(entry: CatalogueEntry, name: string, spec: ParameterSpec, text: string): unknown {
  const t = entry.type;
  if (t === 'weft.respondToWebhook' && (name === 'respondWith' || name === 'body')) {
    const reply = respondText(text);
    return reply === undefined ? undefined : name === 'body' ? reply : 'text';
  }
  switch (name) {
    case 'url':
      return text.match(URL_RE)?.[0]?.replace(/[.,;]+$/, '');
    case 'method': {
      if (spec.kind !== 'options') return undefined;
      const m = text.match(/\b(post|put|patch|delete)\b/i)?.[1];
      return m && /https?:/.test(text) ? m.toUpperCase() : undefined;
    }
    case 'to':
    case 'email':
      return text.match(EMAIL_RE)?.[0];
    case 'channel':
      if (t.startsWith('redis.')) return after(text, /\bchannel\s+["']?([\w:.-]+)/i);
      return after(text, /(#[\w-]+)/) ?? after(text, /\bchannel\s+([\w-]+)/i);
    case 'repo':
      return after(text, /\b([\w.-]+\/[\w.-]+)\b(?![^\s]*\.\w+\/)/)?.replace(/\.$/, '');
    case 'bucket':
      return after(text, /\bbucket\s+["']?([\w.-]+)/i) ?? after(text, /["']?([\w.-]+)["']?\s+bucket\b/i);
    case 'key':
      return after(text, /\bkey\s+["']?([\w:.{}$ -]*[\w}])["']?/i);
    case 'path':
      return t === 'weft.webhook' ? (after(text, /(?:^|\s)\/([\w/-]+)/)?.replace(/\/$/, '') ?? slug(text)) : undefined;
    case 'types':
      return t === 'stripe.event' ? STRIPE_EVENTS.find(([re]) => re.test(text))?.[1] : undefined;
    case 'events':
      return t === 'github.webhook' ? GITHUB_EVENTS.find(([re]) => re.test(text))?.[1] : undefined;
    case 'eventTypes':
      return /mention/i.test(text) ? 'app_mention' : /reaction/i.test(text) ? 'reaction_added' : undefined;
    case 'event':
      return t === 'weft.event'
        ? (quotedText(text) ?? after(text, /\bevent\s+([\w.:-]+)/i) ?? after(text, /\b([\w-]+\.[\w-]+)\b/))
        : undefined;
    case 'amount':
      return t === 'weft.wait'
        ? Number(after(text, /\b(\d+)\s*(?:second|minute|hour|day)/i) ?? Number.NaN) || undefined
        : undefined;
    case 'unit':
      return t === 'weft.wait'
        ? after(text, /\b\d+\s*(second|minute|hour|day)/i)
            ?.toLowerCase()
            .concat('s')
        : undefined;
    case 'maxItems':
      return Number(after(text, /\b(?:first|top|last|at most|only)\s+(\d+)/i) ?? Number.NaN) || undefined;
    case 'keep':
      return /\blast\s+\d+/i.test(text) ? 'last' : undefined;
    case 'field':
      return after(text, /\bsplit\s+(?:out\s+)?(?:the\s+)?(?:each\s+)?["']?(\w+)/i);
    case 'sql':
      return quotedText(text) ?? after(text, /\b((?:select|insert|update|delete)\s+.+)$/i);
    case 'spreadsheetId':
      return after(text, /spreadsheets\/d\/([\w-]+)/);
    case 'model':
      return after(text, /\b(gpt-[\w.-]+|llama[\w.:-]*|claude[\w.-]*|mistral[\w.:-]*|qwen[\w.:-]*|gemini[\w.-]*)/i);
    case 'workflowId':
      return quotedText(text) ?? after(text, /\bworkflow\s+([\w-]*\d[\w-]*)/i);
    default:
      if (TEXT_PARAMS.includes(name) && (spec.kind === 'string' || spec.kind === 'code')) {
        return quotedText(text) ?? after(text, /\b(?:saying|that says|with the (?:text|message|subject))\s+(.+)$/i);
      }
      return undefined;
  }
}

function placeholder(name: string, spec: ParameterSpec): unknown {
  if (spec.kind === 'json') return '{{ $json }}';
  return `{{ $json.${name} }}`;
}

/**
 * Fills a node's parameters from the words of its step: URLs, HTTP methods, e-mail addresses,
 * Slack channels (`#general`), repositories (`owner/repo`), buckets, keys, webhook paths, Stripe,
 * GitHub and Slack event types, wait durations, limits, SQL and quoted message text. A required
 * parameter that the words do not give is set to read the same-named field of the incoming item
 * and returned in `missing`, so the caller reports it instead of guessing silently. Parameters
 * with a default are left to it.
 *
 * @example
 * ```ts
 * fillParameters(slackSendMessage, 'post "Deploy done" to #releases').parameters;
 * // { channel: '#releases', text: 'Deploy done' }
 * ```
 */
export function fillParameters(entry: CatalogueEntry, text: string): FilledParameters {
  const parameters: Record<string, unknown> = {};
  const missing: FilledParameters['missing'] = [];
  for (const [name, spec] of Object.entries(entry.parameters)) {
    if (spec.kind === 'credential') continue;
    const value = found(entry, name, spec, text);
    if (value !== undefined && value !== '') {
      parameters[name] = value;
      continue;
    }
    if (!spec.required || ('default' in spec && spec.default !== undefined)) continue;
    if (spec.displayOptions) continue;
    const p = placeholder(name, spec);
    parameters[name] = p;
    if (entry.type === 'googleSheets.appendRow' && name === 'values') continue;
    if (spec.kind === 'json' && /^(value|message)$/.test(name)) continue;
    missing.push({ parameter: name, placeholder: String(p) });
  }
  return { parameters, missing };
}
