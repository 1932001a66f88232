import { serviceUrl } from '@weft/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import {
  type OAuth2AuthorizationServer,
  startOAuth2AuthorizationServer,
} from '../testing/oauth2-authorization-server.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');

describe.each(sqliteAndPostgres(pg))('OAuth2 Connect over the wire on %s', (_title, skip, open) => {
  let t: TestHost;
  let auth: OAuth2AuthorizationServer;
  let token: string;
  let ws: string;
  let drop: (() => Promise<void>) | undefined;
  const base = () => `/api/v1/workspaces/${ws}/credentials`;

  beforeAll(async () => {
    if (skip) return;
    auth = await startOAuth2AuthorizationServer({ clientId: 'weft-app', clientSecret: 'weft-secret' });
    const o = await open();
    drop = o.drop;
    t = await startTestHost({ ...o.env, WEFT_HTTP_ALLOW: '127.0.0.1/32' });
    auth.register(`${t.host.runtime.config.publicUrl}/api/v1/oauth2/callback`);
    token = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token })).body.items[0].id;
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
    await auth?.close();
  });

  const credential = async (data: Record<string, string> = {}) => {
    const r = await t.call('POST', base(), {
      token,
      body: {
        type: 'http.oauth2',
        name: 'Test provider',
        data: {
          authorizationUrl: auth.authorizationUrl,
          tokenUrl: auth.tokenUrl,
          scope: 'profile email',
          clientId: 'weft-app',
          clientSecret: 'weft-secret',
          ...data,
        },
      },
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };

  /** Starts Connect; answers the callback URL the provider sends the browser to, and the binding cookie. */
  const dance = async (id: string, decision: 'allow' | 'deny' = 'allow') => {
    const start = await t.call('POST', `${base()}/${id}/oauth2/authorize`, { token });
    expect(start.status).toBe(200);
    const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const consent = await fetch(start.body.authorizationUrl);
    expect(consent.status).toBe(200);
    const request = (await consent.text()).match(/name="request" value="([^"]+)"/)?.[1] as string;
    const back = await fetch(`${auth.url}/authorize`, {
      method: 'POST',
      body: new URLSearchParams({ request, decision }),
      redirect: 'manual',
    });
    const location = new URL(back.headers.get('location') as string);
    return { start: start.body, cookie, callback: `${location.pathname}${location.search}` };
  };

  it.skipIf(skip)('connects with PKCE, stores the tokens in the vault and signs requests with them', async () => {
    const id = await credential();
    const { start, cookie, callback } = await dance(id);
    const url = new URL(start.authorizationUrl);
    expect(url.origin + url.pathname).toBe(auth.authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('client_id')).toBe('weft-app');
    expect(url.searchParams.get('scope')).toBe('profile email');
    expect(start.redirectUri).toBe(url.searchParams.get('redirect_uri'));
    expect(cookie).toMatch(/^weft_oauth2_[\w-]+=/);

    const page = await t.call('GET', callback, { headers: { cookie, accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('Connected as ada@example.com');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);
    expect(auth.refusals).toEqual([]);

    const info = (await t.call('GET', `${base()}/${id}`, { token })).body;
    expect(info.oauth2).toMatchObject({ connected: true, account: 'ada@example.com', scope: 'profile email' });
    expect(info.oauth2.expiresAt).toBeGreaterThan(Date.now() + 3_000_000);
    expect(info.fields).not.toContain('oauth2Pending');
    expect(JSON.stringify(info)).not.toMatch(/at-|rt-/);

    const workflow = {
      name: 'Who am I',
      nodes: [
        { id: 'm', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
        {
          id: 'me',
          name: 'Me',
          type: 'http.request',
          parameters: { url: `${auth.url}/userinfo`, retries: 0 },
          credentials: { auth: id },
        },
      ],
      connections: [{ source: 'm', target: 'me' }],
    };
    const run = await t.call('POST', `/api/v1/workspaces/${ws}/workflows/test`, { token, body: { workflow } });
    expect(run.body.status).toBe('succeeded');
    expect(JSON.stringify(run.body.output)).toContain('ada@example.com');

    const again = await t.call('GET', callback, { headers: { cookie } });
    expect(again.status).toBe(400);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(again.body.detail).toMatch(/already used/);
  });

  it.skipIf(skip)('refuses a callback from another browser, a forged state and a denied consent', async () => {
    const id = await credential();
    const other = await dance(id);
    const noCookie = await t.call('GET', other.callback);
    expect(noCookie.status).toBe(400);
    expect(noCookie.body.detail).toMatch(/did not start the authorization/);

    const forged = await t.call('GET', '/api/v1/oauth2/callback?code=x&state=abc.def', {
      headers: { accept: 'text/html' },
    });
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('Connection failed');
    expect(forged.text).toMatch(/signature is invalid/);

    const denied = await dance(id, 'deny');
    const refused = await t.call('GET', denied.callback, { headers: { cookie: denied.cookie } });
    expect(refused.body.detail).toMatch(/provider refused: access_denied/);
    expect((await t.call('GET', `${base()}/${id}`, { token })).body.oauth2.connected).toBe(false);
  });

  it.skipIf(skip)('reports a token exchange the provider refuses, and non-OAuth2 credentials', async () => {
    const id = await credential({ clientSecret: 'wrong' });
    const { cookie, callback } = await dance(id);
    const r = await t.call('GET', callback, { headers: { cookie } });
    expect(r.status).toBe(502);
    expect(r.body.code).toBe('oauth2-token-exchange-failed');
    expect(r.body.detail).toMatch(/invalid_client/);
    expect(auth.refusals.at(-1)).toMatch(/invalid_client/);

    const bearer = await t.call('POST', base(), {
      token,
      body: { type: 'http.bearer', name: 'b', data: { token: 'x' } },
    });
    const notOAuth = await t.call('POST', `${base()}/${bearer.body.id}/oauth2/authorize`, { token });
    expect(notOAuth.status).toBe(400);
    expect(notOAuth.body.code).toBe('not-oauth2-connectable');
  });
});
