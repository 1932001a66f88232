import type { JsonObject } from '@weft/engine';
import { XMLParser } from 'fast-xml-parser';
import type { HttpClient } from '../../http/http-types.js';
import { defineAction } from '../../kit/define-action.js';
import { defineConnector } from '../../kit/define-connector.js';
import { defineTrigger } from '../../kit/define-trigger.js';
import { Property } from '../../kit/property.js';
import { svgIcon } from '../../kit/svg-icon.js';

/**
 * One feed entry, the same shape for RSS 2.0, Atom and JSON Feed.
 *
 * @example
 * ```ts
 * const [latest]: FeedEntry[] = parseFeed(xml);
 * ```
 */
export interface FeedEntry extends JsonObject {
  id: string;
  title: string;
  link: string;
  published: string | null;
  summary: string;
  author: string;
}

const text = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return text((v as Record<string, unknown>)['#text'] ?? '');
  return String(v).trim();
};
const iso = (v: unknown): string | null => {
  const s = text(v);
  if (!s) return null;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};
const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Parses RSS 2.0, Atom or JSON Feed text into entries, newest first as the feed lists them.
 * Throws an error saying what the document is not.
 *
 * @example
 * ```ts
 * parseFeed('<rss version="2.0"><channel><item><title>Hi</title><link>https://x/1</link></item></channel></rss>');
 * // [{ id: 'https://x/1', title: 'Hi', link: 'https://x/1', published: null, summary: '', author: '' }]
 * ```
 */
export function parseFeed(body: string): FeedEntry[] {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    const json = JSON.parse(trimmed) as { version?: string; items?: Record<string, unknown>[] };
    if (!String(json.version ?? '').includes('jsonfeed.org'))
      throw new Error('Feed: JSON document is not a JSON Feed (no jsonfeed.org version)');
    return (json.items ?? []).map((it) => ({
      id: text(it.id ?? it.url),
      title: text(it.title),
      link: text(it.url ?? it.external_url),
      published: iso(it.date_published),
      summary: text(it.summary ?? it.content_text ?? it.content_html),
      author: text(
        (it.authors as { name?: string }[] | undefined)?.[0]?.name ??
          (it.author as { name?: string } | undefined)?.name,
      ),
    }));
  }
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', processEntities: true }).parse(
    trimmed,
  );
  if (doc.rss?.channel) {
    return list<Record<string, unknown>>(doc.rss.channel.item).map((it) => {
      const link = text(it.link);
      return {
        id: text(it.guid) || link,
        title: text(it.title),
        link,
        published: iso(it.pubDate),
        summary: text(it.description),
        author: text(it.author ?? it['dc:creator']),
      };
    });
  }
  if (doc.feed) {
    return list<Record<string, unknown>>(doc.feed.entry).map((it) => {
      const links = list<Record<string, string>>(it.link as Record<string, string> | Record<string, string>[]);
      const link = (links.find((l) => !l['@_rel'] || l['@_rel'] === 'alternate') ?? links[0])?.['@_href'] ?? '';
      return {
        id: text(it.id) || link,
        title: text(it.title),
        link,
        published: iso(it.published ?? it.updated),
        summary: text(it.summary ?? it.content),
        author: text((it.author as Record<string, unknown> | undefined)?.name),
      };
    });
  }
  throw new Error('Feed: document is neither RSS 2.0, Atom nor JSON Feed');
}

async function fetchFeed(http: HttpClient, url: string, signal: AbortSignal): Promise<FeedEntry[]> {
  const res = await http.request<string>({
    url,
    responseType: 'text',
    headers: {
      accept: 'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.8',
    },
    signal,
  });
  return parseFeed(res.body);
}

const url = Property.ShortText({ label: 'Feed URL', required: true });

const read = defineAction({
  name: 'read',
  displayName: 'Read feed',
  description: 'Reads an RSS, Atom or JSON feed; one item per entry',
  sideEffects: 'none',
  props: { url, limit: Property.Number({ label: 'Most entries', default: 50, integer: true, min: 1 }) },
  sample: {
    id: 'https://blog.example/1',
    title: 'Hello',
    link: 'https://blog.example/1',
    published: '2026-01-01T00:00:00.000Z',
    summary: '',
    author: 'Ada',
  },
  run: async (ctx) => (await fetchFeed(ctx.http, ctx.props.url, ctx.signal)).slice(0, ctx.props.limit),
});

const newEntry = defineTrigger({
  kind: 'polling',
  name: 'newEntry',
  displayName: 'New feed entry',
  description: 'Fires for each entry that was not in the feed before',
  props: { url },
  dedupe: { by: 'hash', fields: ['id'], remember: 2000 },
  intervalMs: 15 * 60_000,
  poll: (ctx) => fetchFeed(ctx.http, ctx.props.url, ctx.signal),
});

/**
 * RSS / Atom / JSON Feed: `feed.read` and the `feed.newEntry` polling trigger (deduped by entry id).
 *
 * @example
 * ```ts
 * registry.register(...connectorNodeTypes(feedConnector, runtime));
 * ```
 */
export const feedConnector = defineConnector({
  name: 'feed',
  displayName: 'RSS & JSON Feed',
  description: 'Read RSS 2.0, Atom and JSON feeds, and trigger on new entries.',
  version: '1.0.0',
  icon: svgIcon(
    '#EE802F',
    '<path d="M6 5a13 13 0 0 1 13 13M6 10.5a7.5 7.5 0 0 1 7.5 7.5"/><circle cx="7" cy="17" r="1.3"/>',
  ),
  actions: [read],
  triggers: [newEntry],
});
