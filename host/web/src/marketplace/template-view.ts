import type { CredentialInfo, Workflow } from '@weft/client';
import { html, nothing } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { marketplaceApi, price, rating, type TemplateDetail } from './marketplace-api.js';

/**
 * A template's page: the description (Markdown rendered and sanitised by the host), a live
 * read-only canvas preview, versions, reviews, and the install wizard: a credential of each
 * required type from the workspace, a value per input, Install. Paid templates offer Buy first.
 */
export class TemplateView extends LightElement {
  static override properties = {
    templateId: { type: String, attribute: 'template-id' },
    detail: { state: true },
    credentials: { state: true },
    error: { state: true },
    notice: { state: true },
    installed: { state: true },
  };
  declare templateId: string;
  declare detail: TemplateDetail | undefined;
  declare credentials: CredentialInfo[];
  declare error: string | undefined;
  declare notice: string | undefined;
  declare installed: string | undefined;
  #previewed: TemplateDetail | undefined;

  constructor() {
    super();
    this.credentials = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      [this.detail, this.credentials] = await Promise.all([
        marketplaceApi.template(this.templateId),
        marketplaceApi.credentials(),
      ]);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  override updated(): void {
    const canvas = this.querySelector('weft-canvas') as (HTMLElement & { workflow: Workflow }) | null;
    const d = this.detail;
    if (canvas && d && this.#previewed !== d) {
      this.#previewed = d;
      canvas.workflow = {
        name: d.template.name,
        nodes: d.preview.nodes.map((n) => ({ ...n, parameters: {} })),
        connections: d.preview.connections,
      } as Workflow;
    }
  }

  private async install(form: HTMLFormElement): Promise<void> {
    const d = this.detail as TemplateDetail;
    const data = new FormData(form);
    const credentials: Record<string, { credentialId: string }> = {};
    for (const type of new Set(d.credentials.map((c) => c.credentialType))) {
      const id = String(data.get(`credential:${type}`) ?? '');
      if (id) credentials[type] = { credentialId: id };
    }
    const inputs: Record<string, unknown> = {};
    for (const i of d.inputs) {
      const v = String(data.get(`input:${i.key}`) ?? '');
      if (v !== '') inputs[i.key] = typeof i.default === 'number' ? Number(v) : v;
    }
    try {
      const r = await marketplaceApi.install({ templateId: d.template.id, credentials, inputs });
      this.installed = r.workflowId;
      this.error = undefined;
      await this.load();
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async review(form: HTMLFormElement): Promise<void> {
    const data = new FormData(form);
    try {
      await marketplaceApi.review({
        templateId: this.templateId,
        rating: Number(data.get('rating')),
        text: String(data.get('text') ?? ''),
      });
      this.notice = 'Thanks for your review';
      await this.load();
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async buy(): Promise<void> {
    try {
      const r = await marketplaceApi.purchase(this.templateId);
      this.notice = `Payment started (${price(r.purchase.amount, r.purchase.currency)}): complete it with Stripe; access opens when Stripe confirms.`;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private renderWizard(d: TemplateDetail) {
    if (!d.canInstall)
      return html`<p>${price(d.template.priceAmount, d.template.currency)}</p><button type="button" @click=${() => this.buy()}>Buy</button>`;
    const types = [...new Set(d.credentials.map((c) => c.credentialType))];
    return html`<form class="install-wizard" aria-label="Install" @submit=${(e: Event) => {
      e.preventDefault();
      void this.install(e.target as HTMLFormElement);
    }}>
      ${types.map((type) => {
        const mine = this.credentials.filter((c) => c.type === type);
        return html`<label>Credential ${type}
          <select name=${`credential:${type}`} required>
            <option value="">Choose…</option>
            ${mine.map((c) => html`<option value=${c.id}>${c.name}</option>`)}
          </select>
          ${mine.length ? nothing : html`<small>None yet: <a href="/credentials">create a ${type} credential</a></small>`}
        </label>`;
      })}
      ${d.inputs.map(
        (i) => html`<label>${i.label}
          <input name=${`input:${i.key}`} type=${i.secret ? 'password' : 'text'} ?required=${!!i.required && i.default === undefined}
            .value=${i.default === undefined ? '' : String(i.default)} />
          ${i.description ? html`<small>${i.description}</small>` : nothing}
        </label>`,
      )}
      <button type="submit">Install</button>
    </form>
    ${this.installed ? html`<p class="notice" role="status">Installed. <a href=${`/workflows/${encodeURIComponent(this.installed)}`}>Open the workflow</a></p>` : nothing}`;
  }

  override render() {
    const d = this.detail;
    if (!d) return html`<section class="page">${errorBox(this.error)}</section>`;
    const t = d.template;
    return html`<section class="page template-page">
      <header class="page-head"><h1>${t.name}</h1><a href="/marketplace">All templates</a></header>
      <p class="meta">${t.categories.join(', ')} · ${t.connectors.join(', ') || 'built-in nodes'} · ${t.nodeCount} nodes · ${t.views} views · ${t.installs} installs · ${rating(t)}</p>
      ${errorBox(this.error)} ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : nothing}
      <div class="template-body">
        <article class="description">${unsafeHTML(d.descriptionHtml)}</article>
        <aside><h2>Install</h2>${this.renderWizard(d)}</aside>
      </div>
      <h2>Preview</h2>
      <weft-canvas class="template-preview" readonly></weft-canvas>
      <h2>Versions</h2>
      <ul>${d.versions.map((v) => html`<li>v${v.version} · ${formatTime(v.createdAt)} · ${v.changelog}</li>`)}</ul>
      <h2>Reviews</h2>
      <ul class="reviews">${d.reviews.map((r) => html`<li>${'★'.repeat(r.rating)} ${r.text}</li>`)}</ul>
      <form class="review-form" aria-label="Review" @submit=${(e: Event) => {
        e.preventDefault();
        void this.review(e.target as HTMLFormElement);
      }}>
        <label>Stars <select name="rating">${[5, 4, 3, 2, 1].map((n) => html`<option value=${n}>${n}</option>`)}</select></label>
        <label>Review <textarea name="text" maxlength="5000"></textarea></label>
        <button type="submit">Post review</button>
      </form>
    </section>`;
  }
}
customElements.define('weft-template-view', TemplateView);
