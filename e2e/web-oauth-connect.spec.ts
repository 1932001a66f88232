import { expect, type Page, test } from '@playwright/test';
import {
  type OAuth2AuthorizationServer,
  startOAuth2AuthorizationServer,
} from '../host/src/testing/oauth2-authorization-server.js';
import { startWebHost, type WebHost } from './web-host.js';

// OAuth2 Connect from the credentials page against a local authorization server (authorization
// code + PKCE S256) and a real `weft start` (SQLite); an operator sees no Test or Connect.
test.describe.configure({ mode: 'serial' });
let host: WebHost;
let auth: OAuth2AuthorizationServer;

test.beforeAll(async () => {
  test.setTimeout(90_000); // a busy machine takes a while to start the host
  auth = await startOAuth2AuthorizationServer({ clientId: 'weft-e2e', clientSecret: 'e2e-secret' });
  host = await startWebHost({ WEFT_HTTP_ALLOW: '127.0.0.1/32' });
  auth.register(`${host.baseUrl}/api/v1/oauth2/callback`);
});

test.afterAll(async () => {
  await host?.stop();
  await auth?.close();
});

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
}

/** Allows access in the provider's popup; the popup closes itself after the callback. */
async function allowInPopup(page: Page, shot?: string) {
  const popup = await page.context().waitForEvent('page');
  await expect(popup.getByRole('heading', { name: 'Allow access?' })).toBeVisible({ timeout: 15_000 });
  if (shot) await popup.screenshot({ path: shot });
  await popup.getByRole('button', { name: 'Allow' }).click();
  await popup.waitForEvent('close');
}

test('connect an OAuth2 credential in a popup, see who connected, reconnect', async ({ page }, info) => {
  test.setTimeout(60_000);
  await signIn(page, host.email, host.password);
  await page.getByRole('link', { name: 'Credentials' }).click();
  await page.getByLabel('Credential type').selectOption({ label: 'HTTP Request — OAuth2 API' });
  await expect(page.getByLabel('Redirect URL')).toHaveValue(`${host.baseUrl}/api/v1/oauth2/callback`);
  await page.getByLabel('Name').fill('Test provider');
  await page.getByLabel('Authorization URL').fill(auth.authorizationUrl);
  await page.getByLabel('Access token URL').fill(auth.tokenUrl);
  await page.getByLabel('Scope').fill('profile email');
  await page.getByLabel('Client ID').fill('weft-e2e');
  await page.getByLabel('Client secret').fill('e2e-secret');
  await page.screenshot({ path: info.outputPath('oauth-form.png'), fullPage: true });

  const popupDone = allowInPopup(page, info.outputPath('oauth-consent.png'));
  await page.getByRole('button', { name: 'Save and connect' }).click();
  await expect(page.getByRole('button', { name: 'Waiting for the provider…' })).toBeVisible();
  await popupDone;
  await expect(page.locator('weft-credential-form .test-report')).toHaveText('✓ Connected as ada@example.com');
  const card = page.locator('.card', { hasText: 'Test provider' });
  await expect(card.locator('.oauth2-status')).toContainText('Connected as ada@example.com');
  await expect(card.locator('.oauth2-status')).toContainText('access token expires');
  expect(auth.authorizations.at(-1)?.code_challenge_method).toBe('S256');
  expect(auth.refusals).toEqual([]);
  await page.screenshot({ path: info.outputPath('oauth-connected.png'), fullPage: true });

  const again = allowInPopup(page);
  await card.getByRole('button', { name: 'Reconnect' }).click();
  await again;
  await expect(page.getByRole('status').first()).toContainText('"Test provider": Connected as ada@example.com');
  expect(auth.authorizations).toHaveLength(2);
});

test('connect from the editor: the node picker creates an OAuth2 credential, connects it and selects it', async ({
  page,
}, info) => {
  test.setTimeout(60_000);
  await signIn(page, host.email, host.password);
  await page.goto(`${host.baseUrl}/workflows/new`);
  await page.locator('.palette-pane weft-node-palette input').fill('http request');
  await page.locator('.palette-pane weft-node-palette li[data-type="http.request"]').click();
  const inspector = page.locator('weft-inspector');
  await inspector.getByLabel(/^Credential( \*)?$/).selectOption({ label: '+ Create new credential…' });
  const dialog = page.locator('weft-credential-dialog dialog');
  await dialog.getByLabel('Credential type').selectOption({ label: 'HTTP Request — OAuth2 API' });
  await dialog.getByLabel('Name').fill('Provider from the editor');
  await dialog.getByLabel('Authorization URL').fill(auth.authorizationUrl);
  await dialog.getByLabel('Access token URL').fill(auth.tokenUrl);
  await dialog.getByLabel('Client ID').fill('weft-e2e');
  await dialog.getByLabel('Client secret').fill('e2e-secret');
  await page.screenshot({ path: info.outputPath('editor-dialog.png') });
  const popupDone = allowInPopup(page);
  await dialog.getByRole('button', { name: 'Save and connect' }).click();
  await popupDone;
  await expect(dialog).toBeHidden();
  const picker = inspector.getByLabel(/^Credential( \*)?$/);
  await expect(picker.locator('option:checked')).toHaveText(/Provider from the editor/);
});

test('an operator sees the credentials without Test, Connect or the new-credential form', async ({ page }, info) => {
  const api = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${host.baseUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const owner = (await api('/auth/login', { email: host.email, password: host.password })).accessToken as string;
  const me = await fetch(`${host.baseUrl}/api/v1/workspaces`, { headers: { authorization: `Bearer ${owner}` } });
  const ws = ((await me.json()) as { items: { id: string }[] }).items[0]?.id as string;
  await api(
    `/workspaces/${ws}/credentials`,
    { type: 'http.bearer', name: 'Shared token', data: { token: 't' } },
    owner,
  );
  const invite = await api(`/workspaces/${ws}/invites`, { role: 'operator' }, owner);
  await api('/auth/signup', { token: invite.token, email: 'op@example.com', password: 'operator-password-1' });

  await signIn(page, 'op@example.com', 'operator-password-1');
  await page.getByRole('link', { name: 'Credentials' }).click();
  const card = page.locator('.card', { hasText: 'Shared token' });
  await expect(card).toBeVisible();
  await expect(card.getByRole('button')).toHaveCount(0);
  await expect(page.locator('.role-note')).toContainText('Your role (operator) can use these credentials');
  await expect(page.getByRole('heading', { name: 'New credential' })).toHaveCount(0);
  await page.screenshot({ path: info.outputPath('operator-credentials.png'), fullPage: true });
});
