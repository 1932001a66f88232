import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbedClaims, mintEmbedToken } from '@weft/embed/server';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigError } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';
import { orderWebhookWorkflow } from '../workflows/example-workflows.js';

const ISSUER = 'https://app.acme.test';
const AUDIENCE = 'https://weft.acme.test';
const ORIGINS = ['https://app.acme.test', 'http://localhost:5173'];

interface Signer {
  privateKey: CryptoKey;
  jwk: JWK;
  kid: string;
  alg: 'ES256' | 'RS256';
}

async function signer(alg: 'ES256' | 'RS256', kid: string): Promise<Signer> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { privateKey, kid, alg, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

let es: Signer;
let rs: Signer;
let t: TestHost;
let owner: string;

const mint = (s: Signer, claims: EmbedClaims, over: { issuer?: string; audience?: string } = {}) =>
  mintEmbedToken(claims, {
    privateKey: s.privateKey,
    kid: s.kid,
    alg: s.alg,
    issuer: over.issuer ?? ISSUER,
    audience: over.audience ?? AUDIENCE,
    ttlSeconds: 300,
  });

const exchange = (token: string, host: TestHost = t) => host.call('POST', '/api/v1/auth/embed', { body: { token } });

beforeAll(async () => {
  es = await signer('ES256', 'es-1');
  rs = await signer('RS256', 'rs-1');
  t = await startTestHost({
    WEFT_EMBED_ISSUER: ISSUER,
    WEFT_EMBED_AUDIENCE: AUDIENCE,
    WEFT_EMBED_PUBLIC_KEYS: JSON.stringify({ keys: [es.jwk, rs.jwk] }),
    WEFT_EMBED_ALLOWED_ORIGINS: ORIGINS.join(','),
  });
  owner = await t.login('owner@example.com', 'owner-password');
});

afterAll(async () => {
  await t?.close();
});

describe('POST /auth/embed', () => {
  it('provisions the workspace and user just in time, reuses them and applies a role downgrade', async () => {
    const claims: EmbedClaims = { externalUserId: 'user-42', externalWorkspaceId: 'acme', role: 'editor', name: 'Ada' };
    const first = await exchange(await mint(es, claims));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ expiresIn: 900, user: { name: 'Ada', mfaEnabled: false } });
    expect(first.body.refreshToken).toMatch(/^wrt_/);
    const me = await t.call('GET', '/api/v1/auth/me', { token: first.body.accessToken });
    expect(me.body.workspaces).toEqual([expect.objectContaining({ id: first.body.workspaceId, role: 'editor' })]);
    const created = await t.call('POST', `/api/v1/workspaces/${first.body.workspaceId}/workflows`, {
      token: first.body.accessToken,
      body: orderWebhookWorkflow('embed-1', 'wf-embed-1'),
    });
    expect(created.status).toBe(201);

    const second = await exchange(await mint(rs, { ...claims, role: 'viewer' }));
    expect(second.status).toBe(200);
    expect(second.body.user.id).toBe(first.body.user.id);
    expect(second.body.workspaceId).toBe(first.body.workspaceId);
    const list = await t.call('GET', '/api/v1/workspaces', { token: second.body.accessToken });
    expect(list.body.items).toEqual([expect.objectContaining({ id: first.body.workspaceId, role: 'viewer' })]);
    const denied = await t.call('POST', `/api/v1/workspaces/${first.body.workspaceId}/workflows`, {
      token: second.body.accessToken,
      body: orderWebhookWorkflow('embed-2', 'wf-embed-2'),
    });
    expect(denied.status).toBe(403);
    // The first session's role is the membership's: the downgrade applies to it as well.
    const old = await t.call('POST', `/api/v1/workspaces/${first.body.workspaceId}/workflows`, {
      token: first.body.accessToken,
      body: orderWebhookWorkflow('embed-3', 'wf-embed-3'),
    });
    expect(old.status).toBe(403);
  });

  it.each([
    ['wrong issuer', async () => mint(es, base(), { issuer: 'https://evil.test' }), /iss/],
    ['wrong audience', async () => mint(es, base(), { audience: 'https://other-weft.test' }), /aud/],
    ['wrong signature', async () => mint({ ...(await signer('ES256', 'es-1')) }, base()), /signature/],
    ['unknown kid', async () => mint(await signer('ES256', 'nobody'), base()), /key/i],
    ['expired', async () => expired(), /exp/],
  ])('rejects a token with %s: 401 naming the reason', async (_label, make, reason) => {
    const r = await exchange(await make());
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.code).toBe('invalid-embed-token');
    expect(r.body.detail).toMatch(/^Embed token rejected: /);
    expect(r.body.detail).toMatch(reason);
  });

  it('rejects a body without a token as a validation problem', async () => {
    const r = await t.call('POST', '/api/v1/auth/embed', { body: { token: 1 } });
    expect(r.status).toBe(400);
    expect(r.body.errors[0]).toMatchObject({ in: 'body', path: '/token' });
  });

  it('scopes the session to its workspace: another tenant and the same user’s other workspace are 404', async () => {
    const ownerWs = (await t.call('GET', '/api/v1/workspaces', { token: owner })).body.items[0].id as string;
    const a = (await exchange(await mint(es, { ...base(), externalWorkspaceId: 'initech' }))).body;
    const b = (await exchange(await mint(es, { ...base(), externalWorkspaceId: 'globex' }))).body;
    expect(a.user.id).toBe(b.user.id);
    expect(a.workspaceId).not.toBe(b.workspaceId);
    for (const ws of [ownerWs, b.workspaceId]) {
      const r = await t.call('GET', `/api/v1/workspaces/${ws}/workflows`, { token: a.accessToken });
      expect(r.status).toBe(404);
      expect(r.body.code).toBe('workspace-not-found');
    }
    expect(
      (await t.call('GET', `/api/v1/workspaces/${a.workspaceId}/workflows`, { token: a.accessToken })).status,
    ).toBe(200);
    const me = await t.call('GET', '/api/v1/auth/me', { token: a.accessToken });
    expect(me.body.workspaces.map((w: { id: string }) => w.id)).toEqual([a.workspaceId]);
    const newWs = await t.call('POST', '/api/v1/workspaces', { token: a.accessToken, body: { name: 'escape' } });
    expect(newWs.status).toBe(403);
    // The owner of the host does not see embedded tenants either.
    expect((await t.call('GET', `/api/v1/workspaces/${a.workspaceId}`, { token: owner })).status).toBe(404);

    // A refreshed session keeps its scope.
    const refreshed = await t.call('POST', '/api/v1/auth/refresh', { body: { refreshToken: a.refreshToken } });
    expect(refreshed.status).toBe(200);
    const after = await t.call('GET', `/api/v1/workspaces/${b.workspaceId}/workflows`, {
      token: refreshed.body.accessToken,
    });
    expect(after.status).toBe(404);
  });

  it('holds credentials to the token’s connector allow-list', async () => {
    const s = (await exchange(await mint(es, { ...base(), externalWorkspaceId: 'hooli', connectors: ['slack'] }))).body;
    const path = `/api/v1/workspaces/${s.workspaceId}/credentials`;
    const github = await t.call('POST', path, {
      token: s.accessToken,
      body: { type: 'github.token', name: 'gh', data: { token: 'ghp_x' } },
    });
    expect(github.status).toBe(403);
    expect(github.body.code).toBe('connector-not-allowed');
    const slack = await t.call('POST', path, {
      token: s.accessToken,
      body: { type: 'slack.botToken', name: 'slack', data: { token: 'xoxb-1', signingSecret: 's' } },
    });
    expect(slack.status).toBe(201);
    const ownerWs = (await t.call('GET', '/api/v1/workspaces', { token: owner })).body.items[0].id as string;
    const unrestricted = await t.call('POST', `/api/v1/workspaces/${ownerWs}/credentials`, {
      token: owner,
      body: { type: 'github.token', name: 'gh', data: { token: 'ghp_x' } },
    });
    expect(unrestricted.status).toBe(201);
    const admin = (
      await exchange(await mint(es, { ...base(), externalWorkspaceId: 'hooli', role: 'admin', connectors: ['slack'] }))
    ).body;
    const key = await t.call('POST', `/api/v1/workspaces/${admin.workspaceId}/api-keys`, {
      token: admin.accessToken,
      body: { name: 'escape hatch' },
    });
    expect(key.status).toBe(403);
  });
});

