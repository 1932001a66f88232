import type { Migration } from '../migration.js';

/**
 * Migration 16: single sign-on and passkeys. `external_identities` links an OpenID Connect
 * provider's subject (keyed by issuer) to a host user; `oidc_logins` holds a started
 * authorization-code login (state, nonce, PKCE verifier, and the hash of the cookie that binds it
 * to one browser) for its few minutes of life; `workspace_sso` marks workspaces whose members must
 * sign in through the provider. `webauthn_credentials` keeps each user's passkeys (public key,
 * signature counter, transports) and `webauthn_challenges` the one-time challenges of ceremonies
 * in flight.
 *
 * @example
 * ```ts
 * await migrate(db, { dialect: 'sqlite' }); // includes ssoAndPasskeys
 * ```
 */
export const ssoAndPasskeys: Migration = {
  version: 16,
  name: 'sso identities, pending oidc logins, sso-only workspaces, webauthn credentials',
  async up(db, { types: t }) {
    const s = db.schema;
    await s
      .createTable('external_identities')
      .addColumn('issuer', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addColumn('last_login_at', t.millis, (c) => c.notNull())
      .addPrimaryKeyConstraint('external_identities_pk', ['issuer', 'subject'])
      .execute();
    await s.createIndex('external_identities_user').on('external_identities').column('user_id').execute();
    await s
      .createTable('oidc_logins')
      .addColumn('state_hash', 'text', (c) => c.primaryKey())
      .addColumn('browser_hash', 'text', (c) => c.notNull())
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('code_verifier', 'text', (c) => c.notNull())
      .addColumn('return_to', 'text', (c) => c.notNull())
      .addColumn('expires_at', t.millis, (c) => c.notNull())
      .execute();
    await s
      .createTable('workspace_sso')
      .addColumn('workspace_id', 'text', (c) => c.primaryKey())
      .addColumn('sso_only', 'integer', (c) => c.notNull())
      .addColumn('updated_at', t.millis, (c) => c.notNull())
      .execute();
    await s
      .createTable('webauthn_credentials')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('counter', t.millis, (c) => c.notNull())
      .addColumn('transports', t.json, (c) => c.notNull())
      .addColumn('device_type', 'text', (c) => c.notNull())
      .addColumn('backed_up', 'integer', (c) => c.notNull())
      .addColumn('created_at', t.millis, (c) => c.notNull())
      .addColumn('last_used_at', t.millis)
      .execute();
    await s.createIndex('webauthn_credentials_user').on('webauthn_credentials').column('user_id').execute();
    await s
      .createTable('webauthn_challenges')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text')
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('challenge', 'text', (c) => c.notNull())
      .addColumn('expires_at', t.millis, (c) => c.notNull())
      .execute();
  },
};
