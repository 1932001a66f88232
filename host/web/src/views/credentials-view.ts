import type { CredentialInfo } from '@weft/client';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';

/**
 * Credentials: create (secret fields as key/value pairs), rename, replace a secret, test, delete.
 * Secrets are write-only: the host never returns them, so the form never shows them. Fires
 * `connection-created` (bubbling) after a create, for the embed views.
 */
export class CredentialsView extends LightElement {
  static override properties = {
    items: { state: true },
    error: { state: true },
    notice: { state: true },
    fields: { state: true },
  };
  declare items: CredentialInfo[];
  declare error: string | undefined;
  declare notice: string | undefined;
  declare fields: number;

  constructor() {
    super();
    this.items = [];
    this.fields = 1;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.items = (await appState.client.workspaces.credentials(appState.workspaceId as string)).items;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const formEl = e.target as HTMLFormElement;
    const form = new FormData(formEl);
    const data: Record<string, string> = {};
    const keys = form.getAll('key');
    const values = form.getAll('value');
    keys.forEach((k, i) => {
      if (String(k).trim()) data[String(k).trim()] = String(values[i] ?? '');
    });
    try {
      const created = await appState.client.workspaces.createCredential(appState.workspaceId as string, {
        type: String(form.get('type')).trim(),
        name: String(form.get('name')).trim(),
        data,
      });
      formEl.reset();
      this.fields = 1;
      this.notice = `Stored "${created.name}"`;
      this.error = undefined;
      this.dispatchEvent(
        new CustomEvent('connection-created', {
          bubbles: true,
          composed: true,
          detail: { credentialId: created.id, type: created.type },
        }),
      );
      await this.load();
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  private async act(fn: () => Promise<unknown>, notice?: string): Promise<void> {
    try {
      const r = await fn();
      if (r && typeof r === 'object' && 'ok' in r)
        this.notice = (r as { ok: boolean; message?: string }).ok
          ? 'The credential works'
          : `Test failed: ${(r as { message?: string }).message}`;
      else if (notice) this.notice = notice;
      await this.load();
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  override render() {
    const ws = appState.workspaceId as string;
    const api = appState.client.workspaces;
    return html`<section class="page">
      <header class="page-head"><h1>Credentials</h1></header>
      ${errorBox(this.error)} ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : ''}
      <ul class="cards">
        ${this.items.map(
          (c) => html`<li class="card"><strong>${c.name}</strong>
            <div class="meta"><span class="tag">${c.type}</span><span>${formatTime(c.updatedAt ?? c.createdAt)}</span></div>
            <div class="actions">
              <button @click=${() => this.act(() => api.testCredential(ws, c.id))}>Test</button>
              <button @click=${() => {
                const name = prompt('New name', c.name);
                if (name) void this.act(() => api.updateCredential(ws, c.id, { name }), 'Renamed');
              }}>Rename</button>
              <button @click=${() => {
                const field = prompt('Secret field to replace (e.g. apiKey)');
                const value = field ? prompt(`New value of ${field}`) : null;
                if (field && value !== null)
                  void this.act(() => api.updateCredential(ws, c.id, { data: { [field]: value } }), 'Secret replaced');
              }}>Replace secret</button>
              <button class="danger" @click=${() => {
                if (confirm(`Delete "${c.name}"? Workflows using it will fail.`))
                  void this.act(() => api.deleteCredential(ws, c.id));
              }}>Delete</button>
            </div></li>`,
        )}
      </ul>
      <form class="panel" @submit=${this.create}>
        <h2>New credential</h2>
        <label>Name <input name="name" required maxlength="200" /></label>
        <label>Type <input name="type" required pattern="[A-Za-z0-9._-]+" placeholder="e.g. httpHeaderAuth" /></label>
        ${Array.from(
          { length: this.fields },
          (_, i) => html`<div class="row">
            <label>Field <input name="key" ?required=${i === 0} autocomplete="off" /></label>
            <label>Secret value <input name="value" type="password" autocomplete="new-password" /></label>
          </div>`,
        )}
        <div class="actions">
          <button type="button" @click=${() => this.fields++}>Add field</button>
          <button class="primary" type="submit">Store credential</button>
        </div>
        <p class="muted small">Secrets are encrypted on the server and can never be read back.</p>
      </form>
    </section>`;
  }
}
customElements.define('weft-credentials-view', CredentialsView);
