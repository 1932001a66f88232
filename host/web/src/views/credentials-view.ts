import type { CredentialInfo } from '@weft/client';
import { html, nothing } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { can } from '../app/permissions.js';
import type { CredentialCreatedDetail } from '../credentials/credential-form.js';
import '../credentials/credential-form.js';
import { connectOAuth2, oauth2StatusLine } from '../credentials/oauth2-connect.js';
import { type CredentialTestReport, testReport } from '../credentials/test-report.js';
import { type CredentialType, loadCatalogue } from '../editor/node-catalog.js';

/**
 * Credentials: create one with a form typed by the connector's auth scheme (secret fields never
 * shown again), connect OAuth2 ones in a popup (status "Connected as … · expires …", Reconnect),
 * test it (status, host and reason), rename, replace a secret field, delete. Roles below editor
 * see the list only: the host refuses them testing and changing credentials.
 * `connector` (a connector name or credential type) narrows the types offered, as the embed's
 * connect flow asks. Fires `connection-created` (bubbling) after a create, for the embed views.
 */
export class CredentialsView extends LightElement {
  static override properties = {
    connector: { type: String },
    items: { state: true },
    types: { state: true },
    error: { state: true },
    notice: { state: true },
    reports: { state: true },
    connecting: { state: true },
  };
  declare connecting: string | undefined;
  #cancel: AbortController | undefined;
  declare connector: string;
  declare items: CredentialInfo[];
  declare types: CredentialType[];
  declare error: string | undefined;
  declare notice: string | undefined;
  declare reports: Record<string, CredentialTestReport>;

  constructor() {
    super();
    this.connector = '';
    this.items = [];
    this.types = [];
    this.reports = {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    void loadCatalogue(appState.client).then((c) => {
      this.types = c.credentialTypes;
    });
  }

  private async load(): Promise<void> {
    try {
      this.items = (await appState.client.workspaces.credentials(appState.workspaceId as string)).items;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private typeOf(type: string): CredentialType | undefined {
    return this.types.find((t) => t.type === type);
  }

  private async act(fn: () => Promise<unknown>, notice?: string): Promise<void> {
    try {
      await fn();
      this.notice = notice;
      this.error = undefined;
      await this.load();
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async test(c: CredentialInfo): Promise<void> {
    try {
      const r = await appState.client.workspaces.testCredential(appState.workspaceId as string, c.id);
      this.reports = { ...this.reports, [c.id]: r };
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async connect(c: CredentialInfo): Promise<void> {
    this.connecting = c.id;
    this.error = undefined;
    this.notice = undefined;
    try {
      this.#cancel = new AbortController();
      const r = await connectOAuth2(c.id, this.#cancel.signal);
      if (r.ok) this.notice = `"${c.name}": ${r.message}`;
      else this.error = `"${c.name}": ${r.message}`;
      await this.load();
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.connecting = undefined;
    }
  }

  private replaceSecret(c: CredentialInfo): void {
    const fields = Object.entries(this.typeOf(c.type)?.fields ?? {}).map(([name, spec]) => `${name} (${spec.label})`);
    const field = prompt(`Field to replace${fields.length ? `: ${fields.join(', ')}` : ''}`);
    const value = field ? prompt(`New value of ${field}`) : null;
    if (field && value !== null) {
      const ws = appState.workspaceId as string;
      void this.act(() => appState.client.workspaces.updateCredential(ws, c.id, { data: { [field]: value } }), 'Saved');
    }
  }

  private created(e: CustomEvent<CredentialCreatedDetail>): void {
    const { credential } = e.detail;
    this.notice = `Stored "${credential.name}"`;
    this.dispatchEvent(
      new CustomEvent('connection-created', {
        bubbles: true,
        composed: true,
        detail: { credentialId: credential.id, type: credential.type },
      }),
    );
    void this.load();
  }

  override render() {
    const ws = appState.workspaceId as string;
    const api = appState.client.workspaces;
    const editor = can('write');
    const wanted = this.connector
      ? this.types.filter((t) => t.connector === this.connector || t.type === this.connector)
      : this.types;
    return html`<section class="page">
      <header class="page-head"><h1>Credentials</h1></header>
      ${errorBox(this.error)} ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : ''}
      <ul class="cards">
        ${this.items.map((c) => {
          const t = this.typeOf(c.type);
          const report = this.reports[c.id];
          const connectable = t?.kind === 'oauth2' && t.grant === 'authorizationCode';
          return html`<li class="card" data-credential=${c.id}>
            <div class="card-title cred-title">${t?.icon ? html`<img src=${t.icon} alt="" width="20" height="20" />` : nothing}${c.name}</div>
            <div class="meta"><span class="tag" title=${c.type}>${t ? `${t.connectorDisplayName} — ${t.displayName}` : c.type}</span>
              <span>${formatTime(c.updatedAt ?? c.createdAt)}</span></div>
            ${oauth2StatusLine(c.oauth2)}
            ${c.status === 'broken' ? html`<p class="error small" role="alert">Needs reconnecting: ${c.statusReason ?? 'broken'}</p>` : nothing}
            ${report ? testReport(report) : nothing}
            ${
              editor
                ? html`<div class="actions">
              ${
                connectable
                  ? html`<button class=${c.oauth2?.connected ? '' : 'primary'} ?disabled=${this.connecting !== undefined}
                      @click=${() => this.connect(c)}>${this.connecting === c.id ? 'Waiting for the provider…' : c.oauth2?.connected ? 'Reconnect' : 'Connect'}</button>${this.connecting === c.id ? html`<button @click=${() => this.#cancel?.abort()}>Cancel</button>` : nothing}`
                  : nothing
              }
              ${!t || t.testable ? html`<button @click=${() => this.test(c)}>Test</button>` : nothing}
              <button @click=${() => {
                const name = prompt('New name', c.name);
                if (name) void this.act(() => api.updateCredential(ws, c.id, { name }), 'Renamed');
              }}>Rename</button>
              <button @click=${() => this.replaceSecret(c)}>Replace secret</button>
              <button class="danger" @click=${() => {
                if (confirm(`Delete "${c.name}"? Workflows using it will fail.`))
                  void this.act(() => api.deleteCredential(ws, c.id));
              }}>Delete</button>
            </div>`
                : nothing
            }</li>`;
        })}
      </ul>
      ${
        editor
          ? html`<section class="panel">
        <h2>New credential</h2>
        <weft-credential-form .types=${wanted} @credential-created=${this.created}></weft-credential-form>
      </section>`
          : html`<p class="muted role-note">Your role (${appState.workspace?.role}) can use these credentials in workflows;
          testing, connecting and changing them needs the editor role, since a test sends the secret to the service.</p>`
      }
    </section>`;
  }
}
customElements.define('weft-credentials-view', CredentialsView);
