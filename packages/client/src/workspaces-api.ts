import type {
  ApiKeyInfo,
  CreatedApiKey,
  CredentialInfo,
  Invite,
  Member,
  OAuth2ConnectStart,
  Regions,
  Role,
  Workspace,
} from './api-types.js';
import type { HttpTransport } from './http-transport.js';

const enc = encodeURIComponent;

/**
 * Workspaces and what belongs to one besides workflows: members and invitations, API keys and
 * credentials (secrets are write-only: they are never returned).
 *
 * @example
 * ```ts
 * const invite = await client.workspaces.invite(ws, { email: 'bo@example.com', role: 'editor' });
 * const key = await client.workspaces.createApiKey(ws, { name: 'CI', scopes: ['workflows:read'] });
 * ```
 */
export class WorkspacesApi {
  constructor(private readonly t: HttpTransport) {}

  private path(ws: string, rest = ''): string {
    return `/workspaces/${enc(ws)}${rest}`;
  }

  list(): Promise<{ items: Workspace[] }> {
    return this.t.request('GET', '/workspaces');
  }

  /** Creates a workspace; `region` (one of {@link WorkspacesApi.regions}) is fixed for its life. */
  create(name: string, options: { region?: string } = {}): Promise<Workspace> {
    return this.t.request('POST', '/workspaces', { body: { name, ...options } });
  }

  /** The host's data residency regions; `items` is empty when it keeps one database. */
  regions(): Promise<Regions> {
    return this.t.request('GET', '/regions');
  }

  get(ws: string): Promise<Workspace> {
    return this.t.request('GET', this.path(ws));
  }

  rename(ws: string, name: string): Promise<Workspace> {
    return this.t.request('PATCH', this.path(ws), { body: { name } });
  }

  /** Deletes the workspace and everything it owns (owner only). */
  delete(ws: string): Promise<void> {
    return this.t.request('DELETE', this.path(ws));
  }

  members(ws: string): Promise<{ items: Member[] }> {
    return this.t.request('GET', this.path(ws, '/members'));
  }

  /** A one-time sign-up link (valid 7 days), optionally bound to an email. */
  invite(ws: string, input: { role: Role; email?: string }): Promise<Invite> {
    return this.t.request('POST', this.path(ws, '/invites'), { body: input });
  }

  setRole(ws: string, userId: string, role: Role): Promise<{ userId: string; role: Role }> {
    return this.t.request('PUT', this.path(ws, `/members/${enc(userId)}`), { body: { role } });
  }

  removeMember(ws: string, userId: string): Promise<void> {
    return this.t.request('DELETE', this.path(ws, `/members/${enc(userId)}`));
  }

  apiKeys(ws: string): Promise<{ items: ApiKeyInfo[] }> {
    return this.t.request('GET', this.path(ws, '/api-keys'));
  }

  /** Creates a key; `key` in the answer is the secret and is shown only this once. */
  createApiKey(
    ws: string,
    input: { name: string; role?: Role; scopes?: string[]; expiresInDays?: number },
  ): Promise<CreatedApiKey> {
    return this.t.request('POST', this.path(ws, '/api-keys'), { body: input });
  }

  revokeApiKey(ws: string, keyId: string): Promise<void> {
    return this.t.request('DELETE', this.path(ws, `/api-keys/${enc(keyId)}`));
  }

  credentials(ws: string): Promise<{ items: CredentialInfo[] }> {
    return this.t.request('GET', this.path(ws, '/credentials'));
  }

  /** Stores an encrypted credential; `data` (the secret fields) can be written but never read back. */
  createCredential(
    ws: string,
    input: { type: string; name: string; data: Record<string, unknown> },
  ): Promise<CredentialInfo> {
    return this.t.request('POST', this.path(ws, '/credentials'), { body: input });
  }

  /** Renames and/or sets fields (a field set to `null` is removed). */
  updateCredential(
    ws: string,
    id: string,
    input: { name?: string; data?: Record<string, unknown> },
  ): Promise<CredentialInfo> {
    return this.t.request('PATCH', this.path(ws, `/credentials/${enc(id)}`), { body: input });
  }

  deleteCredential(ws: string, id: string): Promise<void> {
    return this.t.request('DELETE', this.path(ws, `/credentials/${enc(id)}`));
  }

  /**
   * Starts OAuth2 Connect (authorization code with PKCE) for an OAuth2 credential: open the
   * answer's `connectUrl` in a popup (once, within 2 minutes: it binds the state to that browser
   * with an HttpOnly cookie and redirects to the provider); the host's callback stores the tokens
   * and tells the opener (`postMessage` to the host's origin) and the `weft-oauth2`
   * BroadcastChannel.
   */
  connectCredential(ws: string, id: string): Promise<OAuth2ConnectStart> {
    return this.t.request('POST', this.path(ws, `/credentials/${enc(id)}/oauth2/authorize`));
  }

  /** Tries the credential against its service. */
  testCredential(ws: string, id: string): Promise<{ ok: boolean; message?: string }> {
    return this.t.request('POST', this.path(ws, `/credentials/${enc(id)}/test`));
  }
}
