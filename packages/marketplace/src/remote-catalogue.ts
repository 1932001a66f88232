import type { MarketplaceTemplate, TemplateSearchResult, TemplateVersion } from '@weft/engine';
import { MarketplaceError } from './marketplace-error.js';

/** A template as a central marketplace's public catalogue describes it; `version` is there for free templates. */
export interface CatalogueTemplate {
  template: Omit<MarketplaceTemplate, 'payoutAccountId' | 'views'> & { views?: number };
  descriptionHtml: string;
  versions: Array<Pick<TemplateVersion, 'version' | 'changelog' | 'createdAt'>>;
  version?: TemplateVersion;
  [more: string]: unknown;
}

/** Query of the public catalogue (the same filters as `GET /marketplace/templates`). */
export type CatalogueQuery = Partial<Record<'text' | 'category' | 'connector' | 'pricing' | 'sort', string>> &
  Partial<Record<'minRating' | 'limit' | 'offset', number>>;

/**
 * Reads another Weft host's public marketplace catalogue (`WEFT_MARKETPLACE_URL`), revalidating
 * what it read before with `If-None-Match`, so an unchanged catalogue costs a 304 and no body.
 *
 * @example
 * ```ts
 * const central = new RemoteCatalogue({ baseUrl: 'https://market.weft.dev' });
 * const { templates } = await central.search({ text: 'slack' });
 * ```
 */
export class RemoteCatalogue {
  private readonly cache = new Map<string, { etag: string; body: unknown }>();
  private readonly maxEntries: number;

  constructor(private readonly options: { baseUrl: string; fetch?: typeof fetch; maxEntries?: number }) {
    this.maxEntries = options.maxEntries ?? 500;
  }

  search(query: CatalogueQuery = {}): Promise<TemplateSearchResult> {
    const params = new URLSearchParams(
      Object.entries(query)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    );
    const qs = params.size ? `?${params}` : '';
    return this.get(`/api/v1/marketplace/catalogue${qs}`) as Promise<TemplateSearchResult>;
  }

  /** A template's public detail, or undefined when the central marketplace has no such listed template. */
  async template(id: string): Promise<CatalogueTemplate | undefined> {
    try {
      return (await this.get(`/api/v1/marketplace/catalogue/${encodeURIComponent(id)}`)) as CatalogueTemplate;
    } catch (e) {
      if (e instanceof MarketplaceError && e.kind === 'not-found') return undefined;
      throw e;
    }
  }

  private async get(path: string): Promise<unknown> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}${path}`;
    const cached = this.cache.get(url);
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(url, {
        headers: { accept: 'application/json', ...(cached ? { 'if-none-match': cached.etag } : {}) },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw new MarketplaceError(
        'upstream-failed',
        'marketplace-unreachable',
        `The central marketplace at ${this.options.baseUrl} did not answer: ${(e as Error).message}`,
      );
    }
    if (res.status === 304 && cached) return cached.body;
    if (res.status === 404)
      throw new MarketplaceError('not-found', 'template-not-found', `The central marketplace has no ${path}`);
    if (!res.ok)
      throw new MarketplaceError(
        'upstream-failed',
        'marketplace-unreachable',
        `The central marketplace answered HTTP ${res.status} for ${path}`,
      );
    const body = (await res.json()) as unknown;
    const etag = res.headers.get('etag');
    if (etag) {
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(url, { etag, body });
    }
    return body;
  }
}
