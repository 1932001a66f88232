import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { navigate } from '../app/router.js';

/**
 * Sign-in with email and password, then the two-factor step when the account uses MFA; with
 * `mode="signup"` the one-time link's sign-up form (first-run owner or an invitation).
 */
export class SignInView extends LightElement {
  static override properties = {
    mode: {},
    token: {},
    step: { state: true },
    error: { state: true },
    busy: { state: true },
  };
  declare mode: 'signin' | 'signup';
  declare token: string;
  declare step: 'password' | 'mfa';
  declare error: string | undefined;
  declare busy: boolean;
  private email = '';
  private password = '';

  constructor() {
    super();
    this.mode = 'signin';
    this.token = '';
    this.step = 'password';
    this.busy = false;
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = new FormData(e.target as HTMLFormElement);
    this.error = undefined;
    this.busy = true;
    try {
      if (this.mode === 'signup') {
        const name = String(form.get('name') ?? '').trim();
        await appState.client.auth.signup({
          token: this.token,
          email: String(form.get('email')),
          password: String(form.get('password')),
          ...(name ? { name } : {}),
        });
      } else {
        if (this.step === 'password') {
          this.email = String(form.get('email'));
          this.password = String(form.get('password'));
        }
        const code = this.step === 'mfa' ? String(form.get('code')).trim() : undefined;
        const r = await appState.client.auth.login({
          email: this.email,
          password: this.password,
          ...(code ? { code } : {}),
        });
        if (r.status === 'mfa-required') {
          this.step = 'mfa';
          return;
        }
      }
      await appState.loadMe();
      navigate('/workflows', { replace: true });
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const b = appState.branding;
    const title = this.mode === 'signup' ? `Create your ${b.name} account` : `Sign in to ${b.name}`;
    return html`<main class="auth-card">
      ${b.logoUrl ? html`<img class="logo" src=${b.logoUrl} alt="" />` : ''}
      <h1>${title}</h1>
      <form @submit=${this.submit}>
        ${
          this.step === 'mfa'
            ? html`<p>Enter the code from your authenticator app, or a recovery code.</p>
                <label>Two-factor code
                  <input name="code" autocomplete="one-time-code" inputmode="numeric" required minlength="6" autofocus />
                </label>`
            : html`${this.mode === 'signup' ? html`<label>Name <input name="name" autocomplete="name" /></label>` : ''}
                <label>Email <input name="email" type="email" autocomplete="username" required /></label>
                <label>Password
                  <input name="password" type="password" required minlength=${this.mode === 'signup' ? 8 : 1}
                    autocomplete=${this.mode === 'signup' ? 'new-password' : 'current-password'} />
                </label>`
        }
        ${errorBox(this.error)}
        <button class="primary" type="submit" ?disabled=${this.busy}>
          ${this.mode === 'signup' ? 'Create account' : this.step === 'mfa' ? 'Verify' : 'Sign in'}
        </button>
        ${
          this.step === 'mfa'
            ? html`<button type="button" class="link" @click=${() => {
                this.step = 'password';
                this.error = undefined;
              }}>Back</button>`
            : ''
        }
      </form>
    </main>`;
  }
}
customElements.define('weft-sign-in-view', SignInView);
