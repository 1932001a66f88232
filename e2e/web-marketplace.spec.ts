import { expect, test } from '@playwright/test';
import { startWebHost, type WebHost } from './web-host.js';

// The marketplace pages against a real `weft start` (SQLite) that lists the bundled templates.
let host: WebHost;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  host = await startWebHost({ WEFT_SEED_EXAMPLES: 'true' });
});

test.afterAll(async () => {
  await host?.stop();
});

test('find a template in the marketplace, install it with its inputs, and run the installed workflow', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Marketplace' }).click();
  await expect(page.getByRole('heading', { name: 'Marketplace' })).toBeVisible();
  await expect(page.locator('.result-count')).toHaveText(/^(3\d|[4-9]\d) templates$/);
  await page.getByRole('radio', { name: /^stripe/ }).check();
  await expect(page).toHaveURL(/connector=stripe/);
  await expect(page.locator('.template-card').first()).toContainText('stripe');
  await page.screenshot({ path: info.outputPath('marketplace-facet.png') });

  await page.goto(`${host.baseUrl}/marketplace`);
  await page.getByLabel('Search templates').fill('order total');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/text=order\+total/);
  await page.getByRole('link', { name: 'Order total and tier API' }).click();

  await expect(page.getByRole('heading', { name: 'Order total and tier API' })).toBeVisible();
  await expect(page.locator('.description h2, .description p').first()).toBeVisible();
  const preview = page.locator('weft-canvas.template-preview');
  for (const name of ['Order webhook', 'Compute total', 'Large order?'])
    await expect(preview.locator('.weft-flow__node', { hasText: name })).toBeVisible();
  const wizard = page.getByRole('form', { name: 'Install' });
  await expect(wizard.getByLabel('Large order from')).toHaveValue('100');
  await wizard.getByLabel('Large order from').fill('50');
  await page.screenshot({ path: info.outputPath('template-page.png') });
  await wizard.getByRole('button', { name: 'Install' }).click();
  await expect(page.locator('.template-page p.notice')).toContainText('Installed.');

  await page.getByRole('link', { name: 'Open the workflow' }).click();
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.run-status')).toHaveAttribute('data-status', 'succeeded');
  await page.screenshot({ path: info.outputPath('installed-run.png') });
});

test('cards show the server-drawn preview; the install wizard creates a missing credential inline and installs with it', async ({
  page,
}, info) => {
  test.setTimeout(120_000);
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();

  await page.goto(`${host.baseUrl}/marketplace?text=contacts`);
  const card = page.locator('.template-card', { hasText: 'Import contacts from CSV into your CRM' });
  const thumb = card.locator('img.template-thumb');
  await expect(thumb).toBeVisible();
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(640);
  await page.goto(`${host.baseUrl}/marketplace`);
  await expect(page.locator('img.template-thumb').first()).toBeVisible();
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('img.template-thumb')].slice(0, 6).every((i) => i.complete),
  );
  await page.screenshot({ path: info.outputPath('marketplace-thumbnails.png') });

  await page.goto(`${host.baseUrl}/marketplace?text=contacts`);
  await page.getByRole('link', { name: 'Import contacts from CSV into your CRM' }).click();
  await expect(page.getByRole('heading', { name: 'Import contacts from CSV into your CRM' })).toBeVisible();
  const ogImage = await page.locator('meta[property="og:image"]').getAttribute('content');
  expect(ogImage).toMatch(/\/api\/v1\/marketplace\/templates\/[^/]+\/preview\.svg$/);
  const image = await page.request.get(ogImage as string);
  expect(image.headers()['content-type']).toContain('image/svg+xml');

  const wizard = page.getByRole('form', { name: 'Install' });
  await expect(wizard.getByText('None yet.')).toBeVisible();
  await wizard.getByRole('button', { name: 'New http.bearer credential' }).click();
  const creator = page.getByRole('region', { name: 'New credential' });
  await creator.getByLabel('Name').fill('CRM token');
  await creator.locator('input[type="password"]').first().fill('crm-secret-token');
  await page.screenshot({ path: info.outputPath('inline-credential.png') });
  await creator.getByRole('button', { name: /^Save/ }).click();
  await expect(page.locator('.template-page p.notice')).toContainText('Credential "CRM token"');
  await expect(creator).toBeHidden();
  const select = wizard.locator('select[name="credential:http.bearer"]');
  await expect(select.locator('option:checked')).toHaveText('CRM token');
  await wizard.getByLabel('CRM contacts endpoint').fill('https://crm.example.com/contacts');
  await wizard.getByRole('button', { name: 'Install' }).click();
  await expect(page.locator('.template-page p.notice')).toContainText('Installed.');
  await page.screenshot({ path: info.outputPath('installed-with-new-credential.png') });
});
