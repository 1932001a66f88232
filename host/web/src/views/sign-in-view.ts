import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { type Session, WeftApiError } from '@weft/client';
import { html } from 'lit';
import { appState } from '../app/app-state.js';
import { errorBox, errorMessage } from '../app/format.js';
import { LightElement } from '../app/light-element.js';
import { navigate, safeNext } from '../app/router.js';

type Options = { challengeId: string; options: Parameters<typeof startAuthentication>[0]['optionsJSON'] };

/**
 * Sign-in with email and password, then the two-factor step when the account uses MFA (a code or a
 * passkey); "Use a passkey" (passwordless; the only button named "Sign in" stays the password one)
 * and a "Sign in with <provider>" link (SSO, when the host has it; the provider sends the browser
 * back here with `code` and `state`, which this view completes). With `mode="signup"` the one-time
 * link's sign-up form (first-run owner or an invitation).
 */
export class SignInView extends LightElement {
  static override properties = {
    mode: {},
    token: {},
    step: { state: true },
    error: { state: true },
    busy: { state: true },
    sso: { state: true },
    methods: { state: true },
  };
  declare mode: 'signin' | 'signup';
  declare token: string;
  declare step: 'password' | 'mfa';
  declare error: string | undefined;
  declare busy: boolean;
  /** The SSO provider's name, when the host offers SSO. */
  declare sso: string | null;
  /** Second factors the account accepts (`totp`, `passkey`). */
  declare methods: string[];
  private email = '';
  private password = '';

  constructor() {
    super();
    this.mode = 'signin';
    this.token = '';
    this.step = 'password';
    this.busy = false;
    this.sso = null;
    this.methods = ['totp'];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.mode !== 'signin') return;
    const q = new URLSearchParams(location.search);
    if (q.get('state') && (q.get('code') || q.get('error'))) void this.completeSso(q);
    void appState.client.transport
      .request<{ ssoProvider?: string | null }>('GET', '/auth/setup', { anonymous: true })
      .then((s) => {
        this.sso = s.ssoProvider ?? null;
      })
      .catch(() => undefined);
  }

  /** Finishes an SSO sign-in the provider sent the browser back from. */
  private async completeSso(q: URLSearchParams): Promise<void> {
    history.replaceState(null, '', '/signin');
    if (q.get('error')) {
      this.error = `Single sign-on failed: ${q.get('error_description') ?? q.get('error')}`;
      return;
    }
    const iss = q.get('iss');
    await this.signedIn(() =>
      appState.client.transport.request<Session & { returnTo?: string }>('POST', '/auth/oidc/callback', {
        body: { code: q.get('code'), state: q.get('state'), ...(iss ? { iss } : {}) },
        anonymous: true,
      }),
    );
  }

  /** Runs a sign-in call, keeps its session and opens the app. */
  private async signedIn(call: () => Promise<Session & { returnTo?: string }>): Promise<void> {
    this.error = undefined;
    this.busy = true;
    try {
      const session = await call();
      appState.client.transport.setSession(session);
      await appState.loadMe();
      navigate(session.returnTo ?? safeNext(new URLSearchParams(location.search).get('next')), { replace: true });
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  /** A passkey assertion: passwordless, or the second factor after the password. */
  private passkey(): Promise<void> {
    const t = appState.client.transport;
    return this.signedIn(async () => {
      const { challengeId, options } = await t.request<Options>('POST', '/auth/passkeys/authentication-options', {
        anonymous: true,
      });
      let response: Awaited<ReturnType<typeof startAuthentication>>;
      try {
        response = await startAuthentication({ optionsJSON: options });
      } catch {
        throw new Error('No passkey was used. Try again, or sign in another way.');
      }
      const passkey = { challengeId, response };
      return this.step === 'mfa'
        ? t.request<Session>('POST', '/auth/login', {
            body: { email: this.email, password: this.password, passkey },
            anonymous: true,
          })
        : t.request<Session>('POST', '/auth/passkeys/login', { body: passkey, anonymous: true });
    });
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
        try {
          // The transport, not auth.login(): the mfa-required problem names the factors the account takes.
          const session = await appState.client.transport.request<Session>('POST', '/auth/login', {
            body: { email: this.email, password: this.password, ...(code ? { code } : {}) },
            anonymous: true,
          });
          appState.client.transport.setSession(session);
        } catch (err) {
          if (!(err instanceof WeftApiError && err.code === 'mfa-required')) throw err;
          const methods = err.problem.methods;
          this.methods = Array.isArray(methods) ? methods.map(String) : ['totp'];
          this.step = 'mfa';
          return;
        }
      }
      await appState.loadMe();
      navigate(safeNext(new URLSearchParams(location.search).get('next')), { replace: true });
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
        ${this.alternatives()}
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

  /** Passkey and SSO buttons under the form. */
  private alternatives() {
    if (this.mode !== 'signin') return '';
    const webauthn = browserSupportsWebAuthn();
    if (this.step === 'mfa') {
      return this.methods.includes('passkey') && webauthn
        ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.passkey()}>Use a passkey instead</button>`
        : '';
    }
    if (!webauthn && !this.sso) return '';
    return html`<div class="auth-alternatives" role="group" aria-label="Other ways to sign in">
      <span class="muted small">or</span>
      ${
        webauthn
          ? html`<button type="button" ?disabled=${this.busy} @click=${() => this.passkey()}>Use a passkey</button>`
          : ''
      }
      ${
        this.sso
          ? html`<a class="button" href=${`/api/v1/auth/oidc/start?returnTo=${encodeURIComponent(safeNext(new URLSearchParams(location.search).get('next')))}`}>Sign in with ${this.sso}</a>`
          : ''
      }
    </div>`;
  }
}
customElements.define('weft-sign-in-view', SignInView);
