import { expect, type Page, test } from '@playwright/test';
import { totp } from '../host/dist/auth/totp.js';
import { startWebHost, type WebHost } from './web-host.js';

// First run without configured owner credentials, a white-label brand, MFA sign-in and an approval
// decided from the page a push notification opens.
test.describe.configure({ mode: 'serial' });

let host: WebHost;
const owner = { email: 'ada@example.com', password: 'ada-password-1' };

test.beforeAll(async () => {
  host = await startWebHost({ WEFT_BRAND_NAME: 'Acme Flows', WEFT_BRAND_PRIMARY_COLOR: '#0a7d33' }, { owner: false });
});

test.afterAll(async () => {
  await host?.stop();
});

async function api<T>(path: string, init: { token?: string; body?: unknown; method?: string } = {}): Promise<T> {
  const res = await fetch(`${host.baseUrl}/api/v1${path}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function signIn(page: Page, code?: string): Promise<void> {
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (code) {
    await page.getByLabel('Two-factor code').fill(code);
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
}

test('the first owner signs up through the one-time link, under the configured brand', async ({ page }) => {
  expect(host.signupUrl).toBeTruthy();
  await page.goto(host.signupUrl as string);
  await expect(page.getByRole('heading', { name: 'Create your Acme Flows account' })).toBeVisible();
  await expect(page).toHaveTitle('Acme Flows');
  await page.getByLabel('Name').fill('Ada');
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await expect(page.locator('.brand')).toHaveText('Acme Flows');
  await expect(page.getByRole('button', { name: 'New workflow' })).toHaveCSS('background-color', 'rgb(10, 125, 51)');
  await expect(page.locator('.card').first()).toBeVisible();
});

test('an approval is decided from the page a notification opens', async ({ page }) => {
  const { accessToken } = await api<{ accessToken: string }>('/auth/login', { body: owner });
  const { workspaces } = await api<{ workspaces: { id: string }[] }>('/auth/me', { token: accessToken });
  const ws = workspaces[0]?.id as string;
  const wf = await api<{ id: string }>(`/workspaces/${ws}/workflows`, {
    token: accessToken,
    body: {
      name: 'Refund approval',
      nodes: [
        { id: 't', name: 'Start', type: 'weft.manualTrigger', parameters: {} },
        { id: 'a', name: 'Approve refund', type: 'weft.approval', parameters: { message: 'Refund 40 EUR?' } },
        { id: 'y', name: 'Refunded', type: 'weft.set', parameters: { fields: [{ name: 'refunded', value: 'yes' }] } },
      ],
      connections: [
        { source: 't', target: 'a' },
        { source: 'a', sourcePort: 'approved', target: 'y' },
      ],
    },
  });
  const run = await api<{ executionId: string }>(`/workspaces/${ws}/workflows/${wf.id}/run`, {
    token: accessToken,
    body: { wait: true },
  });

  await signIn(page);
  await page.goto(`${host.baseUrl}/approvals?workspace=${ws}&execution=${run.executionId}&decide=approve`);
  const card = page.locator(`.card[data-execution-id="${run.executionId}"]`);
  await expect(card).toBeVisible();
  await expect(card.locator('.card-title')).toHaveText('Refund approval v1');
  await expect(card.getByRole('button', { name: 'Approve' })).toHaveClass(/primary/);
  await card.getByLabel('Comment').fill('ok from e2e');
  await card.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByRole('status')).toContainText('Approved: execution is succeeded');
  await expect(card).toHaveCount(0);
});

test('with two-factor authentication on, sign-in asks for the code', async ({ page }) => {
  const { accessToken } = await api<{ accessToken: string }>('/auth/login', { body: owner });
  const { secret } = await api<{ secret: string }>('/auth/mfa/setup', { token: accessToken, body: {} });
  await api('/auth/mfa/enable', { token: accessToken, body: { code: totp(secret) } });

  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Two-factor code').fill('000000');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert')).toHaveText('The two-factor code is wrong or expired');
  await page.getByLabel('Two-factor code').fill(totp(secret, Date.now() + 30_000));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
});
