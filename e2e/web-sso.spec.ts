import { expect, type Page, test } from '@playwright/test';
import { type OidcTestProvider, startOidcTestProvider } from '../host/src/testing/oidc-test-provider.js';
import { startWebHost, type WebHost } from './web-host.js';

// "Sign in with <provider>" against a real OpenID Connect provider (oidc-provider) on loopback
// and a real `weft start` (SQLite): the button, the provider's own login and consent pages, the
// way back into the app, just-in-time provisioning, and an SSO-only workspace.
test.describe.configure({ mode: 'serial' });
let idp: OidcTestProvider;
let host: WebHost;

test.beforeAll(async () => {
  test.setTimeout(90_000); // a busy machine takes a while to start the host
  idp = await startOidcTestProvider({
    clientId: 'weft-e2e',
    clientSecret: 'weft-e2e-secret',
    redirectUris: ['http://127.0.0.1/signin'],
    accounts: { 'grace@example.com': { name: 'Grace Hopper', groups: ['engineering'] } },
  });
  host = await startWebHost({
    WEFT_OIDC_ISSUER: idp.issuer,
    WEFT_OIDC_CLIENT_ID: 'weft-e2e',
    WEFT_OIDC_CLIENT_SECRET: 'weft-e2e-secret',
    WEFT_OIDC_PROVIDER_NAME: 'Acme ID',
    WEFT_OIDC_SCOPES: 'openid email profile groups',
  });
});

test.afterAll(async () => {
  await host?.stop();
  await idp?.close();
});

/** Clicks the SSO button and goes through the provider's login and consent pages as `login`. */
async function ssoSignIn(page: Page, login: string) {
  await page.getByRole('link', { name: 'Sign in with Acme ID' }).click();
  await expect(page).toHaveURL(new RegExp(`^${idp.issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('anything');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('a new user signs in with the provider and gets an account and a workspace', async ({ page }) => {
  await page.goto(`${host.baseUrl}/signin`);
  await expect(page.getByRole('link', { name: 'Sign in with Acme ID' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('sign-in-with-sso.png') });
  await ssoSignIn(page, 'grace@example.com');
  await expect(page).toHaveURL(`${host.baseUrl}/workflows`);
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await expect(page.locator('.topbar .ws')).toHaveText("Grace Hopper's workspace");
  await page.goto(`${host.baseUrl}/settings`);
  await expect(page.getByText('Signed in as grace@example.com.')).toBeVisible();
});

test('an SSO-only workspace sends its members to the provider, with a clear message', async ({ page }) => {
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await page.goto(`${host.baseUrl}/settings`);
  const rule = page.getByLabel('Members must sign in with Acme ID (no passwords or passkeys)');
  await rule.check();
  await expect(rule).toBeChecked();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(`${host.baseUrl}/signin`);

  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('must sign in with Acme ID (single sign-on)');
  await page.screenshot({ path: test.info().outputPath('sso-required.png') });

  // The owner's email is verified by the provider: SSO signs in to the same account.
  await ssoSignIn(page, host.email);
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await page.goto(`${host.baseUrl}/settings`);
  await expect(page.getByText(`Signed in as ${host.email}.`)).toBeVisible();
  await expect(page.getByLabel('Members must sign in with Acme ID (no passwords or passkeys)')).toBeChecked();
});

test('a sign-in the provider refused comes back as a readable error', async ({ page }) => {
  await page.goto(`${host.baseUrl}/signin?error=access_denied&error_description=End-User+aborted+interaction&state=s`);
  await expect(page.getByRole('alert')).toHaveText('Single sign-on failed: End-User aborted interaction');
  await expect(page).toHaveURL(`${host.baseUrl}/signin`);
});
