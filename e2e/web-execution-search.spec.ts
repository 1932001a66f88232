import { expect, type Page, test } from '@playwright/test';
import { ownerClient, signIn, startWebHost, type WebHost } from './web-host.js';

// Execution search in the web app against a real `weft start`: filters narrow the list, live in
// the URL (a shared link and Back restore them), and a content search says when it stopped at the
// host's scan window and continues from the cursor.
test.describe.configure({ mode: 'serial' });

let host: WebHost;

const orders = {
  name: 'Orders',
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
    {
      id: 'tag',
      name: 'Tag',
      type: 'weft.set',
      parameters: { fields: [{ name: 'seen', value: 'yes' }] },
      position: [260, 0],
    },
  ],
  connections: [{ source: 'start', target: 'tag' }],
};
const broken = {
  name: 'Broken',
  nodes: [
    { id: 'start', name: 'Start', type: 'weft.manualTrigger', parameters: {}, position: [0, 0] },
    {
      id: 'fail',
      name: 'Fail',
      type: 'weft.stopAndError',
      parameters: { message: 'card declined' },
      position: [260, 0],
    },
  ],
  connections: [{ source: 'start', target: 'fail' }],
};

test.beforeAll(async () => {
  host = await startWebHost({ WEFT_SEED_EXAMPLES: 'false' });
  const { client, workspaceId: ws } = await ownerClient(host);
  const o = await client.workflows.create(ws, orders as never);
  const b = await client.workflows.create(ws, broken as never);
  // Oldest first: acme, globex, initech (manual), Broken (failed), hooli (a test run).
  for (const [customer, total] of [
    ['acme', 42],
    ['globex', 7],
    ['initech', 42],
  ] as const) {
    await client.workflows.run(ws, o.id, { input: [{ json: { customer, total } }], wait: true });
  }
  await client.workflows.run(ws, b.id, { wait: true });
  await client.workflows.test(ws, o.workflow, { input: [{ json: { customer: 'hooli', total: 1 } }] });
});

test.afterAll(async () => {
  await host?.stop();
});

const rows = (page: Page) => page.locator('table.list tbody tr');
const chip = (page: Page, group: string, name: string) =>
  page.getByRole('group', { name: group }).getByRole('button', { name, exact: true });

test('search narrows the list, lives in the URL, and a shared link or Back restores it', async ({ page, context }) => {
  await signIn(page, host);
  await page.goto(`${host.baseUrl}/executions`);
  await expect(rows(page)).toHaveCount(5);

  await chip(page, 'Status', 'failed').click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('card declined');
  await expect(page).toHaveURL(/\/executions\?status=failed$/);
  await chip(page, 'Status', 'failed').click();
  await chip(page, 'Mode', 'test').click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('test');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows(page)).toHaveCount(5);

  await page.getByText('Content and time').click();
  await page.getByLabel('Contains').fill('globex');
  await page.getByLabel('Contains').press('Enter');
  await expect(rows(page)).toHaveCount(1);
  await expect(page).toHaveURL(/contains=globex/);
  await page.getByLabel('Contains').fill('');
  await page.getByLabel('Contains').press('Enter');
  await expect(rows(page)).toHaveCount(5);

  // A field without its value is named, not sent.
  await page.getByLabel('Field').fill('total');
  await page.getByLabel('Field').press('Enter');
  await expect(page.getByRole('alert')).toHaveText('Give a value to look for in total');
  await page.getByLabel('Value').fill('42');
  await page.getByLabel('Value').press('Enter');
  await expect(rows(page)).toHaveCount(2);
  await chip(page, 'Mode', 'manual').click();
  await chip(page, 'Status', 'succeeded').click();
  await expect(page).toHaveURL(/status=succeeded&mode=manual&field=total&value=42$/);
  await expect(rows(page)).toHaveCount(2);
  await page.getByLabel('Value').fill('7');
  await page.getByLabel('Value').press('Enter');
  await expect(rows(page)).toHaveCount(1);

  // The link, opened elsewhere, shows the same search.
  const shared = page.url();
  const other = await context.newPage();
  await other.goto(shared);
  await expect(rows(other)).toHaveCount(1);
  await expect(chip(other, 'Status', 'succeeded')).toHaveAttribute('aria-pressed', 'true');
  await expect(chip(other, 'Mode', 'manual')).toHaveAttribute('aria-pressed', 'true');
  await expect(chip(other, 'Mode', 'test')).toHaveAttribute('aria-pressed', 'false');
  await expect(other.getByLabel('Field')).toHaveValue('total');
  await expect(other.getByLabel('Value')).toHaveValue('7');
  await other.close();

  // Back returns to the search before.
  await page.goBack();
  await expect(page).toHaveURL(/value=42$/);
  await expect(page.getByLabel('Value')).toHaveValue('42');
  await expect(rows(page)).toHaveCount(2);

  // A time range after every execution matches none.
  await page.getByLabel('From').fill('2999-01-01T00:00');
  await page.getByLabel('From').blur();
  await expect(page).toHaveURL(/since=2999-/);
  await expect(page.locator('p.empty')).toHaveText('No execution matches.');
  await expect(rows(page)).toHaveCount(0);
});

test('a content search stopped by the scan window says so; Load more searches further back', async ({ page }) => {
  await signIn(page, host);
  // Two executions examined per page: hooli and Broken, then initech and globex, then acme.
  await page.goto(`${host.baseUrl}/executions?contains=acme&scanLimit=2`);
  const note = page.locator('.notice.scan-limit');
  await expect(note).toContainText('stopped after the host');
  await expect(rows(page)).toHaveCount(0);
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(page.getByRole('button', { name: 'Load more' })).toBeEnabled();
  await expect(note).toBeVisible();
  await expect(rows(page)).toHaveCount(0);
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText('Orders');
  await expect(note).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test('the search form fits the screen and filters', async ({ page }) => {
    await signIn(page, host);
    await page.goto(`${host.baseUrl}/executions?status=failed`);
    await expect(rows(page)).toHaveCount(1);
    await page.getByText('Content and time').click();
    await expect(page.getByLabel('To')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  });
});
