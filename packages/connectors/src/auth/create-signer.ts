import type { ResolvedCredential } from '@weft/engine';
import type { RequestSigner } from '../http/http-types.js';
import type { AuthScheme } from './auth-scheme.js';
import type { OAuth2TokenManager } from './oauth2-token-manager.js';

/**
 * What {@link createSigner} needs besides the credential.
 *
 * @example
 * ```ts
 * createSigner(scheme, credential, { workspaceId: 'ws1', tokens } satisfies SignerContext);
 * ```
 */
export interface SignerContext {
  workspaceId: string;
  /** Required for OAuth2 schemes. */
  tokens?: OAuth2TokenManager;
  /**
   * Told every secret the signer obtains at run time and that the credential's stored data does not
   * hold yet: the OAuth2 access token it signs with (fresh after a refresh). The connector kit adds
   * them to the node's redactor.
   */
  onSecret?: (value: string) => void;
}

/**
 * Turns a credential into a {@link RequestSigner} for its auth scheme: API key (header or query),
 * basic, bearer, OAuth2 (token from the manager; refresh and retry once on 401) or custom.
 *
 * @example
 * ```ts
 * const http = createHttpClient().withSigner(createSigner(scheme, credential, { workspaceId, tokens }));
 * ```
 */
export function createSigner(scheme: AuthScheme, credential: ResolvedCredential, ctx: SignerContext): RequestSigner {
  const data = credential.data;
  const field = (name: string): string => {
    const v = data[name];
    if (typeof v !== 'string' || v === '') {
      throw new Error(
        `Credential ${credential.id} (type ${scheme.type}) has no "${name}"; edit the credential to set it`,
      );
    }
    return v;
  };
  const key = `cred:${credential.id}`;
  switch (scheme.kind) {
    case 'none':
      return { key, sign() {} };
    case 'apiKey':
      return {
        key,
        sign(r) {
          const value = field('apiKey');
          if (scheme.in === 'header') r.headers.set(scheme.name, `${scheme.prefix ?? ''}${value}`);
          else r.url.searchParams.set(scheme.name, value);
        },
      };
    case 'basic':
      return {
        key,
        sign(r) {
          const pair = `${field('username')}:${typeof data.password === 'string' ? data.password : ''}`;
          r.headers.set('authorization', `Basic ${Buffer.from(pair).toString('base64')}`);
        },
      };
    case 'bearer':
      return { key, sign: (r) => r.headers.set('authorization', `Bearer ${field('token')}`) };
    case 'custom':
      return { key, sign: (r) => scheme.sign(r, data) };
    case 'oauth2': {
      const tokens = ctx.tokens;
      if (!tokens) throw new Error(`Credential type ${scheme.type} is OAuth2 but no OAuth2TokenManager was configured`);
      const ref = { workspaceId: ctx.workspaceId, credentialId: credential.id };
      let used = '';
      return {
        key,
        async sign(r) {
          used = await tokens.token(scheme, ref, data);
          ctx.onSecret?.(used);
          r.headers.set('authorization', `Bearer ${used}`);
        },
        async onUnauthorized() {
          await tokens.refreshAfterRejection(scheme, ref, data, used);
          return true;
        },
      };
    }
  }
}
