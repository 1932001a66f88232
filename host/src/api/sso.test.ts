import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostAudit, INSTANCE_AUDIT_CHAIN } from '../compliance/host-audit.js';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import { type OidcTestAccount, type OidcTestProvider, startOidcTestProvider } from '../testing/oidc-test-provider.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');
// The provider redirects the browser here; the test reads code and state from that redirect.
const REDIRECT = 'http://app.weft.test/signin';

// SSO end to end over HTTP against a real OpenID Connect provider (oidc-provider) on loopback:
// authorization code + PKCE, state bound to the browser's cookie, JWKS-verified ID token, claims
// from userinfo, just-in-time provisioning, group -> role mapping and SSO-only workspaces.
describe.each(sqliteAndPostgres(pg))('SSO login on %s', (_name, skip, open) => {
  let t: TestHost;
  let idp: OidcTestProvider;
  let drop: (() => Promise<void>) | undefined;
  let ownerToken: string;
  let ws: string;
  const accounts: Record<string, OidcTestAccount> = {
    'ada@example.com': { name: 'Ada', groups: ['weft-admins', 'staff'] },
    'bob@example.com': { name: 'Bob', groups: ['staff'] },
    'owner@example.com': { groups: [] },
    'eve@example.com': { groups: [], emailVerified: false },
  };

  /** Starts at the host, signs in at the provider, and returns what the provider sent back and the cookie. */
  const authorize = async (login: string, returnTo = '/executions') => {
    const start = await fetch(`${t.base}/api/v1/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`, {
      redirect: 'manual',
    });
    expect(start.status).toBe(302);
    const cookie = start.headers.getSetCookie().find((c) => c.startsWith('weft_sso='));
    expect(cookie).toMatch(/HttpOnly/i);
    const location = start.headers.get('location') as string;
    const auth = new URL(location);
    expect(auth.origin).toBe(idp.issuer);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('nonce')).toBeTruthy();
    const back = await idp.authorize(location, login);
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    const q = back.searchParams;
    return {
      body: { code: q.get('code') as string, state: q.get('state') as string, iss: q.get('iss') as string },
      cookie: (cookie as string).split(';')[0] as string,
    };
  };
  const complete = (a: { body: unknown; cookie?: string }) =>
    t.call('POST', '/api/v1/auth/oidc/callback', { body: a.body, headers: a.cookie ? { cookie: a.cookie } : {} });
  const signIn = async (login: string) => complete(await authorize(login));
  const roleOf = async (email: string) => {
    const members = await t.call('GET', `/api/v1/workspaces/${ws}/members`, { token: ownerToken });
    return members.body.items.find((m: { email: string }) => m.email === email)?.role;
  };

  beforeAll(async () => {
    if (skip) return;
    const o = await open();
    drop = o.drop;
    idp = await startOidcTestProvider({
      clientId: 'weft',
      clientSecret: 'weft-client-secret',
      redirectUris: [REDIRECT],
      accounts,
    });
    t = await startTestHost({
      ...o.env,
      WEFT_OIDC_ISSUER: idp.issuer,
      WEFT_OIDC_CLIENT_ID: 'weft',
      WEFT_OIDC_CLIENT_SECRET: 'weft-client-secret',
      WEFT_OIDC_REDIRECT_URI: REDIRECT,
      WEFT_OIDC_PROVIDER_NAME: 'Acme ID',
      WEFT_OIDC_SCOPES: 'openid email profile groups',
      WEFT_OIDC_ROLE_MAP: 'weft-admins=admin,weft-editors=editor',
    });
    ownerToken = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token: ownerToken })).body.items[0].id;
    // As if started with WEFT_OIDC_DEFAULT_WORKSPACE=<the owner's workspace> (its id is random).
    (t.host.runtime.config.sso as { defaultWorkspaceId?: string }).defaultWorkspaceId = ws;
  });
  afterAll(async () => {
    await t?.close();
    await idp?.close();
    await drop?.();
  });

  it.skipIf(skip)('announces the provider for the sign-in button', async () => {
    const setup = await t.call('GET', '/api/v1/auth/setup');
    expect(setup.body.ssoProvider).toBe('Acme ID');
  });

  it.skipIf(skip)('provisions a new user just in time, with the role their group maps to', async () => {
    const r = await signIn('ada@example.com');
    expect(r.status, r.text).toBe(200);
    expect(r.body.user).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
    expect(r.body.returnTo).toBe('/executions');
    const me = await t.call('GET', '/api/v1/auth/me', { token: r.body.accessToken });
    expect(me.body.workspaces).toEqual([expect.objectContaining({ id: ws, role: 'admin' })]);
    // The same subject signs in to the same account.
    const again = await signIn('ada@example.com');
    expect(again.body.user.id).toBe(r.body.user.id);
    expect(idp.errors).toEqual([]);
    await hostAudit(t.host.runtime).settled();
    const log = await t.call('GET', `/api/v1/workspaces/${ws}/audit-log?action=member.sso.provision`, {
      token: ownerToken,
    });
    expect(log.body.items).toEqual([
      expect.objectContaining({ action: 'member.sso.provision', changes: expect.objectContaining({ role: 'admin' }) }),
    ]);
    // The sign-ins themselves are in the instance chain, by the signed-in user.
    const signIns = await hostAudit(t.host.runtime).log.list({
      workspaceId: INSTANCE_AUDIT_CHAIN,
      action: 'auth.oidc.callback',
      actorId: r.body.user.id,
      limit: 10,
    });
    expect(signIns.map((e) => e.outcome)).toEqual(['success', 'success']);
  });

  it.skipIf(skip)('gives the default role without a mapped group, and follows group changes', async () => {
    const r = await signIn('bob@example.com');
    expect(r.status, r.text).toBe(200);
    expect(await roleOf('bob@example.com')).toBe('viewer');
    (accounts['bob@example.com'] as OidcTestAccount).groups = ['weft-editors'];
    expect((await signIn('bob@example.com')).status).toBe(200);
    expect(await roleOf('bob@example.com')).toBe('editor');
  });

  it.skipIf(skip)('links an existing account by verified email and leaves its owner role alone', async () => {
    const owner = await t.call('GET', '/api/v1/auth/me', { token: ownerToken });
    const r = await signIn('owner@example.com');
    expect(r.status, r.text).toBe(200);
    expect(r.body.user.id).toBe(owner.body.user.id);
    expect(await roleOf('owner@example.com')).toBe('owner');
  });

  it.skipIf(skip)('refuses an unverified email and names why', async () => {
    const r = await signIn('eve@example.com');
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('sso-email-unverified');
  });

  it.skipIf(skip)('binds the state to the browser that started the login, and spends it once', async () => {
    const a = await authorize('ada@example.com');
    const stolen = await complete({ body: a.body });
    expect(stolen.status).toBe(400);
    expect(stolen.body.code).toBe('sso-state-mismatch');
    // The attempt was spent by the refused call: even the right browser must start again.
    const late = await complete(a);
    expect(late.status).toBe(400);
    expect(late.body.code).toBe('sso-state-unknown');
    const b = await authorize('ada@example.com');
    const forged = await complete({ body: { ...b.body, code: 'not-a-code' }, cookie: b.cookie });
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('sso-failed');
  });

  it.skipIf(skip)('refuses a returnTo that leaves the app', async () => {
    const r = await t.call('GET', '/api/v1/auth/oidc/start?returnTo=//evil.example.com');
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ in: 'query', path: '/returnTo' });
  });

  it.skipIf(skip)('an SSO-only workspace refuses password sign-in of its members, with a clear error', async () => {
    const admin = (await signIn('ada@example.com')).body.accessToken;
    const bob = (await signIn('bob@example.com')).body.accessToken;
    const denied = await t.call('PUT', `/api/v1/workspaces/${ws}/sso`, { token: bob, body: { ssoOnly: true } });
    expect(denied.status).toBe(403);
    const on = await t.call('PUT', `/api/v1/workspaces/${ws}/sso`, { token: admin, body: { ssoOnly: true } });
    expect(on.body).toEqual({ ssoOnly: true, provider: 'Acme ID' });
    const pw = await t.call('POST', '/api/v1/auth/login', {
      body: { email: 'owner@example.com', password: 'owner-password' },
    });
    expect(pw.status).toBe(403);
    expect(pw.body).toMatchObject({ code: 'sso-required', provider: 'Acme ID' });
    expect(pw.body.detail).toBe(
      `Members of the workspace "Default" must sign in with Acme ID (single sign-on), not a password or passkey`,
    );
    await hostAudit(t.host.runtime).settled();
    const refused = await hostAudit(t.host.runtime).log.list({
      workspaceId: INSTANCE_AUDIT_CHAIN,
      action: 'auth.login',
      outcome: 'denied',
      limit: 1,
    });
    expect(refused[0]?.changes).toMatchObject({ httpStatus: 403 });
    // A wrong password still says only that.
    const wrong = await t.call('POST', '/api/v1/auth/login', {
      body: { email: 'owner@example.com', password: 'nope' },
    });
    expect(wrong.body.code).toBe('invalid-credentials');
    expect((await signIn('owner@example.com')).status).toBe(200);
    await t.call('PUT', `/api/v1/workspaces/${ws}/sso`, { token: admin, body: { ssoOnly: false } });
    expect((await t.call('GET', `/api/v1/workspaces/${ws}/sso`, { token: bob })).body.ssoOnly).toBe(false);
    expect(
      (await t.call('POST', '/api/v1/auth/login', { body: { email: 'owner@example.com', password: 'owner-password' } }))
        .status,
    ).toBe(200);
  });

  it.skipIf(skip)('deleting a workspace deletes its SSO rule', async () => {
    const made = await t.call('POST', '/api/v1/workspaces', { token: ownerToken, body: { name: 'Short-lived' } });
    const id = made.body.id as string;
    await t.call('PUT', `/api/v1/workspaces/${id}/sso`, { token: ownerToken, body: { ssoOnly: true } });
    const rows = () =>
      t.host.runtime.h.db.selectFrom('workspace_sso').select('workspace_id').where('workspace_id', '=', id).execute();
    expect(await rows()).toHaveLength(1);
    expect((await t.call('DELETE', `/api/v1/workspaces/${id}`, { token: ownerToken })).status).toBe(204);
    expect(await rows()).toEqual([]);
  });
});

describe('SSO on a host without it', () => {
  let t: TestHost;
  beforeAll(async () => {
    t = await startTestHost();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 404 sso-not-configured, and refuses to make a workspace SSO-only', async () => {
    const start = await t.call('GET', '/api/v1/auth/oidc/start');
    expect(start.status).toBe(404);
    expect(start.body.code).toBe('sso-not-configured');
    const token = await t.login('owner@example.com', 'owner-password');
    const ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
    const put = await t.call('PUT', `/api/v1/workspaces/${ws}/sso`, { token, body: { ssoOnly: true } });
    expect(put.status).toBe(409);
    expect(put.body.code).toBe('sso-not-configured');
    expect((await t.call('GET', '/api/v1/auth/setup')).body.ssoProvider).toBeNull();
  });
});
