import { html, nothing } from 'lit';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { marketplaceApi, type Purchase, price, type Revenue } from './marketplace-api.js';

/** The buyer's purchases and the creator dashboard: sales, fees, refunds and net per currency. */
export class MarketplaceAccountView extends LightElement {
  static override properties = { purchases: { state: true }, revenue: { state: true }, error: { state: true } };
  declare purchases: Purchase[];
  declare revenue: Revenue[];
  declare error: string | undefined;

  constructor() {
    super();
    this.purchases = [];
    this.revenue = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void Promise.all([marketplaceApi.purchases(), marketplaceApi.revenue()])
      .then(([p, r]) => {
        this.purchases = p.items;
        this.revenue = r.items;
      })
      .catch((e: unknown) => {
        this.error = errorMessage(e);
      });
  }

  override render() {
    return html`<section class="page">
      <header class="page-head"><h1>Purchases and revenue</h1><a href="/marketplace">Marketplace</a></header>
      ${errorBox(this.error)}
      <h2>Purchases</h2>
      ${this.purchases.length ? nothing : html`<p class="muted">No purchases yet.</p>`}
      <table class="list purchases" ?hidden=${!this.purchases.length}><thead><tr><th>Template</th><th>Price</th><th>Status</th><th>Date</th></tr></thead><tbody>
        ${this.purchases.map(
          (p) =>
            html`<tr><td><a href=${`/marketplace/${encodeURIComponent(p.templateId)}`}>${p.templateId}</a></td><td>${price(p.amount, p.currency)}</td><td>${p.status}</td><td>${formatTime(p.createdAt)}</td></tr>`,
        )}
      </tbody></table>
      <h2>Revenue as a creator</h2>
      ${this.revenue.length ? nothing : html`<p class="muted">No sales yet.</p>`}
      <table class="list revenue" ?hidden=${!this.revenue.length}><thead><tr><th>Currency</th><th>Sales</th><th>Gross</th><th>Platform fees</th><th>Refunds</th><th>Net</th></tr></thead><tbody>
        ${this.revenue.map(
          (r) =>
            html`<tr><td>${r.currency.toUpperCase()}</td><td>${r.sales}</td><td>${price(r.gross, r.currency)}</td><td>${price(r.fees, r.currency)}</td><td>${r.refunds}</td><td>${price(r.net, r.currency)}</td></tr>`,
        )}
      </tbody></table>
    </section>`;
  }
}
customElements.define('weft-marketplace-account-view', MarketplaceAccountView);
