import { expect, test } from '@playwright/test';
import { ownerClient, signIn, startWebHost, type WebHost } from './web-host.js';

// Data residency in the web app: a real `weft start` with two regions (each its own SQLite
// database and blob directory). Settings offers the regions at workspace creation, preselects
// the default, and the new workspace is kept in the region chosen.
test.describe.configure({ mode: 'serial' });
let host: WebHost;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  host = await startWebHost({
    WEFT_REGIONS: 'eu=sqlite:region-eu.db,us=sqlite:region-us.db',
    WEFT_DEFAULT_REGION: 'us',
    WEFT_SEED_EXAMPLES: 'false',
  });
});

test.afterAll(async () => {
  await host?.stop();
});

test('a new workspace is created in the region picked in Settings', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, host);
  await page.goto(`${host.baseUrl}/settings`);
  const form = page.getByRole('form', { name: 'New workspace' });
  await expect(page.getByText('Data region: us (fixed when the workspace was created)')).toBeVisible();
  const region = form.getByLabel('Data region');
  await expect(region).toHaveValue('us');
  await expect(region.locator('option')).toHaveText(['eu', 'us']);
  await expect(form.getByText('It cannot be changed later.')).toBeVisible();
  await form.getByLabel('Name').fill('Acme EU');
  await region.selectOption('eu');
  await form.screenshot({ path: test.info().outputPath('new-workspace-region.png') });
  await form.getByRole('button', { name: 'Create workspace' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await expect(page.locator('.topbar select.ws')).toHaveValue(/.+/);
  await expect(page.locator('.topbar select.ws option:checked')).toHaveText('Acme EU');

  const { client } = await ownerClient(host);
  const items = (await client.workspaces.list()).items;
  expect(items.find((w) => w.name === 'Acme EU')?.region).toBe('eu');
  await page.goto(`${host.baseUrl}/settings`);
  await expect(page.getByText('Data region: eu (fixed when the workspace was created)')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('settings-eu-workspace.png'), fullPage: true });
});

test('a host without regions asks only for the name', async ({ page }) => {
  test.setTimeout(90_000); // starts its own host
  const plain = await startWebHost({ WEFT_SEED_EXAMPLES: 'false' });
  try {
    await signIn(page, plain);
    await page.goto(`${plain.baseUrl}/settings`);
    const form = page.getByRole('form', { name: 'New workspace' });
    await expect(form.getByLabel('Name')).toBeVisible();
    await expect(form.getByLabel('Data region')).toHaveCount(0);
    await expect(page.getByText('Data region:')).toHaveCount(0);
    await form.getByLabel('Name').fill('Second');
    await form.getByRole('button', { name: 'Create workspace' }).click();
    await expect(page.locator('.topbar select.ws option:checked')).toHaveText('Second');
  } finally {
    await plain.stop();
  }
});
