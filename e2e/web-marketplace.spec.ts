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
