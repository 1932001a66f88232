import { type HostDb, millis } from '@weft/sql';

/** A started authorization-code login, as {@link SsoStore.takePending} returns it. */
export interface PendingOidcLogin {
  browserHash: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

/**
 * SSO rows of the host database (migration 16): external identities, pending OIDC logins and
 * the SSO-only flag of workspaces.
 *
 * @example
 * ```ts
 * const store = new SsoStore(runtime.h);
 * const userId = await store.userOf('https://id.example.com', 'subject-1');
 * ```
 */
export class SsoStore {
  constructor(readonly h: HostDb) {}

  async savePending(stateHash: string, login: PendingOidcLogin, ttlMs: number): Promise<void> {
    const now = Date.now();
    // Expired attempts go as new ones come: the table holds minutes of logins at most.
    await this.h.db.deleteFrom('oidc_logins').where('expires_at', '<', now).execute();
    await this.h.db
      .insertInto('oidc_logins')
      .values({
        state_hash: stateHash,
        browser_hash: login.browserHash,
        nonce: login.nonce,
        code_verifier: login.codeVerifier,
        return_to: login.returnTo,
        expires_at: now + ttlMs,
      })
      .execute();
  }

  /** Removes and returns a pending login (once: a replayed state finds nothing). */
  async takePending(stateHash: string): Promise<PendingOidcLogin | undefined> {
    const row = await this.h.db
      .deleteFrom('oidc_logins')
      .where('state_hash', '=', stateHash)
      .returningAll()
      .executeTakeFirst();
    if (!row || millis(row.expires_at) < Date.now()) return undefined;
    return {
      browserHash: row.browser_hash,
      nonce: row.nonce,
      codeVerifier: row.code_verifier,
      returnTo: row.return_to,
    };
  }

  async userOf(issuer: string, subject: string): Promise<string | undefined> {
    const row = await this.h.db
      .selectFrom('external_identities')
      .select('user_id')
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row?.user_id;
  }

  /** Links (or refreshes the link of) a provider subject to a user. */
  async link(issuer: string, subject: string, userId: string, email: string): Promise<void> {
    const now = Date.now();
    await this.h.db
      .insertInto('external_identities')
      .values({ issuer, subject, user_id: userId, email, created_at: now, last_login_at: now })
      .onConflict((oc) => oc.columns(['issuer', 'subject']).doUpdateSet({ email, last_login_at: now }))
      .execute();
  }

  async isSsoOnly(workspaceId: string): Promise<boolean> {
    const row = await this.h.db
      .selectFrom('workspace_sso')
      .select('sso_only')
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    return Number(row?.sso_only ?? 0) === 1;
  }

  async setSsoOnly(workspaceId: string, ssoOnly: boolean): Promise<void> {
    const now = Date.now();
    const value = ssoOnly ? 1 : 0;
    await this.h.db
      .insertInto('workspace_sso')
      .values({ workspace_id: workspaceId, sso_only: value, updated_at: now })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ sso_only: value, updated_at: now }))
      .execute();
  }

  /** The name of a workspace the user belongs to that requires SSO sign-in, if any. */
  async ssoOnlyWorkspaceOf(userId: string): Promise<string | undefined> {
    const row = await this.h.db
      .selectFrom('memberships')
      .innerJoin('workspace_sso', 'workspace_sso.workspace_id', 'memberships.workspace_id')
      .innerJoin('workspaces', 'workspaces.id', 'memberships.workspace_id')
      .select('workspaces.name')
      .where('memberships.user_id', '=', userId)
      .where('workspace_sso.sso_only', '=', 1)
      .executeTakeFirst();
    return row?.name;
  }
}
