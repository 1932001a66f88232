import type { ApiKeyInfo, Role } from '@weft/client';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';

const ROLES: Role[] = ['admin', 'editor', 'operator', 'viewer'];

/** API keys: list (prefix, role, scopes, last use), create (the secret is shown once), revoke. */
export class ApiKeysView extends LightElement {
  static override properties = { items: { state: true }, error: { state: true }, secret: { state: true } };
  declare items: ApiKeyInfo[];
  declare error: string | undefined;
  declare secret: string | undefined;

  constructor() {
    super();
    this.items = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.items = (await appState.client.workspaces.apiKeys(appState.workspaceId as string)).items;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async create(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    const scopes = String(form.get('scopes') ?? '')
      .split(/[\s,]+/)
      .filter(Boolean);
    const days = Number(form.get('days'));
    try {
      const key = await appState.client.workspaces.createApiKey(appState.workspaceId as string, {
        name: String(form.get('name')),
        role: form.get('role') as Role,
        ...(scopes.length ? { scopes } : {}),
        ...(days > 0 ? { expiresInDays: days } : {}),
      });
      this.secret = key.key;
      this.error = undefined;
      (e.target as HTMLFormElement).reset();
      await this.load();
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  override render() {
    const ws = appState.workspaceId as string;
    return html`<section class="page">
      <header class="page-head"><h1>API keys</h1></header>
      ${errorBox(this.error)}
      ${
        this.secret
          ? html`<div class="notice" role="status">Copy the key now, it is not shown again:
              <code class="secret">${this.secret}</code>
              <button @click=${() => navigator.clipboard?.writeText(this.secret as string)}>Copy</button></div>`
          : ''
      }
      <table class="list">
        <thead><tr><th>Name</th><th>Key</th><th>Role</th><th>Scopes</th><th>Last used</th><th>Expires</th><th></th></tr></thead>
        <tbody>${this.items.map(
          (k) => html`<tr>
            <td>${k.name}</td><td><code>${k.prefix}…</code></td><td>${k.role}</td><td>${k.scopes.join(', ')}</td>
            <td>${formatTime(k.lastUsedAt ?? undefined)}</td><td>${k.expiresAt ? formatTime(k.expiresAt) : 'never'}</td>
            <td><button class="danger" @click=${async () => {
              if (!confirm(`Revoke "${k.name}"?`)) return;
              try {
                await appState.client.workspaces.revokeApiKey(ws, k.id);
                await this.load();
              } catch (e) {
                this.error = errorMessage(e);
              }
            }}>Revoke</button></td>
          </tr>`,
        )}</tbody>
      </table>
      <form class="panel" @submit=${this.create}>
        <h2>New API key</h2>
        <label>Name <input name="name" required maxlength="200" /></label>
        <label>Role <select name="role">${ROLES.map((r) => html`<option ?selected=${r === 'operator'}>${r}</option>`)}</select></label>
        <label>Scopes <input name="scopes" placeholder="* or workflows:read executions:write" /></label>
        <label>Expires in days <input name="days" type="number" min="1" max="3650" /></label>
        <button class="primary" type="submit">Create key</button>
      </form>
    </section>`;
  }
}
customElements.define('weft-api-keys-view', ApiKeysView);
