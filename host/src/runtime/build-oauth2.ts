import { type CredentialVault, createHttpClient, type HttpClient, OAuth2TokenManager } from '@weft/connectors';
import type { HostConfig } from '../config/load-config.js';
import type { ConnectorLocks } from './connector-locks.js';

/**
 * The connectors' safe HTTP client (honouring `httpAllow`) and the OAuth2 token manager on it.
 * Refreshes run under the shared keyed lock, where a process re-reads the credential and uses
 * tokens another process already refreshed.
 *
 * @example
 * ```ts
 * const { http, oauth2 } = buildOAuth2(config, vault, locks);
 * ```
 */
export function buildOAuth2(
  config: Pick<HostConfig, 'httpAllow'>,
  vault: CredentialVault,
  locks: Pick<ConnectorLocks, 'keyed'>,
): { http: HttpClient; oauth2: OAuth2TokenManager } {
  const http = createHttpClient({ allow: config.httpAllow });
  const oauth2 = new OAuth2TokenManager({
    http,
    writer: vault,
    shared: {
      lock: locks.keyed,
      reload: async (ref) => (await vault.resolve({ ...ref, nodeType: 'oauth2.refresh' })).data,
    },
  });
  return { http, oauth2 };
}
