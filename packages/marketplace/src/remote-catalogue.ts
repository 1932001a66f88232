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

/** What buying a paid template of the central marketplace answers: the payment page and the buyer's licence. */
export interface CentralPurchase {
  purchaseId: string;
  checkoutUrl: string;
  /** Proves the purchase to the central marketplace later (`licence()`); keep it with the buyer's purchase. */
  licence: string;
  amount: number;
  currency: string;
}

/** A licence's state on the central marketplace; `version` (the workflow) comes with `paid`. */
export interface CentralLicence {
  status: 'pending' | 'paid' | 'refunded';
  version?: TemplateVersion;
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

  /**
   * Starts buying a paid template on the central marketplace for a user of this host (`buyer`):
   * the purchase is recorded there and paid on its Stripe Checkout page.
   */
  async buy(
    templateId: string,
    input: { buyer: { host: string; userId: string }; successUrl: string; cancelUrl: string },
  ): Promise<CentralPurchase> {
    return (await this.send('POST', `${this.path(templateId)}/purchase`, { body: input })) as CentralPurchase;
  }

  /** Whether the central marketplace's purchase behind `licence` is paid; with the workflow when it is. Never cached. */
  async licence(templateId: string, licence: string): Promise<CentralLicence> {
    return (await this.send('GET', `${this.path(templateId)}/licence`, { licence })) as CentralLicence;
  }

  private path(templateId: string): string {
    return `/api/v1/marketplace/catalogue/${encodeURIComponent(templateId)}`;
  }

  private async send(method: string, path: string, o: { body?: unknown; licence?: string }): Promise<unknown> {
    let res: Response;
    try {
      res = await (this.options.fetch ?? fetch)(`${this.options.baseUrl.replace(/\/+$/, '')}${path}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(o.body ? { 'content-type': 'application/json' } : {}),
          ...(o.licence ? { 'x-weft-licence': o.licence } : {}),
        },
        ...(o.body ? { body: JSON.stringify(o.body) } : {}),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (e) {
      throw unreachable(this.options.baseUrl, (e as Error).message);
    }
    const body = (await res.json().catch(() => ({}))) as { code?: string; detail?: string; title?: string };
    if (res.ok) return body;
    const message = `The central marketplace refused ${method} ${path}: ${body.detail ?? body.title ?? `HTTP ${res.status}`}`;
    const kind =
      res.status === 404
        ? 'not-found'
        : res.status === 402
          ? 'payment-required'
          : res.status === 409
            ? 'conflict'
            : res.status === 403
              ? 'forbidden'
              : res.status === 400
                ? 'invalid-input'
                : 'upstream-failed';
    throw new MarketplaceError(kind, body.code ?? 'marketplace-refused', message);
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
      throw unreachable(this.options.baseUrl, (e as Error).message);
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

const unreachable = (baseUrl: string, why: string) =>
  new MarketplaceError(
    'upstream-failed',
    'marketplace-unreachable',
    `The central marketplace at ${baseUrl} did not answer: ${why}`,
  );
