import { expect, test } from '@playwright/test';
import { signIn, startWebHost, type WebHost } from './web-host.js';

// Importing an n8n export through the web app's dialog against a real `weft start` (SQLite).
let host: WebHost;
const corpusFile = new URL('../packages/importers/corpus/n8n/data-pipeline.json', import.meta.url).pathname;

test.beforeAll(async () => {
  host = await startWebHost();
});

test.afterAll(async () => {
  await host?.stop();
});

test('import an n8n workflow: the dialog shows the report before saving, then the list has it', async ({
  page,
}, info) => {
  await signIn(page, host);

  await page.getByRole('button', { name: 'Import…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import workflows' });
  await expect(dialog).toBeVisible();
  await page.screenshot({ path: info.outputPath('import-source.png') });
  await dialog.getByLabel('Workflow file').setInputFiles(corpusFile);

  const report = dialog.getByRole('region', { name: 'Import report' });
  await expect(report).toContainText('n8n export');
  await expect(report).toContainText('data-pipeline.json');
  await expect(report.getByRole('heading', { name: 'Customer data pipeline' })).toBeVisible();
  await expect(report.locator('tr[data-node="Airtable"] .pill')).toHaveText('unsupported');
  await expect(report.locator('tr[data-node="Fetch customers"]')).toContainText('n8n-nodes-base.httpRequest');
  await expect(report.locator('tr .pill', { hasText: 'exact' }).first()).toBeVisible();
  await expect(report.getByRole('heading', { name: /Credentials to create/ })).toBeVisible();
  await expect(report.locator('.notice')).toContainText('Not supported: Ask approval, Airtable.');
  await page.screenshot({ path: info.outputPath('import-report.png') });
  await report.getByRole('heading', { name: /Credentials to create/ }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: info.outputPath('import-credentials.png') });

  await expect(page.getByRole('link', { name: 'Customer data pipeline' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Import 1 workflow' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status')).toContainText('Imported Customer data pipeline');
  await expect(page.locator('.card-title', { hasText: 'Customer data pipeline' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('imported.png') });
});
