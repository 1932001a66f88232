import type { HttpTransport } from './http-transport.js';

/** One of the signed-in user's passkeys (WebAuthn credentials). */
export interface Passkey {
  id: string;
  name: string;
  /** `singleDevice` or `multiDevice` (synced). */
  deviceType: string;
  backedUp: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

/**
 * The signed-in user's passkeys and SSO sign-in. Registration runs in a browser: pass
 * `options` to `navigator.credentials.create()` (e.g. with `@simplewebauthn/browser`'s
 * `startRegistration`) and its answer to {@link PasskeysApi.register}.
 *
 * @example
 * ```ts
 * const { challengeId, options } = await client.passkeys.registrationOptions();
 * const response = await startRegistration({ optionsJSON: options });
 * await client.passkeys.register({ challengeId, response, name: 'Laptop' });
 * location.href = client.passkeys.ssoStartUrl('/workflows'); // "Sign in with SSO"
 * ```
 */
export class PasskeysApi {
  constructor(private readonly t: HttpTransport) {}

  list(): Promise<{ items: Passkey[] }> {
    return this.t.request('GET', '/auth/passkeys');
  }

  /** Starts adding a passkey: the challenge (valid 5 minutes, usable once) and creation options. */
  registrationOptions(): Promise<{ challengeId: string; options: unknown }> {
    return this.t.request('POST', '/auth/passkeys/registration-options');
  }

  /** Adds the passkey the browser created for `challengeId`. */
  register(input: { challengeId: string; response: unknown; name: string }): Promise<Passkey> {
    return this.t.request('POST', '/auth/passkeys', { body: input });
  }

  remove(passkeyId: string): Promise<void> {
    return this.t.request('DELETE', `/auth/passkeys/${encodeURIComponent(passkeyId)}`);
  }

  /**
   * Where a browser starts OpenID Connect sign-in (the host redirects it to the provider, then
   * back to `returnTo`, an app path).
   */
  ssoStartUrl(returnTo?: string): string {
    return this.t.url('/auth/oidc/start', returnTo ? { returnTo } : undefined);
  }
}