describe('framing', () => {
  it('lets only the configured origins frame /embed/* and keeps X-Frame-Options elsewhere', async () => {
    const embed = await t.call('GET', '/embed/workflows');
    expect(embed.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${ORIGINS.join(' ')}`);
    expect(embed.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(embed.headers.get('x-frame-options')).toBeNull();
    for (const path of ['/healthz', '/', '/signin']) {
      const other = await t.call('GET', path);
      expect(other.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(other.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
      expect(other.headers.get('content-security-policy')).not.toContain(ORIGINS[0]);
    }
  });

  it('tells the embed views which origins to trust', async () => {
    const setup = await t.call('GET', '/api/v1/auth/setup');
    expect(setup.body.embed).toEqual({ allowedOrigins: ORIGINS, tokens: true });
  });
});

describe('JWKS URL', () => {
  let jwks: Server;
  let host: TestHost;
  let served = 0;

  beforeAll(async () => {
    jwks = createServer((_req, res) => {
      served++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [es.jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as { port: number };
    host = await startTestHost({
      WEFT_EMBED_ISSUER: ISSUER,
      WEFT_EMBED_AUDIENCE: AUDIENCE,
      WEFT_EMBED_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`,
    });
  });

  afterAll(async () => {
    await host?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('verifies tokens against the fetched (and cached) key set', async () => {
    expect((await exchange(await mint(es, base()), host)).status).toBe(200);
    expect((await exchange(await mint(es, base()), host)).status).toBe(200);
    expect(served).toBe(1);
    const r = await exchange(await mint(rs, base()), host);
    expect(r.status).toBe(401);
    expect(r.body.detail).toMatch(/key/i);
  });
});

describe('WEFT_EMBED_* settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-embed-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig({ WEFT_DATA_DIR: dir, ...env });
      return [];
    } catch (e) {
      return (e as ConfigError).problems;
    }
  };

  it('defaults the audience to the public URL and reads keys from a config file object', () => {
    const c = loadConfig({
      WEFT_DATA_DIR: dir,
      WEFT_PUBLIC_URL: 'https://weft.example.com/',
      WEFT_EMBED_ISSUER: ISSUER,
      WEFT_EMBED_PUBLIC_KEYS: JSON.stringify({ keys: [es.jwk] }),
    });
    expect(c.embed).toMatchObject({ issuer: ISSUER, audience: 'https://weft.example.com', allowedOrigins: [] });
    expect(c.embed.publicKeys?.keys[0]?.kid).toBe('es-1');
  });

  it('names each bad setting', () => {
    expect(problemsOf({ WEFT_EMBED_JWKS_URL: 'https://x.test/jwks' })).toEqual([
      expect.stringContaining('WEFT_EMBED_ISSUER'),
    ]);
    expect(problemsOf({ WEFT_EMBED_ISSUER: ISSUER })).toEqual([expect.stringContaining('WEFT_EMBED_JWKS_URL')]);
    expect(problemsOf({ WEFT_EMBED_ISSUER: ISSUER, WEFT_EMBED_PUBLIC_KEYS: '{nope' })).toEqual([
      expect.stringContaining('WEFT_EMBED_PUBLIC_KEYS'),
    ]);
    expect(
      problemsOf({ WEFT_EMBED_ISSUER: ISSUER, WEFT_EMBED_PUBLIC_KEYS: JSON.stringify({ keys: [{ kty: 'EC' }] }) }),
    ).toEqual([expect.stringMatching(/WEFT_EMBED_PUBLIC_KEYS.*kid/)]);
    expect(problemsOf({ WEFT_EMBED_ALLOWED_ORIGINS: "https://ok.test,https://bad.test/path,'none'" })).toEqual([
      expect.stringContaining('"https://bad.test/path"'),
      expect.stringContaining(`"'none'"`),
    ]);
  });
});

function base(): EmbedClaims {
  return { externalUserId: 'user-7', externalWorkspaceId: 'acme-2', role: 'editor' };
}

async function expired(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...base() })
    .setProtectedHeader({ alg: 'ES256', kid: es.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now - 1200)
    .setExpirationTime(now - 600)
    .sign(es.privateKey);
}
