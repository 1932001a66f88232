import type { CredentialInfo, Workflow } from '@weft/client';
import { html, nothing } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import type { CredentialCreatedDetail } from '../credentials/credential-form.js';
import '../credentials/credential-form.js';
import { type CredentialType, loadCatalogue } from '../editor/node-catalog.js';
import { marketplaceApi, previewImageUrl, price, rating, type TemplateDetail } from './marketplace-api.js';

/**
 * A template's page: the description (Markdown rendered and sanitised by the host), a live
 * read-only canvas preview, versions, reviews, and the install wizard: a credential of each
 * required type from the workspace (or a new one, created inline with the credentials page's
 * form and then selected), a value per input, Install. Paid templates offer Buy first: it sends the
 * browser to Stripe Checkout, which returns here (`?purchase=success|cancelled`).
 */
export class TemplateView extends LightElement {
  static override properties = {
    templateId: { type: String, attribute: 'template-id' },
    detail: { state: true },
    credentials: { state: true },
    error: { state: true },
    notice: { state: true },
    installed: { state: true },
    credentialTypes: { state: true },
    creating: { state: true },
  };
  declare credentialTypes: CredentialType[];
  /** The credential type being created inline, if any. */
  declare creating: string | undefined;
  /** Credentials created inline, selected in the wizard per type. */
  #chosen: Record<string, string> = {};
  declare templateId: string;
  declare detail: TemplateDetail | undefined;
  declare credentials: CredentialInfo[];
  declare error: string | undefined;
  declare notice: string | undefined;
  declare installed: string | undefined;
  #previewed: TemplateDetail | undefined;
  #shareMeta: HTMLMetaElement[] = [];

  constructor() {
    super();
    this.credentials = [];
    this.credentialTypes = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const returned = new URLSearchParams(location.search).get('purchase');
    if (returned) history.replaceState(history.state, '', location.pathname);
    if (returned === 'cancelled') this.notice = 'Payment cancelled: nothing was charged.';
    void (returned === 'success' ? this.awaitPayment() : this.load());
    void loadCatalogue(appState.client).then((c) => {
      this.credentialTypes = c.credentialTypes;
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const m of this.#shareMeta) m.remove();
    this.#shareMeta = [];
  }

  /** Open Graph / Twitter card tags for the page: title, summary and the server-drawn workflow picture. */
  private shareMeta(d: TemplateDetail): void {
    for (const m of this.#shareMeta) m.remove();
    const tags: Array<[string, string, string]> = [
      ['property', 'og:title', d.template.name],
      ['property', 'og:description', d.template.summary],
      ['property', 'og:image', previewImageUrl(d.template.id)],
      ['property', 'og:image:type', 'image/svg+xml'],
      ['property', 'og:image:alt', `${d.template.name}: workflow preview`],
      ['name', 'twitter:card', 'summary_large_image'],
    ];
    this.#shareMeta = tags.map(([attr, key, content]) => {
      const m = document.createElement('meta');
      m.setAttribute(attr, key);
      m.content = content;
      document.head.append(m);
      return m;
    });
  }

  private async load(): Promise<void> {
    try {
      [this.detail, this.credentials] = await Promise.all([
        marketplaceApi.template(this.templateId),
        marketplaceApi.credentials(),
      ]);
      if (this.isConnected) this.shareMeta(this.detail);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  /** Back from Stripe Checkout: the page waits (up to a minute) for Stripe's webhook to open access. */
  private async awaitPayment(): Promise<void> {
    this.notice = 'Payment received: waiting for Stripe to confirm it…';
    for (let i = 0; i < 60; i++) {
      await this.load();
      if (this.detail?.canInstall || !this.isConnected) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    this.notice = this.detail?.canInstall
      ? 'Paid: the template is yours. Install it below.'
      : 'Stripe has not confirmed the payment yet; reload this page in a moment.';
  }

  override updated(): void {
    for (const [type, id] of Object.entries(this.#chosen)) {
      const select = this.querySelector<HTMLSelectElement>(`select[name="credential:${CSS.escape(type)}"]`);
      if (select && select.value !== id) select.value = id;
    }
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
      this.notice = undefined;
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
      location.assign(r.checkoutUrl);
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private created(type: string, e: CustomEvent<CredentialCreatedDetail>): void {
    const { credential, report } = e.detail;
    this.credentials = [...this.credentials, credential];
    this.#chosen = { ...this.#chosen, [type]: credential.id };
    this.creating = undefined;
    this.notice =
      report && !report.ok
        ? `Credential "${credential.name}" saved and selected, but its test failed: ${report.message ?? 'no reason given'}`
        : `Credential "${credential.name}" created and selected: go on with the install.`;
  }

  private renderCreator() {
    const type = this.credentialTypes.find((t) => t.type === this.creating);
    if (!this.creating) return nothing;
    if (!type) return html`<p class="notice">This host has no connector for credentials of type ${this.creating}.</p>`;
    return html`<section class="inline-credential" aria-label="New credential">
      <h3>New ${type.connectorDisplayName} credential</h3>
      <weft-credential-form .types=${[type]} @credential-created=${(e: CustomEvent<CredentialCreatedDetail>) =>
        this.created(type.type, e)}></weft-credential-form>
      <button type="button" class="link" @click=${() => {
        this.creating = undefined;
      }}>Cancel</button>
    </section>`;
  }

  private renderWizard(d: TemplateDetail) {
    if (!d.canInstall)
      return html`<p>${price(d.template.priceAmount, d.template.currency)}</p>
        <button type="button" class="primary" @click=${() => this.buy()}>Buy</button>
        <small>You pay on Stripe's checkout page and come back here to install.</small>`;
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
        </label>
        <div class="credential-choice">
          ${mine.length ? nothing : html`<small>None yet.</small>`}
          <button type="button" class="link" aria-expanded=${this.creating === type} @click=${() => {
            this.creating = type;
          }}>New ${type} credential</button>
        </div>`;
      })}
      ${d.inputs.map(
        (i) => html`<label>${i.label}
          <input name=${`input:${i.key}`} type=${i.secret ? 'password' : 'text'} ?required=${!!i.required && i.default === undefined}
            .value=${i.default === undefined ? '' : String(i.default)} />
          ${i.description ? html`<small>${i.description}</small>` : nothing}
        </label>`,
      )}
      <button type="submit" class="primary">Install</button>
    </form>
    ${this.renderCreator()}
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
