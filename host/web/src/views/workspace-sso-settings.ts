import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';

/**
 * The workspace's single sign-on rule on the settings page: admins can require its members to
 * sign in with the host's SSO provider (password and passkey sign-in are then refused for them).
 * Shows nothing when the host has no SSO.
 */
export class WorkspaceSsoSettings extends LightElement {
  static override properties = { state: { state: true }, error: { state: true }, busy: { state: true } };
  declare state: { ssoOnly: boolean; provider: string | null } | undefined;
  declare error: string | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.busy = false;
  }

  private get path(): string {
    return `/workspaces/${encodeURIComponent(appState.workspaceId ?? '')}/sso`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void appState.client.transport
      .request<{ ssoOnly: boolean; provider: string | null }>('GET', this.path)
      .then((s) => {
        this.state = s;
      })
      .catch(() => undefined);
  }

  private async toggle(ssoOnly: boolean): Promise<void> {
    this.error = undefined;
    this.busy = true;
    try {
      this.state = await appState.client.transport.request('PUT', this.path, { body: { ssoOnly } });
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const s = this.state;
    if (!s?.provider) return '';
    const admin = appState.workspace?.role === 'admin' || appState.workspace?.role === 'owner';
    return html`<div class="panel">
      <h2>Single sign-on</h2>
      <p class="muted small">Members can sign in with ${s.provider}.</p>
      ${errorBox(this.error)}
      <label class="check">
        <input type="checkbox" .checked=${s.ssoOnly} ?disabled=${!admin || this.busy}
          @change=${(e: Event) => this.toggle((e.target as HTMLInputElement).checked)} />
        Members must sign in with ${s.provider} (no passwords or passkeys)
      </label>
      ${admin ? '' : html`<p class="muted small">Only admins can change this.</p>`}
    </div>`;
  }
}
customElements.define('weft-workspace-sso-settings', WorkspaceSsoSettings);
