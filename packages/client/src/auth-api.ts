import type { Me, Session, SetupInfo } from './api-types.js';
import type { HttpTransport } from './http-transport.js';
import { WeftApiError } from './weft-api-error.js';

/** What {@link AuthApi.login} resolves with: a session, or a request for the second factor. */
export type LoginResult = { status: 'signed-in'; session: Session } | { status: 'mfa-required' };

/**
 * Sign-up, login (with the MFA step), refresh, logout and two-factor set-up. Successful calls
 * store the session in the client, which then sends it with every request.
 *
 * @example
 * ```ts
 * let r = await client.auth.login({ email, password });
 * if (r.status === 'mfa-required') r = await client.auth.login({ email, password, code: '123456' });
 * ```
 */
export class AuthApi {
  constructor(private readonly t: HttpTransport) {}

  /** Whether the first owner still has to sign up, whether OIDC is on, and the branding. */
  setup(): Promise<SetupInfo> {
    return this.t.request('GET', '/auth/setup', { anonymous: true });
  }

  /** Signs up with a one-time token (the first-run link or an invitation) and starts a session. */
  async signup(input: { token: string; email: string; password: string; name?: string }): Promise<Session> {
    const session = await this.t.request<Session>('POST', '/auth/signup', { body: input, anonymous: true });
    this.t.setSession(session);
    return session;
  }

  /**
   * Signs in. Without `code` on an account with MFA this resolves `{ status: 'mfa-required' }`;
   * call again with the authenticator or a recovery code. Wrong credentials throw a {@link WeftApiError}.
   */
  async login(input: { email: string; password: string; code?: string }): Promise<LoginResult> {
    try {
      const session = await this.t.request<Session>('POST', '/auth/login', { body: input, anonymous: true });
      this.t.setSession(session);
      return { status: 'signed-in', session };
    } catch (e) {
      if (e instanceof WeftApiError && e.code === 'mfa-required' && !input.code) return { status: 'mfa-required' };
      throw e;
    }
  }

  /** Rotates the refresh token now; `false` when the session is gone (sign in again). */
  refresh(): Promise<boolean> {
    return this.t.refresh();
  }

  /** Revokes this session (or every session of the user with `all`) and forgets it locally. */
  async logout(options: { all?: boolean } = {}): Promise<void> {
    try {
      await this.t.request('POST', '/auth/logout', { query: { all: options.all } });
    } finally {
      this.t.setSession(null);
    }
  }

  /** The signed-in user and their workspaces. */
  me(): Promise<Me> {
    return this.t.request('GET', '/auth/me');
  }

  /** Starts TOTP set-up: a secret and an `otpauth://` URI for the authenticator app. */
  mfaSetup(): Promise<{ secret: string; otpauthUri: string }> {
    return this.t.request('POST', '/auth/mfa/setup');
  }

  /** Confirms TOTP with a current code; returns ten one-time recovery codes. */
  mfaEnable(code: string): Promise<{ recoveryCodes: string[] }> {
    return this.t.request('POST', '/auth/mfa/enable', { body: { code } });
  }

  /** Turns MFA off (needs a current code). */
  mfaDisable(code: string): Promise<void> {
    return this.t.request('POST', '/auth/mfa/disable', { body: { code } });
  }
}
