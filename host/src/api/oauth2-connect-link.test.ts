import { serviceUrl } from '@weft/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqliteAndPostgres } from '../testing/host-backends.js';
import {
  type OAuth2AuthorizationServer,
  startOAuth2AuthorizationServer,
} from '../testing/oauth2-authorization-server.js';
import { startTestHost, type TestHost } from '../testing/test-host.js';

const pg = await serviceUrl('pg');

// The single-use Connect link (`connectUrl`) a framed web app opens in its popup: it sets the
// browser-binding cookie first-party and redirects to the provider.
describe.each(sqliteAndPostgres(pg))('OAuth2 Connect link on %s', (_title, skip, open) => {
  let t: TestHost;
  let auth: OAuth2AuthorizationServer;
  let owner: string;
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
    owner = await t.login('owner@example.com', 'owner-password');
    ws = (await t.call('GET', '/api/v1/workspaces', { token: owner })).body.items[0].id;
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
    await auth?.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const credential = async () => {
    const r = await t.call('POST', base(), {
      token: owner,
      body: {
        type: 'http.oauth2',
        name: 'Provider',
        data: {
          authorizationUrl: auth.authorizationUrl,
          tokenUrl: auth.tokenUrl,
          clientId: 'weft-app',
          clientSecret: 'weft-secret',
        },
      },
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const start = async (id: string, token = owner) => {
    const r = await t.call('POST', `${base()}/${id}/oauth2/authorize`, { token });
    expect(r.status).toBe(200);
    return r.body as { authorizationUrl: string; connectUrl: string };
  };
  /** Opens the link as the popup does (a browser navigation, redirects not followed). */
  const openLink = (url: string, accept = 'text/html') => {
    const u = new URL(url); // at the public URL, which the test host does not listen on
    return fetch(`${t.base}${u.pathname}${u.search}`, { redirect: 'manual', headers: { accept } });
  };

  it.skipIf(skip)(
    'binds the browser first-party, redirects to the provider, and the callback tells the opener',
    async () => {
      const id = await credential();
      const s = await start(id);
      const link = new URL(s.connectUrl);
      expect(link.origin + link.pathname).toBe(`${t.host.runtime.config.publicUrl}/api/v1/oauth2/connect`);
      expect([...link.searchParams.keys()]).toEqual(['ticket']);

      const opened = await openLink(s.connectUrl);
      expect(opened.status).toBe(302);
      expect(opened.headers.get('location')).toBe(s.authorizationUrl);
      expect(opened.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');
      expect(opened.headers.get('cache-control')).toBe('no-store');
      const setCookie = opened.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^weft_oauth2_[\w-]+=[\w-]+; Max-Age=600; Path=\/api\/v1\/oauth2\/callback;/);
      expect(setCookie).toMatch(/HttpOnly; SameSite=Lax/);
      const cookie = setCookie.split(';')[0] as string;
      // The binding secret is in the cookie only, never in a URL.
      expect(s.connectUrl).not.toContain(cookie.split('=')[1]);
      expect(s.authorizationUrl).not.toContain(cookie.split('=')[1]);

      const consent = await fetch(s.authorizationUrl);
      const request = (await consent.text()).match(/name="request" value="([^"]+)"/)?.[1] as string;
      const back = await fetch(`${auth.url}/authorize`, {
        method: 'POST',
        body: new URLSearchParams({ request, decision: 'allow' }),
        redirect: 'manual',
      });
      const callback = new URL(back.headers.get('location') as string);
      const page = await t.call('GET', callback.pathname + callback.search, {
        headers: { cookie, accept: 'text/html' },
      });
      expect(page.status).toBe(200);
      expect(page.headers.get('cross-origin-opener-policy')).toBe('unsafe-none');
      const origin = new URL(t.host.runtime.config.publicUrl).origin;
      expect(page.text).toContain(`window.opener.postMessage(result, ${JSON.stringify(origin)})`);
      expect(page.text).toContain('"account":"ada@example.com"');
      expect(page.text).not.toMatch(/at-|rt-|weft-secret/); // no token or secret in the message
      const info = (await t.call('GET', `${base()}/${id}`, { token: owner })).body;
      expect(info.oauth2).toMatchObject({ connected: true, account: 'ada@example.com' });
      expect(info.fields).not.toContain('oauth2Pending');
    },
  );

  it.skipIf(skip)('opens once: a second opening, or a link replaced by a newer Connect, is refused', async () => {
    const id = await credential();
    const first = await start(id);
    expect((await openLink(first.connectUrl)).status).toBe(302);
    const again = await openLink(first.connectUrl);
    expect(again.status).toBe(400);
    expect(again.headers.get('set-cookie')).toBeNull();
    const text = await again.text();
    expect(text).toContain('Connection failed');
    expect(text).toContain('already used or replaced');
    expect(text).toContain(`"credentialId":"${id}"`); // the framed app stops waiting at once

    const older = await start(id);
    const newer = await start(id);
    const refused = await openLink(older.connectUrl, 'application/json');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { code: string }).code).toBe('oauth2-connect-link-invalid');
    expect((await openLink(newer.connectUrl)).status).toBe(302);
  });

  it.skipIf(skip)('expires after 2 minutes, and an expired link is used up', async () => {
    const id = await credential();
    const s = await start(id);
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 121_000);
    const late = await openLink(s.connectUrl, 'application/json');
    vi.restoreAllMocks();
    expect(late.status).toBe(400);
    expect(((await late.json()) as { detail: string }).detail).toMatch(/expired/);
    const after = await openLink(s.connectUrl, 'application/json');
    expect(((await after.json()) as { detail: string }).detail).toMatch(/already used or replaced/);

    const inTime = await start(id);
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 110_000);
    const ok = await openLink(inTime.connectUrl);
    vi.restoreAllMocks();
    expect(ok.status).toBe(302);
  });

  it.skipIf(skip)('is refused when whoever asked for it may no longer connect the credential', async () => {
    const id = await credential();
    const invite = await t.call('POST', `/api/v1/workspaces/${ws}/invites`, { token: owner, body: { role: 'editor' } });
    const signup = await t.call('POST', '/api/v1/auth/signup', {
      body: { token: invite.body.token, email: 'ed@example.com', password: 'editor-password-1' },
    });
    expect(signup.status).toBeLessThan(300);
    const editor = await t.login('ed@example.com', 'editor-password-1');
    const me = (await t.call('GET', '/api/v1/auth/me', { token: editor })).body.user;
    const s = await start(id, editor);
    const demoted = await t.call('PUT', `/api/v1/workspaces/${ws}/members/${me.id}`, {
      token: owner,
      body: { role: 'operator' },
    });
    expect(demoted.status).toBe(200);
    const refused = await openLink(s.connectUrl, 'application/json');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { detail: string }).detail).toMatch(/may no longer connect this credential/);

    // The owner's own link for the same credential still works (it names the owner).
    expect((await openLink((await start(id)).connectUrl)).status).toBe(302);
  });

  it.skipIf(skip)('refuses a missing, malformed, oversized or unknown ticket', async () => {
    const connect = `${t.host.runtime.config.publicUrl}/api/v1/oauth2/connect`;
    for (const q of ['', '?ticket=', '?ticket=no-separators', `?ticket=a~b~${'c'.repeat(1100)}`, '?ticket=a~b~c~d']) {
      const r = await openLink(`${connect}${q}`, 'application/json');
      expect(r.status, q).toBe(400);
      const body = (await r.json()) as { code: string; errors?: { path: string }[] };
      expect(body.code, q).toBe('invalid-query');
      expect(body.errors?.[0]?.path, q).toMatch(/ticket/);
    }
    const unknown = await openLink(`${connect}?ticket=${'d3M'}~${'Y3JlZA'}~bm9wZQ`, 'application/json');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { code: string }).code).toBe('oauth2-connect-link-invalid');
  });
});
