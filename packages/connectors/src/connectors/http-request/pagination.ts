import type { JsonValue } from '@weft/engine';
import type { HttpRequest, HttpResponse } from '../../http/http-types.js';

/**
 * How to get the next page: from a URL in the body, the `Link: <...>; rel="next"` header, an
 * increasing offset or page number, or a cursor from the body sent back as a query parameter.
 *
 * @example
 * ```ts
 * const p: Pagination = { type: 'cursor', param: 'cursor', path: 'meta.next_cursor' };
 * ```
 */
export type Pagination =
  | { type: 'none' }
  | { type: 'nextUrl'; path: string }
  | { type: 'linkHeader' }
  | { type: 'offset'; param: string; pageSize: number; sizeParam?: string; start?: number }
  | { type: 'page'; param: string; start?: number }
  | { type: 'cursor'; param: string; path: string };

/**
 * Reads a dotted path (`data.items`, `meta.next`) from a JSON value; undefined when absent.
 *
 * @example
 * ```ts
 * getPath({ data: { items: [1] } }, 'data.items'); // [1]
 * ```
 */
export function getPath(value: unknown, path: string): unknown {
  if (!path) return value;
  let v: unknown = value;
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * The `rel="next"` URL of a Link header, if any.
 *
 * @example
 * ```ts
 * nextLink('<https://api.example.com/x?page=2>; rel="next"'); // 'https://api.example.com/x?page=2'
 * ```
 */
export function nextLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (m?.[2]?.split(/\s+/).includes('next')) return m[1];
  }
  return undefined;
}

/**
 * Fetches pages until the strategy finds no next page, a page brings no items, or `maxPages` is
 * reached. `itemsOf` extracts the items of a page (used to stop offset/page paging on an empty
 * page).
 *
 * @example
 * ```ts
 * const pages = await paginate((req) => http.request(req), { url }, { type: 'linkHeader' }, (r) => r.body as unknown[], 10);
 * ```
 */
export async function paginate(
  send: (request: HttpRequest) => Promise<HttpResponse>,
  first: HttpRequest,
  pagination: Pagination,
  itemsOf: (response: HttpResponse) => JsonValue[] | undefined,
  maxPages: number,
): Promise<HttpResponse[]> {
  const pages: HttpResponse[] = [];
  let request: HttpRequest | undefined = first;
  if (pagination.type === 'offset') {
    request = {
      ...first,
      query: {
        ...first.query,
        [pagination.param]: pagination.start ?? 0,
        ...(pagination.sizeParam ? { [pagination.sizeParam]: pagination.pageSize } : {}),
      },
    };
  }
  if (pagination.type === 'page')
    request = { ...first, query: { ...first.query, [pagination.param]: pagination.start ?? 1 } };
  while (request && pages.length < maxPages) {
    const res = await send(request);
    pages.push(res);
    const items = itemsOf(res);
    const current: HttpRequest = request;
    request = undefined;
    switch (pagination.type) {
      case 'nextUrl': {
        const next = getPath(res.body, pagination.path);
        if (typeof next === 'string' && next) request = { ...current, url: new URL(next, res.url).href, query: {} };
        break;
      }
      case 'linkHeader': {
        const next = nextLink(res.headers.link);
        if (next) request = { ...current, url: new URL(next, res.url).href, query: {} };
        break;
      }
      case 'offset': {
        if (items && items.length >= pagination.pageSize) {
          const offset = Number(current.query?.[pagination.param] ?? 0) + pagination.pageSize;
          request = { ...current, query: { ...current.query, [pagination.param]: offset } };
        }
        break;
      }
      case 'page': {
        if (items && items.length > 0) {
          const page = Number(current.query?.[pagination.param] ?? 1) + 1;
          request = { ...current, query: { ...current.query, [pagination.param]: page } };
        }
        break;
      }
      case 'cursor': {
        const cursor = getPath(res.body, pagination.path);
        if ((typeof cursor === 'string' && cursor) || typeof cursor === 'number') {
          request = { ...current, query: { ...current.query, [pagination.param]: cursor } };
        }
        break;
      }
    }
  }
  return pages;
}
