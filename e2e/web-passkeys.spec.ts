import { type CDPSession, expect, type Page, test } from '@playwright/test';
import { totp } from '../host/src/auth/totp.js';
import { startWebHost, type WebHost } from './web-host.js';

// Passkeys against a real `weft start` with Chromium's virtual authenticator (CDP WebAuthn
// domain, a platform authenticator with resident keys and user verification): add one in the
// settings, sign in without a password, use it as the second factor, remove it. The app is opened
// at localhost: a relying party id cannot be an IP address.
test.describe.configure({ mode: 'serial' });
let host: WebHost;

test.beforeAll(async () => {
  test.setTimeout(90_000); // a busy machine takes a while to start the host
  host = await startWebHost({}, { hostname: 'localhost' });
});

test.afterAll(async () => {
  await host?.stop();
});

async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function passwordSignIn(page: Page) {
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signOut(page: Page) {
  await page.goto(`${host.baseUrl}/settings`);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(`${host.baseUrl}/signin`);
}

test('add a passkey, sign in with it, use it as the second factor, remove it', async ({ page }) => {
  test.setTimeout(60_000);
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  await passwordSignIn(page);
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();

  await page.goto(`${host.baseUrl}/settings`);
  const panel = page.locator('weft-passkeys-settings');
  await expect(panel.getByText('No passkeys yet.')).toBeVisible();
  await page.getByLabel('Passkey name').fill('Work laptop');
  await panel.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(panel.getByRole('status')).toContainText('Passkey “Work laptop” added');
  await expect(panel.getByRole('listitem')).toContainText(['Work laptop']);
  await expect(panel.getByRole('listitem')).toContainText('never used');
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0]?.isResidentCredential).toBe(true);
  await panel.screenshot({ path: test.info().outputPath('passkeys-settings.png') });

  // Passwordless: the discoverable passkey names the account.
  await signOut(page);
  await page.getByRole('button', { name: 'Use a passkey', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await page.goto(`${host.baseUrl}/settings`);
  await expect(page.getByText(`Signed in as ${host.email}.`)).toBeVisible();
  await expect(panel.getByRole('listitem')).toContainText('last used');

  // Second factor: with TOTP on, the password step asks for a code or the passkey.
  await page.getByRole('button', { name: 'Set up' }).click();
  const secret = (await page.locator('code.secret').textContent())?.trim() ?? '';
  await page.getByLabel('Code', { exact: true }).fill(totp(secret));
  await page.getByRole('button', { name: 'Turn on', exact: true }).click();
  await expect(page.getByText('Recovery codes')).toBeVisible();
  await signOut(page);
  await passwordSignIn(page);
  await expect(page.getByLabel('Two-factor code')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('second-factor.png') });
  await page.getByRole('button', { name: 'Use a passkey instead' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  const used = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(used.credentials[0]?.signCount).toBeGreaterThanOrEqual(2);

  // Removed, it signs in no more.
  await page.goto(`${host.baseUrl}/settings`);
  page.once('dialog', (d) => void d.accept());
  await panel.getByRole('button', { name: 'Remove passkey Work laptop' }).click();
  await expect(panel.getByText('No passkeys yet.')).toBeVisible();
  await signOut(page);
  await page.getByRole('button', { name: 'Use a passkey', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('This passkey is not registered for the account');
});
