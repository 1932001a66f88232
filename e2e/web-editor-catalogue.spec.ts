import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { startWebHost, type WebHost } from './web-host.js';

// The editor against a real `weft start` (seeded examples): the host's node catalogue in the
// palette and inspector, typed credential forms, dynamic dropdowns from a connector (an
// OpenAI-compatible API on loopback) and the editor defects of issue 11.
test.describe.configure({ mode: 'serial' });

const shots = process.env.WEFT_SCREENSHOTS;
let host: WebHost;
let api: Server;
let apiBase: string;

test.beforeAll(async () => {
  api = createServer((req, res) => {
    const ok = req.headers.authorization === 'Bearer sk-good';
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        ok ? { data: [{ id: 'model-small' }, { id: 'model-large' }] } : { error: { message: 'Incorrect API key' } },
      ),
    );
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  apiBase = `http://127.0.0.1:${(api.address() as AddressInfo).port}/v1`;
  host = await startWebHost({ WEFT_HTTP_ALLOW: '127.0.0.1' });
});

test.afterAll(async () => {
  await host?.stop();
  await new Promise((r) => api?.close(r));
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
}

function canvasNode(page: Page, name: string): Locator {
  return page.locator('weft-canvas .weft-flow__node', { has: page.locator(`.node-name[title="${name}"]`) });
}

async function newWorkflow(page: Page): Promise<void> {
  await signIn(page);
  await page.getByRole('button', { name: 'New workflow' }).click();
  await expect(page).toHaveURL(/\/workflows\/new$/);
}

async function search(page: Page, text: string): Promise<string[]> {
  const input = page.locator('.palette-pane weft-node-palette input');
  await input.fill(text);
  return page
    .locator('.palette-pane weft-node-palette li.item')
    .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.type ?? ''));
}

test('the palette offers the host catalogue: triggers and connectors with icons, found by name, app or alias', async ({
  page,
}) => {
  await newWorkflow(page);
  expect(await search(page, 'webhook')).toContain('weft.webhook');
  expect(await search(page, 'schedule')).toContain('weft.schedule');
  expect(await search(page, 'cron')).toEqual(['weft.schedule']);
  expect((await search(page, 'http'))[0]).toBe('http.request');
  expect(await search(page, 'slack')).toEqual(expect.arrayContaining(['slack.sendMessage', 'slack.events']));
  await expect(page.locator('.palette-pane weft-node-palette li[data-type="slack.sendMessage"] img')).toHaveAttribute(
    'src',
    /^data:image\/svg\+xml,/,
  );
  await search(page, '');
  if (shots) await page.screenshot({ path: `${shots}/palette.png` });
});

test('the seeded webhook example: editable, no input port, its URL with a copy button', async ({ page }) => {
  await signIn(page);
  await page.locator('.card', { hasText: 'Order webhook' }).getByRole('link').first().click();
  const trigger = canvasNode(page, 'Order received');
  await expect(trigger).toBeVisible();
  await expect(trigger.locator('.weft-flow__handle.target')).toHaveCount(0);
  await expect(trigger.locator('.node-icon img')).toHaveCount(1);
  await trigger.click();
  const inspector = page.locator('weft-inspector');
  await expect(inspector).not.toContainText('Unknown node type');
  await expect(inspector.locator('[data-param="path"] input')).toBeVisible();
  const url = inspector.locator('code.url[data-kind="production"]');
  await expect(url).toHaveText(new RegExp(`^${host.baseUrl}/hooks/\\S+$`));
  await inspector.getByRole('button', { name: 'Copy production URL' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await url.textContent());
  if (shots) await page.screenshot({ path: `${shots}/webhook.png` });
});

test('+ Node uses the palette beside the canvas instead of opening a second one; new nodes never overlap', async ({
  page,
}) => {
  await newWorkflow(page);
  await page.locator('weft-canvas').getByRole('button', { name: 'Add node' }).click();
  await expect(page.locator('weft-node-palette')).toHaveCount(1);
  await expect(page.locator('weft-canvas weft-node-palette')).toHaveCount(0);
  await expect(page.locator('.palette-pane weft-node-palette input')).toBeFocused();
  const item = page.locator('.palette-pane weft-node-palette li[data-type="weft.set"]');
  await item.click();
  await item.click();
  await item.click();
  const nodes = page.locator('weft-canvas .weft-flow__node:not(.note)');
  await expect(nodes).toHaveCount(3);
  const boxes = await nodes.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON()));
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i], boxes[j]];
      const overlap = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      expect(overlap, `nodes ${i} and ${j} overlap`).toBe(false);
    }
});

