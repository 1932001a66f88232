import type { JsonObject } from '../model/json.js';

/**
 * Turns a credential id referenced by a node into its decrypted fields, at the moment a node
 * needs them. Implementations must scope look-ups to the workspace.
 *
 * @example
 * ```ts
 * const creds: CredentialResolver = {
 *   async resolve({ workspaceId, credentialId }) { return vault.decrypt(workspaceId, credentialId); },
 * };
 * ```
 */
export interface CredentialResolver {
  resolve(request: { workspaceId: string; credentialId: string; nodeType: string }): Promise<ResolvedCredential>;
}

/** A decrypted credential. `data` must never be logged or stored in execution data. */
export interface ResolvedCredential {
  id: string;
  type: string;
  data: JsonObject;
}
