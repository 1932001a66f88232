import { authSchemesOf, builtinConnectors, CredentialVault, parseMasterKeys, type Redactor } from '@weft/connectors';
import { type HostDb, SqlCredentialRecordStore } from '@weft/sql';
import type { HostConfig } from '../config/load-config.js';

/**
 * The credential vault over the host's `credentials` table, encrypting with `masterKeys`. With
 * the connectors' auth schemes it checks required fields and teaches the redactor only secret
 * fields (not user names or header names, which would then vanish from every log line).
 *
 * @example
 * ```ts
 * const vault = buildVault(h, config, redactor);
 * await vault.resolve({ workspaceId: 'ws1', credentialId: 'c1', nodeType: 'slack.send' });
 * ```
 */
export function buildVault(
  h: HostDb,
  config: Pick<HostConfig, 'masterKeys'>,
  redactor: Redactor | undefined,
): CredentialVault {
  return new CredentialVault({
    store: new SqlCredentialRecordStore(h),
    masterKeys: parseMasterKeys(config.masterKeys),
    schemes: builtinConnectors.flatMap(authSchemesOf),
    ...(redactor ? { redactor } : {}),
  });
}
