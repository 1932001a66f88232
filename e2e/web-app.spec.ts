import { expect, type Locator, type Page, test } from '@playwright/test';
import { startWebHost, type WebHost, watchServiceWorker } from './web-host.js';

// The host's web app against a real `weft start` (SQLite, seeded examples). One host for the file,
// so the tests run in order in one worker.
test.describe.configure({ mode: 'serial' });

let host: WebHost;

test.beforeAll(async () => {
  host = await startWebHost();
});

test.afterAll(async () => {
  await host?.stop();
});

async function signIn(page: Page): Promise<void> {
  await page.goto(`${host.baseUrl}/`);
  await expect(page).toHaveURL(/\/signin$/);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill(host.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
}

function canvasNode(page: Page, name: string): Locator {
  return page.locator('weft-canvas .weft-flow__node', { has: page.locator(`.node-name[title="${name}"]`) });
}

async function dragBetween(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  if (!a || !b) throw new Error('handle not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2 + 5, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 10 });
  const c = await to.boundingBox();
  if (c) await page.mouse.move(c.x + c.width / 2, c.y + c.height / 2, { steps: 2 });
  await page.mouse.up();
}

test('a wrong password is refused with the server’s message', async ({ page }) => {
  await page.goto(`${host.baseUrl}/signin`);
  await page.getByLabel('Email').fill(host.email);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password');
});

test('sign in, build a workflow from the palette, save, run it live and inspect a node', async ({ page }) => {
  await signIn(page);
  await expect(page.locator('.card').first()).toBeVisible();
  await page.getByRole('button', { name: 'New workflow' }).click();
  await expect(page).toHaveURL(/\/workflows\/new$/);

  const pane = page.locator('weft-canvas .weft-flow__pane');
  await expect(pane).toBeVisible();
  await page.locator('weft-node-palette li[data-type="weft.manualTrigger"]').dragTo(pane, {
    targetPosition: { x: 120, y: 160 },
  });
  await page.locator('weft-node-palette li[data-type="weft.set"]').dragTo(pane, { targetPosition: { x: 420, y: 160 } });
  await expect(page.locator('weft-canvas .weft-flow__node:not(.note)')).toHaveCount(2);
  await dragBetween(
    page,
    canvasNode(page, 'Manual trigger').locator('.weft-flow__handle.source'),
    canvasNode(page, 'Set fields').locator('.weft-flow__handle.target'),
  );
  await expect(page.locator('weft-canvas g.edge')).toHaveCount(1);

  await canvasNode(page, 'Set fields').click();
  const inspector = page.locator('weft-inspector');
  await expect(inspector.locator('h2')).toHaveText('Set fields');
  await inspector.getByRole('button', { name: 'Add Fields' }).click();
  await inspector.getByRole('textbox', { name: 'Name', exact: true }).nth(1).fill('total');
  const value = inspector.locator('[data-param="value"]');
  await value.getByRole('button', { name: /use an expression/ }).click();
  const expr = value.locator('weft-expression-input textarea');
  await expr.fill('{{ 20 + 22 }}');

  await page.getByLabel('Workflow name').fill('E2E totals');
  await page.getByLabel('Workflow name').press('Enter');
  await page.getByLabel('Tags').fill('finance, e2e');
  await page.getByLabel('Tags').press('Enter');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('.editor .notice')).toHaveText('Saved version 1');
  await expect(page).toHaveURL(/\/workflows\/[^/]+$/);
  await expect(page).not.toHaveURL(/\/new$/);

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(canvasNode(page, 'Manual trigger')).toHaveClass(/status-succeeded/);
  await expect(canvasNode(page, 'Set fields')).toHaveClass(/status-succeeded/);
  await expect(page.locator('.run-status')).toHaveAttribute('data-status', 'succeeded');

  await canvasNode(page, 'Set fields').click();
  const view = page.locator('.inspector-pane weft-execution-view');
  await expect(view).toContainText('total');
  await expect(view).toContainText('42');
});

test('executions: the run is listed, its node output inspectable, and retry starts a new one', async ({ page }) => {
  await signIn(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Executions' }).click();
  const row = page.locator('table.list tbody tr').first();
  await expect(row).toContainText('succeeded');
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { name: /Execution/ })).toContainText('succeeded');
  await page
    .locator('.node-runs')
    .getByRole('button', { name: /Set fields/ })
    .click();
  const view = page.locator('.execution weft-execution-view');
  await expect(view).toContainText('42');
  await expect(page.locator('.execution weft-canvas .weft-flow__node.status-succeeded')).toHaveCount(2);

  const before = page.url();
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page).not.toHaveURL(before);
  await expect(page.getByRole('heading', { name: /Execution/ })).toContainText('succeeded');
});

