import { createHash, randomBytes } from 'node:crypto';
import { MemoryCredentialRecordStore, MemoryKeyedLock } from '@weft/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../http/http-client.js';
import { InstantClock } from '../testing/instant-clock.js';
import { type LocalServer, sendJson, startLocalServer } from '../testing/local-server.js';
import { CredentialVault } from '../vault/credential-vault.js';
import { Auth, type OAuth2Auth } from './auth-scheme.js';
import { createSigner } from './create-signer.js';
import { createOAuth2Handlers } from './oauth2-handlers.js';
import { CredentialBrokenError, OAuth2TokenManager } from './oauth2-token-manager.js';

/** A small OAuth2 provider: authorization code with PKCE, refresh tokens, client credentials. */
let provider: LocalServer;
const codes = new Map<string, { challenge: string; redirectUri: string }>();
const refreshTokens = new Set<string>();
const accessTokens = new Set<string>();
let tokenCalls = 0;
const form = (body: Buffer) => Object.fromEntries(new URLSearchParams(body.toString()));

beforeAll(async () => {
  provider = await startLocalServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/authorize') {
      const code = randomBytes(8).toString('hex');
      codes.set(code, {
        challenge: url.searchParams.get('code_challenge') ?? '',
        redirectUri: url.searchParams.get('redirect_uri') ?? '',
      });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state')!);
      res.writeHead(302, { location: back.href });
      return res.end();
    }
    if (url.pathname === '/token') {
      tokenCalls++;
      await new Promise((r) => setTimeout(r, 20));
      const auth = Buffer.from((req.headers.authorization ?? '').replace('Basic ', ''), 'base64').toString();
      if (auth !== 'client-1:secret-1') return sendJson(res, 401, { error: 'invalid_client' });
      const p = form(req.body);
      const issue = (withRefresh: boolean) => {
        const access = `at-${randomBytes(6).toString('hex')}`;
        accessTokens.add(access);
        const refresh = `rt-${randomBytes(6).toString('hex')}`;
        if (withRefresh) refreshTokens.add(refresh);
        sendJson(res, 200, {
          access_token: access,
          token_type: 'Bearer',
          expires_in: 3600,
          ...(withRefresh ? { refresh_token: refresh } : {}),
        });
      };
      if (p.grant_type === 'authorization_code') {
        const c = codes.get(p.code ?? '');
        codes.delete(p.code ?? '');
        const challenge = createHash('sha256')
          .update(p.code_verifier ?? '')
          .digest('base64url');
        if (!c || c.challenge !== challenge || c.redirectUri !== p.redirect_uri) {
          return sendJson(res, 400, { error: 'invalid_grant', error_description: 'bad code or verifier' });
        }
        return issue(true);
      }
      if (p.grant_type === 'refresh_token') {
        if (!refreshTokens.delete(p.refresh_token ?? '')) {
          return sendJson(res, 400, { error: 'invalid_grant', error_description: 'refresh token revoked' });
        }
        return issue(true);
      }
      if (p.grant_type === 'client_credentials') return issue(false);
      return sendJson(res, 400, { error: 'unsupported_grant_type' });
    }
    if (url.pathname === '/api/me') {
      const token = (req.headers.authorization ?? '').replace('Bearer ', '');
      if (!accessTokens.has(token)) return sendJson(res, 401, { error: 'invalid_token' });
      return sendJson(res, 200, { me: 'alice' });
    }
    sendJson(res, 404, {});
  });
});
afterAll(() => provider.close());

function setup() {
  const clock = new InstantClock(Date.now());
  const http = createHttpClient({ allow: ['127.0.0.1/32'], clock });
  const vault = new CredentialVault({
    store: new MemoryCredentialRecordStore(),
    masterKeys: [{ id: 'k', key: new Uint8Array(randomBytes(32)) }],
    clock,
  });
  const tokens = new OAuth2TokenManager({ http, writer: vault, clock });
  const scheme: OAuth2Auth = Auth.oauth2({
    type: 'acme.oauth2',
    displayName: 'Acme',
    grant: 'authorizationCode',
    authorizationUrl: `${provider.url}/authorize`,
    tokenUrl: `${provider.url}/token`,
    scopes: ['read', 'write'],
  });
  return { clock, http, vault, tokens, scheme };
}

async function connect() {
  const s = setup();
  const cred = await s.vault.create({
    workspaceId: 'ws1',
    type: 'acme.oauth2',
    name: 'Acme',
    data: { clientId: 'client-1', clientSecret: 'secret-1' },
  });
  const handlers = createOAuth2Handlers({
    schemes: [s.scheme],
    credentials: s.vault,
    writer: s.vault,
    tokens: s.tokens,
    redirectUri: 'https://weft.example/oauth2/callback',
    stateSecret: randomBytes(32),
    clock: s.clock,
  });
  const start = await handlers.authorize({ workspaceId: 'ws1', credentialId: cred.id });
  return { ...s, cred, handlers, start };
}

async function followDance(start: { headers: Record<string, string> }) {
  const res = await fetch(start.headers.location!, { redirect: 'manual' });
  return Object.fromEntries(new URL(res.headers.get('location')!).searchParams);
}

