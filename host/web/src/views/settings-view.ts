import { WeftApiError } from '@weft/client';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { navigate } from '../app/router.js';
import { executionCache } from '../offline/execution-cache.js';
import {
  currentPushSubscription,
  disablePush,
  enablePush,
  type PushTopic,
  pushSupported,
} from '../push/push-notifications.js';
import './new-workspace-form.js';
import './passkeys-settings.js';
import './workspace-sso-settings.js';
import { localStore } from '../app/local-store.js';

/** Workspace name, two-factor authentication, passkeys, single sign-on, push notifications and sign-out. */
export class SettingsView extends LightElement {
  static override properties = {
    error: { state: true },
    notice: { state: true },
    mfa: { state: true },
    recovery: { state: true },
    pushOn: { state: true },
    pushAlerts: { state: true },
  };
  declare error: string | undefined;
  declare notice: string | undefined;
  declare mfa: { secret: string; otpauthUri: string } | undefined;
  declare recovery: string[] | undefined;
  declare pushOn: boolean;
  /** Whether this device also gets analytics alerts (kept per workspace in this browser). */
  declare pushAlerts: boolean;

  constructor() {
    super();
    this.pushOn = false;
    this.pushAlerts = false;
  }

  private get alertsKey(): string {
    return `weft-push-alerts:${appState.workspaceId ?? ''}`;
  }

  private pushTopics(alerts: boolean): PushTopic[] {
    return alerts ? ['workflow-failed', 'approval-required', 'alert'] : ['workflow-failed', 'approval-required'];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.pushAlerts = localStore().getItem(this.alertsKey) === '1';
    void currentPushSubscription()
      .then((s) => {
        this.pushOn = !!s;
      })
      .catch(() => undefined);
  }

  private async run(fn: () => Promise<void>): Promise<void> {
    try {
      this.error = undefined;
      await fn();
    } catch (e) {
      this.error =
        e instanceof WeftApiError && e.status === 404 && e.code === 'route-not-found'
          ? 'This server does not send push notifications yet.'
          : errorMessage(e);
    }
  }

  override render() {
    const ws = appState.workspace;
    const user = appState.me?.user;
    const auth = appState.client.auth;
    return html`<section class="page">
      <header class="page-head"><h1>Settings</h1></header>
      ${errorBox(this.error)} ${this.notice ? html`<p class="notice" role="status">${this.notice}</p>` : ''}
      <form class="panel" @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        const name = String(new FormData(e.target as HTMLFormElement).get('name')).trim();
        void this.run(async () => {
          await appState.client.workspaces.rename(appState.workspaceId as string, name);
          await appState.loadMe();
          this.notice = 'Workspace renamed';
        });
      }}>
        <h2>Workspace</h2>
        <label>Name <input name="name" required .value=${ws?.name ?? ''} /></label>
        <p class="muted small">Your role: ${ws?.role ?? '—'}</p>
        <weft-workspace-region></weft-workspace-region>
        <button type="submit">Rename</button>
      </form>
      <weft-new-workspace-form></weft-new-workspace-form>
      <div class="panel">
        <h2>Two-factor authentication</h2>
        ${
          user?.mfaEnabled
            ? html`<p>On for ${user.email}.</p>
                <form @submit=${(e: SubmitEvent) => {
                  e.preventDefault();
                  const code = String(new FormData(e.target as HTMLFormElement).get('code'));
                  void this.run(async () => {
                    await auth.mfaDisable(code);
                    await appState.loadMe();
                    this.notice = 'Two-factor authentication is off';
                  });
                }}><label>Current code <input name="code" required inputmode="numeric" /></label>
                  <button class="danger" type="submit">Turn off</button></form>`
            : this.mfa
              ? html`<p>Add this key to your authenticator app, then enter the code it shows.</p>
                  <code class="secret">${this.mfa.secret}</code>
                  <p class="muted small break">${this.mfa.otpauthUri}</p>
                  <form @submit=${(e: SubmitEvent) => {
                    e.preventDefault();
                    const code = String(new FormData(e.target as HTMLFormElement).get('code'));
                    void this.run(async () => {
                      this.recovery = (await auth.mfaEnable(code)).recoveryCodes;
                      this.mfa = undefined;
                      await appState.loadMe();
                    });
                  }}><label>Code <input name="code" required inputmode="numeric" autocomplete="one-time-code" /></label>
                    <button class="primary" type="submit">Turn on</button></form>`
              : html`<button @click=${() =>
                  this.run(async () => {
                    this.mfa = await auth.mfaSetup();
                  })}>Set up</button>`
        }
        ${
          this.recovery
            ? html`<p>Recovery codes (each works once; keep them safe):</p>
                <ul class="codes">${this.recovery.map((c) => html`<li><code>${c}</code></li>`)}</ul>`
            : ''
        }
      </div>
      <weft-passkeys-settings></weft-passkeys-settings>
      <weft-workspace-sso-settings></weft-workspace-sso-settings>
      <div class="panel">
        <h2>Notifications</h2>
        <p class="muted small">Push notifications when a workflow fails or waits for your approval.</p>
        ${
          pushSupported()
            ? html`<label class="check"><input type="checkbox" .checked=${this.pushAlerts} @change=${(e: Event) =>
                this.run(async () => {
                  const on = (e.target as HTMLInputElement).checked;
                  if (this.pushOn)
                    await enablePush(appState.client, appState.workspaceId as string, this.pushTopics(on));
                  localStore().setItem(this.alertsKey, on ? '1' : '0');
                  this.pushAlerts = on;
                })} /> Also analytics alerts (SLO burn rate, anomalies), as they start and resolve</label>
              <button @click=${() =>
                this.run(async () => {
                  if (this.pushOn) await disablePush(appState.client, appState.workspaceId as string);
                  else
                    await enablePush(appState.client, appState.workspaceId as string, this.pushTopics(this.pushAlerts));
                  this.pushOn = !this.pushOn;
                })}>${this.pushOn ? 'Turn off on this device' : 'Turn on for this device'}</button>`
            : html`<p class="muted">This browser does not support push notifications.</p>`
        }
      </div>
      <div class="panel">
        <h2>Session</h2>
        <p>Signed in as ${user?.email}.</p>
        <button @click=${() =>
          this.run(async () => {
            await executionCache.clear().catch(() => undefined);
            await appState.signOut();
            navigate('/signin', { replace: true });
          })}>Sign out</button>
        <button class="danger" @click=${() =>
          this.run(async () => {
            await auth.logout({ all: true });
            await executionCache.clear().catch(() => undefined);
            navigate('/signin', { replace: true });
          })}>Sign out everywhere</button>
      </div>
    </section>`;
  }
}
customElements.define('weft-settings-view', SettingsView);