test('typing {{ in a plain field keeps everything typed; leaving expression mode keeps the text', async ({ page }) => {
  await newWorkflow(page);
  await page.locator('.palette-pane weft-node-palette li[data-type="weft.if"]').click();
  await page.locator('.palette-pane weft-node-palette input').fill('slack send');
  await page.locator('.palette-pane weft-node-palette li[data-type="slack.sendMessage"]').click();
  const inspector = page.locator('weft-inspector');
  const text = inspector.locator('[data-param="text"]');
  await text.locator('input, textarea').first().click();
  await page.keyboard.type('Order {{ $json.id }} is in');
  const expr = text.locator('weft-expression-input textarea');
  await expect(expr).toHaveValue('Order {{ $json.id }} is in');
  await text.getByRole('button', { name: /use an expression/ }).click();
  await expect(text.locator('input, textarea').first()).toHaveValue('Order $json.id is in');
});

test('unsaved changes: leaving asks first (in-app links and reload)', async ({ page }) => {
  await newWorkflow(page);
  await page.locator('.palette-pane weft-node-palette li[data-type="weft.set"]').click();
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credentials' }).click();
  await expect.poll(() => asked).toContain('unsaved changes');
  await expect(page).toHaveURL(/\/workflows\/new$/);
  await expect(page.locator('weft-canvas .weft-flow__node:not(.note)')).toHaveCount(1);
  let unload = '';
  page.once('dialog', (d) => {
    unload = d.type();
    void d.dismiss();
  });
  await page.reload({ timeout: 2000 }).catch(() => {});
  await expect.poll(() => unload).toBe('beforeunload');
});

test('activating a manual-only workflow does not claim live triggers', async ({ page }) => {
  await newWorkflow(page);
  await page.locator('.palette-pane weft-node-palette li[data-type="weft.manualTrigger"]').click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('.editor .notice')).toHaveText('Saved version 1');
  await page.getByRole('button', { name: 'Inactive' }).click();
  await expect(page.locator('.editor .notice')).toContainText('nothing starts it on its own');
  await expect(page.locator('.editor .notice')).not.toContainText('live');
});

test('credentials: a typed form per credential type; Test reports status, host and reason', async ({ page }) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credentials' }).click();
  const form = page.locator('weft-credential-form');
  await expect(form.getByLabel('Type', { exact: true })).toHaveCount(0);
  await form
    .getByLabel('Credential type')
    .selectOption({ label: 'OpenAI-compatible chat — OpenAI-compatible API key' });
  await expect(form.getByLabel('Token')).toHaveAttribute('type', 'password');
  await form.getByLabel('Name').fill('Bad key');
  await form.getByLabel('Token').fill('sk-bad');
  await form.getByLabel('Base URL').fill(apiBase);
  await form.getByRole('button', { name: 'Save and test' }).click();
  const report = form.locator('.test-report');
  await expect(report).toContainText('HTTP 401');
  await expect(report).toContainText(`from ${new URL(apiBase).host}`);
  await expect(page.locator('.card', { hasText: 'Bad key' })).toContainText('OpenAI-compatible chat');
  await page.locator('.card', { hasText: 'Bad key' }).getByRole('button', { name: 'Test' }).click();
  await expect(page.locator('.card', { hasText: 'Bad key' }).locator('.test-report')).toContainText('HTTP 401');
  if (shots) await page.screenshot({ path: `${shots}/credentials.png` });
});

test('a credential created from the node picker is selected, and the dynamic dropdown loads through it', async ({
  page,
}) => {
  await newWorkflow(page);
  await page.locator('.palette-pane weft-node-palette input').fill('chat completion');
  await page.locator('.palette-pane weft-node-palette li[data-type="openai.chat"]').click();
  const inspector = page.locator('weft-inspector');
  await inspector.getByLabel(/^Credential( \*)?$/).selectOption({ label: '+ Create new credential…' });
  const dialog = page.locator('weft-credential-dialog dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Name').fill('Local models');
  await dialog.getByLabel('Token').fill('sk-good');
  await dialog.getByLabel('Base URL').fill(apiBase);
  await dialog.getByRole('button', { name: 'Save and test' }).click();
  await expect(dialog).toBeHidden();
  await expect(inspector.getByLabel(/^Credential( \*)?$/)).toHaveValue(/.+/);
  const model = inspector.locator('[data-param="model"] weft-options-select select');
  await expect(model.locator('option')).toHaveText(['Choose…', 'model-large', 'model-small']);
  await model.selectOption('model-small');
  if (shots) await page.screenshot({ path: `${shots}/dynamic-options.png` });
});

test('Run on a read-only execution view asks before retrying', async ({ page }) => {
  await signIn(page);
  await page.locator('.card', { hasText: 'Order total' }).getByRole('link').first().click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.run-status')).toHaveAttribute('data-status', 'succeeded');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Executions' }).click();
  await page.locator('table.list tbody tr').first().getByRole('link').click();
  await expect(page.getByRole('heading', { name: /Execution/ })).toContainText('succeeded');
  const url = page.url();
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.locator('.execution weft-canvas').getByRole('button', { name: 'Run workflow' }).click();
  await expect.poll(() => asked).toContain('Retry execution');
  await page.waitForTimeout(300);
  expect(page.url()).toBe(url);
});