test('workflow search narrows the list and the app is installable', async ({ page }) => {
  await signIn(page);
  const cards = page.locator('.card');
  await expect.poll(() => cards.count()).toBeGreaterThan(1);
  await page.getByLabel('Search workflows').fill('E2E');
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('E2E totals');
  await page.getByLabel('Search workflows').fill('');
  await page.getByRole('group', { name: 'Filter by tag' }).getByRole('button', { name: 'finance' }).click();
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toContainText('finance');

  const manifest = await page.evaluate(async () => {
    const href = document.querySelector('link[rel="manifest"]')?.getAttribute('href');
    return href ? (await fetch(href)).json() : null;
  });
  expect(manifest).toMatchObject({ display: 'standalone', start_url: '/workflows' });
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(`${host.baseUrl}/`);
});

test('execution history stays readable offline from the last sync', async ({ page, context }) => {
  await signIn(page);
  await page.evaluate(async () => navigator.serviceWorker.ready);
  await page.goto(`${host.baseUrl}/executions`);
  await expect(page.locator('table.list tbody tr').first()).toContainText('succeeded');
  const rows = await page.locator('table.list tbody tr').count();

  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('.notice.offline')).toContainText('Offline: history from the last sync');
  await expect(page.locator('table.list tbody tr')).toHaveCount(rows);
  await context.setOffline(false);
});

test('Web Push messages become notifications: approvals with approve/reject actions, failures', async ({
  page,
  context,
}) => {
  const pushReady = await watchServiceWorker(page, context, host.baseUrl);
  await signIn(page);
  expect(await page.evaluate(() => Notification.permission)).toBe('granted');
  const push = await pushReady();
  const shown = () =>
    page.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
        title: n.title,
        tag: n.tag,
        actions: ((n as unknown as { actions?: { action: string }[] }).actions ?? []).map((a) => a.action),
      })),
    );

  const approval = { kind: 'approval-required', workspaceId: 'w1', executionId: 'e1', workflowName: 'Refunds' };
  const failure = {
    kind: 'workflow-failed',
    workspaceId: 'w1',
    executionId: 'e2',
    workflowName: 'Sync',
    message: 'HTTP 500',
  };
  // Delivery is retried until the worker shows it: the tag keeps one notification per execution.
  await expect
    .poll(async () => {
      await push({ not: 'a weft payload' });
      await push(approval);
      await push(failure);
      return (await shown()).sort((a, b) => a.tag.localeCompare(b.tag));
    })
    .toEqual([
      { title: 'Refunds waits for your approval', tag: 'approval-e1', actions: ['approve', 'reject'] },
      { title: 'Sync failed', tag: 'failed-e2', actions: [] },
    ]);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });

  test('sign in, navigate with the menu, inspect an execution and run a workflow', async ({ page }) => {
    await signIn(page);
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await fits()).toBe(true);

    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Executions' }).click();
    await expect(page.getByRole('heading', { name: 'Executions' })).toBeVisible();
    expect(await fits()).toBe(true);
    await page.locator('table.list tbody tr').first().getByRole('link').click();
    await page
      .locator('.node-runs')
      .getByRole('button', { name: /Set fields/ })
      .click();
    await expect(page.locator('.execution weft-execution-view')).toContainText('42');
    expect(await fits()).toBe(true);

    await page.getByRole('link', { name: 'Open workflow' }).click();
    await expect(page.locator('weft-canvas .weft-flow__node:not(.note)')).toHaveCount(2);
    expect(await fits()).toBe(true);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(canvasNode(page, 'Set fields')).toHaveClass(/status-succeeded/);
    await page.getByRole('button', { name: 'Details' }).click();
    await expect(page.locator('.inspector-pane')).toBeVisible();
  });
});