describe('OAuth2', () => {
  it('completes the authorization-code dance with PKCE and calls the API', async () => {
    const { start, handlers, vault, cred, http, tokens, scheme } = await connect();
    expect(start.status).toBe(302);
    const auth = new URL(start.headers.location!);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('scope')).toBe('read write');
    expect(start.headers.location).not.toContain('code_verifier');
    const done = await handlers.callback(await followDance(start));
    expect(done.status).toBe(200);
    expect((await vault.get('ws1', cred.id))?.fields).toEqual(
      expect.arrayContaining(['accessToken', 'refreshToken', 'expiresAt']),
    );
    const resolved = await vault.resolve({ workspaceId: 'ws1', credentialId: cred.id, nodeType: 'acme.me' });
    const api = http.withSigner(createSigner(scheme, resolved, { workspaceId: 'ws1', tokens }));
    expect((await api.request<{ me: string }>({ url: `${provider.url}/api/me` })).body.me).toBe('alice');
  });

  it('rejects forged, replayed and expired states', async () => {
    const { start, handlers, clock } = await connect();
    const query = await followDance(start);
    expect((await handlers.callback({ ...query, state: `${query.state}x` })).status).toBe(400);
    expect((await handlers.callback({ code: query.code, state: 'abc.def' })).body).toMatch(/signature is invalid/);
    expect((await handlers.callback(query)).status).toBe(200);
    expect((await handlers.callback(query)).body).toMatch(/already used/);
    const again = await connect();
    const q2 = await followDance(again.start);
    again.clock.current += 11 * 60_000;
    expect((await again.handlers.callback(q2)).body).toMatch(/expired/);
    expect(clock).toBeDefined();
  });

  it('refreshes proactively before expiry, once for concurrent callers', async () => {
    const { start, handlers, vault, cred, tokens, scheme, clock } = await connect();
    await handlers.callback(await followDance(start));
    const data = (await vault.resolve({ workspaceId: 'ws1', credentialId: cred.id, nodeType: 'x.y' })).data;
    const ref = { workspaceId: 'ws1', credentialId: cred.id };
    expect(await tokens.token(scheme, ref, data)).toBe(data.accessToken);
    clock.current += 3600_000 - 30_000; // inside the 60 s skew
    const before = tokenCalls;
    const got = await Promise.all(Array.from({ length: 5 }, () => tokens.token(scheme, ref, data)));
    expect(tokenCalls - before).toBe(1);
    expect(new Set(got).size).toBe(1);
    expect(got[0]).not.toBe(data.accessToken);
    const stored = (await vault.resolve({ workspaceId: 'ws1', credentialId: cred.id, nodeType: 'x.y' })).data;
    expect(stored.accessToken).toBe(got[0]);
  });

  it('refreshes reactively on 401 and marks the credential broken on invalid_grant', async () => {
    const { start, handlers, vault, cred, tokens, scheme, http } = await connect();
    await handlers.callback(await followDance(start));
    const resolved = await vault.resolve({ workspaceId: 'ws1', credentialId: cred.id, nodeType: 'x.y' });
    accessTokens.delete(resolved.data.accessToken as string); // revoked server-side
    const api = http.withSigner(createSigner(scheme, resolved, { workspaceId: 'ws1', tokens }));
    expect((await api.request<{ me: string }>({ url: `${provider.url}/api/me` })).body.me).toBe('alice');
    refreshTokens.clear();
    accessTokens.clear();
    const err = await api.request({ url: `${provider.url}/api/me` }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CredentialBrokenError);
    expect((err as Error).message).toMatch(/invalid_grant: refresh token revoked/);
    expect(await vault.get('ws1', cred.id)).toMatchObject({ status: 'broken' });
  });

  it('refreshes once across processes sharing a lock (rotating refresh tokens stay valid)', async () => {
    const { start, handlers, vault, cred, scheme, clock, http } = await connect();
    await handlers.callback(await followDance(start));
    const ref = { workspaceId: 'ws1', credentialId: cred.id };
    const reload = async () => (await vault.resolve({ ...ref, nodeType: 'oauth2.refresh' })).data;
    const lock = new MemoryKeyedLock();
    const processA = new OAuth2TokenManager({ http, writer: vault, clock, shared: { lock, reload } });
    const processB = new OAuth2TokenManager({ http, writer: vault, clock, shared: { lock, reload } });
    const data = await reload();
    clock.current += 3600_000;
    const before = tokenCalls;
    const [a, b] = await Promise.all([processA.token(scheme, ref, data), processB.token(scheme, ref, data)]);
    expect(tokenCalls - before).toBe(1);
    expect(a).toBe(b);
    expect(await vault.get('ws1', cred.id)).toMatchObject({ status: 'active' });

    // Without the shared lock, both processes spend the same rotating refresh token.
    const loneA = new OAuth2TokenManager({ http, writer: vault, clock });
    const loneB = new OAuth2TokenManager({ http, writer: vault, clock });
    const current = await reload();
    clock.current += 3600_000;
    const results = await Promise.allSettled([loneA.token(scheme, ref, current), loneB.token(scheme, ref, current)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await vault.get('ws1', cred.id)).toMatchObject({ status: 'broken' });
  });

  it('uses the client-credentials grant', async () => {
    const { vault, tokens, http } = setup();
    const scheme = Auth.oauth2({
      type: 'acme.m2m',
      displayName: 'M2M',
      grant: 'clientCredentials',
      tokenUrl: `${provider.url}/token`,
      scopes: ['read'],
    });
    const cred = await vault.create({
      workspaceId: 'ws1',
      type: 'acme.m2m',
      name: 'm2m',
      data: { clientId: 'client-1', clientSecret: 'secret-1' },
    });
    const resolved = await vault.resolve({ workspaceId: 'ws1', credentialId: cred.id, nodeType: 'x.y' });
    const api = http.withSigner(createSigner(scheme, resolved, { workspaceId: 'ws1', tokens }));
    expect((await api.request<{ me: string }>({ url: `${provider.url}/api/me` })).body.me).toBe('alice');
  });
});
