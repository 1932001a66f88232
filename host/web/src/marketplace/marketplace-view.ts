import { html, nothing } from 'lit';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { navigate } from '../app/router.js';
import './marketplace.css';
import { type Facet, marketplaceApi, previewImageUrl, price, rating, type SearchResult } from './marketplace-api.js';

const FILTERS = ['text', 'category', 'connector', 'pricing', 'minRating'] as const;

/**
 * Browse the marketplace: full-text search and facet filters (category, connector, free/paid,
 * rating) kept in the URL, and a card per template linking to its page.
 */
export class MarketplaceView extends LightElement {
  static override properties = { query: { attribute: false }, result: { state: true }, error: { state: true } };
  declare query: URLSearchParams;
  declare result: SearchResult | undefined;
  declare error: string | undefined;

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('query')) void this.load();
  }

  private async load(): Promise<void> {
    const q: Record<string, string | number | undefined> = { limit: 50 };
    for (const f of FILTERS) if (this.query?.get(f)) q[f] = this.query.get(f) as string;
    try {
      this.result = await marketplaceApi.search(q);
      this.error = undefined;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private set(name: string, value: string | undefined): void {
    const next = new URLSearchParams(this.query);
    if (value) next.set(name, value);
    else next.delete(name);
    navigate(`/marketplace${next.size ? `?${next}` : ''}`);
  }

  private facet(title: string, name: string, facets: Facet[], label = (v: string) => v) {
    const current = this.query.get(name);
    return html`<fieldset class="facet"><legend>${title}</legend>
      ${facets.map(
        (f) => html`<label><input type="radio" name=${name} .checked=${current === f.value}
          @change=${() => this.set(name, f.value)} /> ${label(f.value)} <span class="count">${f.count}</span></label>`,
      )}
      ${current ? html`<button type="button" class="link" @click=${() => this.set(name, undefined)}>Any</button>` : nothing}
    </fieldset>`;
  }

  override render() {
    const r = this.result;
    return html`<section class="page marketplace">
      <header class="page-head"><h1>Marketplace</h1><a href="/marketplace/account">Purchases and revenue</a></header>
      <form role="search" @submit=${(e: Event) => {
        e.preventDefault();
        this.set('text', ((e.target as HTMLFormElement).elements.namedItem('text') as HTMLInputElement).value.trim());
      }}>
        <input type="search" name="text" aria-label="Search templates" placeholder="Search templates" .value=${this.query.get('text') ?? ''} />
        <button type="submit">Search</button>
      </form>
      ${errorBox(this.error)}
      ${
        r
          ? html`<div class="marketplace-body">
        <aside class="facets" aria-label="Filters">
          ${this.facet('Category', 'category', r.facets.categories)}
          ${this.facet('Connector', 'connector', r.facets.connectors)}
          ${this.facet('Price', 'pricing', [
            { value: 'free', count: r.facets.pricing.free },
            { value: 'paid', count: r.facets.pricing.paid },
          ])}
          ${this.facet('Rating', 'minRating', r.facets.ratings, (v) => `${v}★ and up`)}
        </aside>
        <div>
          <p class="result-count" role="status">${r.total} template${r.total === 1 ? '' : 's'}</p>
          <ul class="template-cards">
            ${r.templates.map(
              (t) => html`<li class="template-card">
                <img class="template-thumb" src=${previewImageUrl(t.id)} alt="" loading="lazy" width="640" height="320"
                  @error=${(e: Event) => ((e.target as HTMLElement).hidden = true)} />
                <a href=${`/marketplace/${encodeURIComponent(t.id)}`}><h2>${t.name}</h2></a>
                <p>${t.summary}</p>
                <p class="meta">${t.connectors.join(', ') || 'built-in nodes'} · ${t.nodeCount} nodes · ${t.installs} installs · ${rating(t)} · ${price(t.priceAmount, t.currency)}</p>
              </li>`,
            )}
          </ul>
        </div>
      </div>`
          : nothing
      }
    </section>`;
  }
}
customElements.define('weft-marketplace-view', MarketplaceView);
