import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage, formatTime } from '../app/format.js';
import { LightElement } from '../app/light-element.js';

/** A passkey as `GET /auth/passkeys` lists it. */
interface Passkey {
  id: string;
  name: string;
  deviceType: string;
  backedUp: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

type Options = { challengeId: string; options: Parameters<typeof startRegistration>[0]['optionsJSON'] };

/** A likely name for a new passkey: the platform it is made on. */
function deviceName(): string {
  const ua = navigator.userAgent;
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iPhone or iPad'
      : /Mac/.test(ua)
        ? 'Mac'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'This device';
  return `${os} passkey`;
}

/**
 * The account's passkeys on the settings page: list (name, when added and last used, synced or
 * not), add one through the browser's passkey dialog, remove one.
 */
export class PasskeysSettings extends LightElement {
  static override properties = {
    items: { state: true },
    error: { state: true },
    notice: { state: true },
    busy: { state: true },
  };
  declare items: Passkey[] | undefined;
  declare error: string | undefined;
  declare notice: string | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.items = (await appState.client.transport.request<{ items: Passkey[] }>('GET', '/auth/passkeys')).items;
    } catch (e) {
      this.error = errorMessage(e);
    }
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    this.error = undefined;
    this.notice = undefined;
    this.busy = true;
    try {
      await fn();
      await this.load();
    } catch (e) {
      this.error = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  private add(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = String(new FormData(form).get('name') ?? '').trim() || deviceName();
    const t = appState.client.transport;
    return this.run(async () => {
      const { challengeId, options } = await t.request<Options>('POST', '/auth/passkeys/registration-options');
      let response: Awaited<ReturnType<typeof startRegistration>>;
      try {
        response = await startRegistration({ optionsJSON: options });
      } catch (err) {
        throw new Error(
          (err as Error).name === 'InvalidStateError'
            ? 'This device already holds a passkey for your account.'
            : 'No passkey was created (the dialog was closed or timed out).',
        );
      }
      await t.request('POST', '/auth/passkeys', { body: { challengeId, name, response } });
      form.reset();
      this.notice = `Passkey “${name}” added. You can now sign in with it, or use it as your second factor.`;
    });
  }

  private removePasskey(p: Passkey): Promise<void> {
    if (!confirm(`Remove the passkey “${p.name}”? You can no longer sign in with it.`)) return Promise.resolve();
    return this.run(async () => {
      await appState.client.transport.request('DELETE', `/auth/passkeys/${encodeURIComponent(p.id)}`);
      this.notice = `Passkey “${p.name}” removed.`;
    });
  }

  override render() {
    const supported = browserSupportsWebAuthn();
    return html`<div class="panel" aria-labelledby="passkeys-heading">
      <h2 id="passkeys-heading">Passkeys</h2>
      <p class="muted small">
        Sign in with your fingerprint, face, screen lock or a security key instead of a password. With
        two-factor authentication on, a passkey also works as your second factor.
      </p>
      ${errorBox(this.error)} ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : ''}
      ${
        this.items === undefined
          ? html`<p class="muted" aria-busy="true">Loading…</p>`
          : this.items.length === 0
            ? html`<p class="muted">No passkeys yet.</p>`
            : html`<ul class="passkeys">
                ${this.items.map(
                  (p) => html`<li>
                    <span><strong>${p.name}</strong>
                      <span class="muted small">added ${formatTime(p.createdAt)} · ${
                        p.lastUsedAt ? `last used ${formatTime(p.lastUsedAt)}` : 'never used'
                      }${p.backedUp ? ' · synced' : ''}</span></span>
                    <button class="danger" ?disabled=${this.busy} aria-label=${`Remove passkey ${p.name}`}
                      @click=${() => this.removePasskey(p)}>Remove</button>
                  </li>`,
                )}
              </ul>`
      }
      ${
        supported
          ? html`<form class="inline" @submit=${(e: SubmitEvent) => this.add(e)}>
              <label>Passkey name <input name="name" maxlength="100" placeholder=${deviceName()} /></label>
              <button class="primary" type="submit" ?disabled=${this.busy}>Add a passkey</button>
            </form>`
          : html`<p class="muted">This browser cannot create passkeys.</p>`
      }
    </div>`;
  }
}
customElements.define('weft-passkeys-settings', PasskeysSettings);
