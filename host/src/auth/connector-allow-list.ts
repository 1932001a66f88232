import type { Principal } from '../http/principal.js';
import { ForbiddenError } from '../runtime/host-error.js';

/**
 * The connector a credential type belongs to: the part before the first dot
 * (`slack.botToken` -> `slack`), or the whole type when it has none.
 *
 * @example
 * ```ts
 * connectorOfCredentialType('github.token'); // 'github'
 * ```
 */
export function connectorOfCredentialType(type: string): string {
  const dot = type.indexOf('.');
  return dot > 0 ? type.slice(0, dot) : type;
}

/**
 * Throws 403 `connector-not-allowed` when the caller's session was opened with an embed token
 * whose connector allow-list does not name this credential type's connector (or the type itself).
 * Other callers, and embed tokens without a list, may use every connector.
 *
 * @example
 * ```ts
 * assertConnectorAllowed(principal, 'slack.botToken');
 * ```
 */
export function assertConnectorAllowed(principal: Principal, credentialType: string): void {
  const allowed = principal.kind === 'user' ? principal.scope?.connectors : undefined;
  if (!allowed) return;
  const connector = connectorOfCredentialType(credentialType);
  if (allowed.includes(connector) || allowed.includes(credentialType)) return;
  throw new ForbiddenError(
    'connector-not-allowed',
    `This embedded session may use the connectors ${allowed.join(', ') || '(none)'}; not ${connector}`,
  );
}
